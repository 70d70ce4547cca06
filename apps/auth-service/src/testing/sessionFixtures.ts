import type { TestApp } from './testApp';

export interface SignedInUser {
  id: string;
  email: string;
  /** The raw session token (what the DB holds, an unsigned bearer). */
  token: string;
  /** `token.signature` as Better-Auth hands it out in `set-auth-token`. */
  signedToken: string;
  /** `name=value` of the session cookie Better-Auth set. */
  cookie: string;
}

const json = { 'content-type': 'application/json' };
let counter = 0;

/** Signs a new user up and in through the app's own Better-Auth endpoints. */
export async function signedInUser(t: TestApp, label: string): Promise<SignedInUser> {
  const email = `${label}-${Date.now()}-${counter++}@example.com`;
  const password = 'a long enough password';
  const signUp = await fetch(`${t.url}/api/auth/sign-up/email`, { method: 'POST', headers: json, body: JSON.stringify({ email, password, name: label }) });
  if (signUp.status !== 200) throw new Error(`sign-up ${signUp.status}: ${await signUp.text()} ${t.logs.filter((l) => l.includes('"level":50')).slice(-1).join('').slice(0, 1500)}`);
  const signIn = await fetch(`${t.url}/api/auth/sign-in/email`, { method: 'POST', headers: json, body: JSON.stringify({ email, password }) });
  if (signIn.status !== 200) throw new Error(`sign-in ${signIn.status}: ${await signIn.text()}`);
  const body = (await signIn.json()) as { token: string; user: { id: string } };
  const setCookie = signIn.headers.getSetCookie().find((c) => c.includes('session_token='));
  if (!setCookie) throw new Error('sign-in set no session cookie');
  const cookie = setCookie.split(';')[0];
  return { id: body.user.id, email, token: body.token, signedToken: signIn.headers.get('set-auth-token') ?? '', cookie };
}

export interface Answer {
  status: number;
  body: string;
  contentType: string | null;
  cacheControl: string | null;
  pragma: string | null;
  setCookie: string[];
  setAuthToken: string | null;
  /** The standard 429 header (and the `X-Retry-After` Better-Auth's client reads). */
  retryAfter: string | null;
  xRetryAfter: string | null;
}

export async function answerOf(res: Response): Promise<Answer> {
  return {
    status: res.status,
    body: await res.text(),
    contentType: res.headers.get('content-type'),
    cacheControl: res.headers.get('cache-control'),
    pragma: res.headers.get('pragma'),
    setCookie: res.headers.getSetCookie(),
    setAuthToken: res.headers.get('set-auth-token'),
    retryAfter: res.headers.get('retry-after'),
    xRetryAfter: res.headers.get('x-retry-after'),
  };
}

/**
 * The same GET /get-session asked of the app's route (over HTTP) and of Better-Auth's own handler
 * (in process). `deferred` says whether the route handed the request to Better-Auth.
 */
export async function askBoth(t: TestApp, headers: Record<string, string>, query = ''): Promise<{ route: Answer; betterAuth: Answer; deferred: boolean }> {
  const handler = jest.spyOn(t.context.auth, 'handler');
  let route: Answer;
  let deferred: boolean;
  try {
    route = await answerOf(await fetch(`${t.url}/api/auth/get-session${query}`, { headers }));
    deferred = handler.mock.calls.length > 0;
  } finally {
    handler.mockRestore();
  }
  const betterAuth = await answerOf(await t.context.auth.handler(new Request(`${t.context.baseURL}/api/auth/get-session${query}`, { headers })));
  // Served through the app's Fastify bridge, Better-Auth's `application/json` gains Fastify's
  // `; charset=utf-8` (every /api/auth answer has it): compare what a client of the app receives.
  if (betterAuth.contentType === 'application/json') betterAuth.contentType = 'application/json; charset=utf-8';
  return { route, betterAuth, deferred };
}
