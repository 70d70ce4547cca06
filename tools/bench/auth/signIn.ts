import { jsonPostHeaders, type BenchUser } from './seed';

export interface SignInRun {
  latenciesMs: number[];
  /** Answers that were not 200 with a token for the right user. */
  failures: number;
}

export const SIGN_IN_PATH = '/api/auth/sign-in/email';

async function signInOnce(baseUrl: string, user: BenchUser): Promise<{ ms: number; ok: boolean }> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}${SIGN_IN_PATH}`, {
    method: 'POST',
    headers: jsonPostHeaders(baseUrl),
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  const body = (await response.json().catch(() => null)) as { token?: unknown; user?: { email?: unknown } } | null;
  const ms = performance.now() - started;
  return { ms, ok: response.status === 200 && typeof body?.token === 'string' && body.user?.email === user.email };
}

/**
 * `count` sequential email sign-ins (one in flight: this is latency, dominated by scrypt),
 * rotating over the users from `firstUser`. Failed sign-ins are counted, not timed.
 */
export async function measureSignIns(baseUrl: string, users: BenchUser[], count: number, firstUser = 0): Promise<SignInRun> {
  const run: SignInRun = { latenciesMs: [], failures: 0 };
  for (let i = 0; i < count; i++) {
    const { ms, ok } = await signInOnce(baseUrl, users[(firstUser + i) % users.length]);
    if (ok) run.latenciesMs.push(ms);
    else run.failures++;
  }
  return run;
}
