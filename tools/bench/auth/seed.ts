import { randomBytes } from 'node:crypto';
import { AuthBenchError } from './AuthBenchError';

export interface BenchUser {
  email: string;
  password: string;
  /** Bearer token (signed session token) from the bearer plugin's `set-auth-token` header. */
  token: string;
}

/**
 * Node's fetch sends `sec-fetch-mode: cors`, so Better-Auth's CSRF check demands an Origin; a
 * browser on the server's own origin sends exactly this one.
 */
export function jsonPostHeaders(baseUrl: string): Record<string, string> {
  return { 'content-type': 'application/json', origin: new URL(baseUrl).origin };
}

async function signUp(baseUrl: string, index: number, password: string): Promise<BenchUser> {
  const email = `bench-user-${index}@bench.local`;
  const response = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: jsonPostHeaders(baseUrl),
    body: JSON.stringify({ email, password, name: `Bench User ${index}` }),
  });
  const token = response.headers.get('set-auth-token');
  await response.arrayBuffer();
  if (response.status !== 200 || !token) {
    throw new AuthBenchError('SEED_FAILED', `sign-up of user ${index} answered ${response.status}${token ? '' : ' without set-auth-token'}`);
  }
  return { email, password, token };
}

/**
 * Signs `count` users up through a server's `/api/auth/sign-up/email` (a few at a time: each
 * is an scrypt hash) and returns them with their bearer tokens, in index order.
 */
export async function seedUsers(baseUrl: string, count: number, concurrency: number): Promise<BenchUser[]> {
  // One password for the run, random so nothing guessable sits in the database.
  const password = `Bench-${randomBytes(12).toString('base64url')}`;
  const users: BenchUser[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      users[index] = await signUp(baseUrl, index, password);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
  return users;
}
