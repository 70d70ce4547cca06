import { jsonPostHeaders, type BenchUser } from '../bench/auth/seed';
import type { LoadTarget } from './openLoad';

/** Requests per second of each kind in the outage scenarios (sign-in is an scrypt hash each). */
export const RATES = { getSession: 40, signIn: 4, keyVerify: 40, signUp: 20, keyCreate: 10 } as const;

export function getSessionTarget(baseUrl: string, users: BenchUser[], rate: number = RATES.getSession): LoadTarget {
  return { name: 'get-session', rate, request: (i) => ({ url: `${baseUrl}/api/auth/get-session`, init: { headers: { authorization: `Bearer ${users[i % users.length].token}` } } }) };
}

export function signInTarget(baseUrl: string, users: BenchUser[], rate: number = RATES.signIn): LoadTarget {
  return {
    name: 'sign-in',
    rate,
    request: (i) => {
      const user = users[i % users.length];
      return { url: `${baseUrl}/api/auth/sign-in/email`, init: { method: 'POST', headers: jsonPostHeaders(baseUrl), body: JSON.stringify({ email: user.email, password: user.password }) } };
    },
  };
}

export function keyVerifyTarget(baseUrl: string, keys: string[], rate: number = RATES.keyVerify): LoadTarget {
  return { name: 'key-verify', rate, request: (i) => ({ url: `${baseUrl}/api/auth/api-key/verify`, init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: keys[i % keys.length] }) } }) };
}

/** Creates `count` API keys for the first users, through the server's own endpoint. */
export async function createKeys(baseUrl: string, users: BenchUser[], count: number): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${baseUrl}/api/auth/api-key/create`, {
      method: 'POST',
      headers: { ...jsonPostHeaders(baseUrl), authorization: `Bearer ${users[i % users.length].token}` },
      body: JSON.stringify({ name: `chaos-${i}`, rateLimit: { max: 1_000_000, windowMs: 60_000 } }),
    });
    const body = (await response.json()) as { key?: string };
    if (response.status !== 200 || !body.key) throw new Error(`creating a key answered ${response.status} ${JSON.stringify(body)}`);
    keys.push(body.key);
  }
  return keys;
}
