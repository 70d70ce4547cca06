import { jsonPostHeaders, type BenchUser } from './seed';

export interface SignInRun {
  latenciesMs: number[];
  /** Answers that were not 200 with a token for the right user. */
  failures: number;
  /** The sessions the sign-ins opened (the sign-out phase ends them). */
  tokens?: string[];
}

export const SIGN_IN_PATH = '/api/auth/sign-in/email';

async function signInOnce(baseUrl: string, user: BenchUser): Promise<{ ms: number; ok: boolean; token?: string }> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}${SIGN_IN_PATH}`, {
    method: 'POST',
    headers: jsonPostHeaders(baseUrl),
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  const body = (await response.json().catch(() => null)) as { token?: unknown; user?: { email?: unknown } } | null;
  const ms = performance.now() - started;
  const ok = response.status === 200 && typeof body?.token === 'string' && body.user?.email === user.email;
  return { ms, ok, token: ok ? (response.headers.get('set-auth-token') ?? (body!.token as string)) : undefined };
}

/**
 * `count` sequential email sign-ins (one in flight: this is latency, dominated by scrypt),
 * rotating over the users from `firstUser`. Failed sign-ins are counted, not timed.
 */
export async function measureSignIns(baseUrl: string, users: BenchUser[], count: number, firstUser = 0): Promise<SignInRun> {
  const run: SignInRun = { latenciesMs: [], failures: 0, tokens: [] };
  for (let i = 0; i < count; i++) {
    const { ms, ok, token } = await signInOnce(baseUrl, users[(firstUser + i) % users.length]);
    if (ok) run.latenciesMs.push(ms);
    else run.failures++;
    if (token) run.tokens?.push(token);
  }
  return run;
}

export const SIGN_OUT_PATH = '/api/auth/sign-out';

/** Sequential sign-outs (bearer), one per token; an answer other than 200 is a failure, not timed. */
export async function measureSignOuts(baseUrl: string, tokens: string[]): Promise<SignInRun> {
  const run: SignInRun = { latenciesMs: [], failures: 0, tokens: [] };
  for (const token of tokens) {
    const started = performance.now();
    const response = await fetch(`${baseUrl}${SIGN_OUT_PATH}`, { method: 'POST', headers: { ...jsonPostHeaders(baseUrl), authorization: `Bearer ${token}` }, body: '{}' });
    await response.arrayBuffer().catch(() => undefined);
    const ms = performance.now() - started;
    if (response.status === 200) run.latenciesMs.push(ms);
    else run.failures++;
  }
  return run;
}
