import { sessionAnswer } from './accounts';

export type WriteKind = 'revoke' | 'ban';

export interface PropagationTrial {
  kind: WriteKind;
  /** How long the write itself took on instance A (sent → answered). */
  writeMs: number;
  /** Per observing instance: ms from sending the write to the first refused request there; null = not refused within the deadline. */
  firstRefusalMs: Record<string, number | null>;
  /** Answers that were neither a session nor a refusal (5xx, reset): they do not end the wait. */
  errors: number;
}

export interface Observer {
  name: string;
  url: string;
}

/** Polls one instance with `token` (one request at a time) until it refuses it or the deadline passes. */
async function watch(observer: Observer, token: string, clock: { t0?: number }, deadlineMs: number, started: () => void, onError: () => void): Promise<number | null> {
  let first = true;
  for (;;) {
    const answer = await sessionAnswer(observer.url, token);
    if (first) {
      first = false;
      started();
    }
    const now = performance.now();
    if (clock.t0 !== undefined && answer === 'refused') return now - clock.t0;
    if (clock.t0 !== undefined && now - clock.t0 > deadlineMs) return null;
    if (answer === 'error') onError();
  }
}

/**
 * One trial: every observer first sees the session as valid (so it sits in their caches — the
 * case invalidation has to fix), keeps polling, then `write` runs on instance A; each observer's
 * time is from sending the write to its first refused answer.
 */
export async function propagationTrial(kind: WriteKind, token: string, observers: Observer[], write: () => Promise<number>, deadlineMs = 5_000): Promise<PropagationTrial> {
  for (const observer of observers) {
    const answer = await sessionAnswer(observer.url, token);
    if (answer !== 'valid') throw new Error(`${observer.name} does not accept the session before the ${kind} (${answer})`);
  }
  const clock: { t0?: number } = {};
  let errors = 0;
  let polling = 0;
  let allPolling!: () => void;
  const ready = new Promise<void>((resolve) => (allPolling = resolve));
  const watches = observers.map((o) =>
    watch(o, token, clock, deadlineMs, () => ++polling === observers.length && allPolling(), () => errors++).then((ms) => [o.name, ms] as const),
  );
  await ready;
  clock.t0 = performance.now();
  const status = await write();
  const writeMs = performance.now() - clock.t0;
  if (status !== 200) throw new Error(`the ${kind} on instance A answered ${status}`);
  return { kind, writeMs, firstRefusalMs: Object.fromEntries(await Promise.all(watches)), errors };
}
