import { AuthBenchError } from './AuthBenchError';
import type { BenchUser } from './seed';

export const GET_SESSION_PATH = '/api/auth/get-session';

/**
 * Asks `baseUrl` for the session of `user` by bearer token and checks it is that user's
 * session; returns the raw body. A getSession benchmark that is really measuring `null`
 * answers or 401s is worthless, so every server is checked before it is measured.
 */
export async function verifySession(name: string, baseUrl: string, user: BenchUser): Promise<string> {
  const response = await fetch(`${baseUrl}${GET_SESSION_PATH}`, { headers: { authorization: `Bearer ${user.token}` } });
  const body = await response.text();
  let email: unknown;
  let hasSession = false;
  try {
    const parsed = JSON.parse(body) as { user?: { email?: unknown }; session?: unknown } | null;
    email = parsed?.user?.email;
    hasSession = typeof parsed?.session === 'object' && parsed?.session !== null;
  } catch {
    // Not JSON: reported below.
  }
  if (response.status !== 200 || email !== user.email || !hasSession) {
    throw new AuthBenchError(
      'SESSION_INVALID',
      `${name}: GET ${GET_SESSION_PATH} with a valid bearer token answered ${response.status} ` +
        `${email === user.email ? 'without a session' : 'without the expected user'} (${body.length} bytes)`,
    );
  }
  return body;
}
