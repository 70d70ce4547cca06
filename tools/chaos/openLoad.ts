/** One answer (or failure) of the open-model load, timed from the run's start. */
export interface Sample {
  target: string;
  /** When the request was sent, ms since the run started. */
  sentMs: number;
  /** 0 for a connection error or a request that hit the client timeout. */
  status: number;
  /** How long the answer took. */
  ms: number;
  /** The answer carried `Retry-After`. */
  retryAfter: boolean;
}

export interface LoadTarget {
  name: string;
  /** Requests per second, sent on a fixed schedule whatever the server does (open model). */
  rate: number;
  /** The `i`-th request of this target. */
  request(i: number): { url: string; init: RequestInit };
  /** Called with each answer, e.g. to remember what was acknowledged. */
  onAnswer?(i: number, response: Response | null): Promise<void> | void;
}

export interface ScheduledAction {
  atMs: number;
  label: string;
  run(): Promise<void>;
}

export interface OpenLoadOptions {
  durationMs: number;
  /** A request still unanswered after this is abandoned (status 0). @default 5_000 */
  timeoutMs?: number;
  actions?: ScheduledAction[];
}

export interface OpenLoadResult {
  samples: Sample[];
  /** When each action finished, ms since the run started. */
  actions: Record<string, number>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Fixed-rate load (requests go out on schedule even while earlier ones hang, as real clients
 * arrive), bounded in count (`rate × duration`) and time (`timeoutMs`), loopback only. Actions
 * (kill, restart …) run at their times alongside the load.
 */
export async function openLoad(targets: LoadTarget[], options: OpenLoadOptions): Promise<OpenLoadResult> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const started = performance.now();
  const now = () => performance.now() - started;
  const samples: Sample[] = [];
  const inFlight: Promise<void>[] = [];
  const actionTimes: Record<string, number> = {};
  const actions = (options.actions ?? []).map(async (action) => {
    // setTimeout may fire a fraction of a millisecond early against performance.now().
    while (now() < action.atMs) await sleep(Math.max(1, action.atMs - now()));
    await action.run();
    actionTimes[action.label] = now();
  });
  // A failed action is reported once the load is over (below); handled now, or Node ends the
  // runner on the unhandled rejection before its cleanup stops the servers it started.
  for (const action of actions) action.catch(() => undefined);

  const send = async (target: LoadTarget, i: number) => {
    const { url, init } = target.request(i);
    const sentMs = now();
    let response: Response | null = null;
    try {
      response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      await response.clone().arrayBuffer();
    } catch {
      response = null;
    }
    samples.push({ target: target.name, sentMs, status: response?.status ?? 0, ms: now() - sentMs, retryAfter: response?.headers.has('retry-after') ?? false });
    await target.onAnswer?.(i, response);
  };

  await Promise.all(
    targets.map(async (target) => {
      const interval = 1_000 / target.rate;
      const total = Math.floor((options.durationMs / 1_000) * target.rate);
      for (let i = 0; i < total; i++) {
        await sleep(i * interval - now());
        inFlight.push(send(target, i));
      }
    }),
  );
  await Promise.all(inFlight);
  await Promise.all(actions);
  return { samples, actions: actionTimes };
}
