import { waitFor } from '@tools/test-harness';
import { jsonPostHeaders } from '../auth/seed';
import { SIGN_IN_PATH } from '../auth/signIn';
import { GET_SESSION_PATH } from '../auth/verifySession';

export interface SignedIn {
  userId: string;
  /** Signed bearer token (`set-auth-token`). */
  token: string;
}

/** A fresh session for `email` on the instance at `baseUrl`. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<SignedIn> {
  const response = await fetch(`${baseUrl}${SIGN_IN_PATH}`, { method: 'POST', headers: jsonPostHeaders(baseUrl), body: JSON.stringify({ email, password }) });
  const body = (await response.json().catch(() => null)) as { user?: { id?: string } } | null;
  const token = response.headers.get('set-auth-token');
  if (response.status !== 200 || !token || !body?.user?.id) throw new Error(`sign-in of ${email} on ${baseUrl} answered ${response.status}`);
  return { userId: body.user.id, token };
}

/** The bootstrap admin signs in once its account exists (every instance bootstraps it at start-up). */
export async function signInAdmin(baseUrl: string, admin: { email: string; password: string }): Promise<SignedIn> {
  let signedIn: SignedIn | undefined;
  await waitFor(async () => {
    signedIn = await signIn(baseUrl, admin.email, admin.password);
  }, 30_000, 'the bootstrap admin');
  return signedIn!;
}

export type SessionAnswer = 'valid' | 'refused' | 'error';

/** Whether the instance still accepts `token`: 200 with a session, refused (200 `null`, 401, 403), or anything else. */
export async function sessionAnswer(baseUrl: string, token: string): Promise<SessionAnswer> {
  try {
    const response = await fetch(`${baseUrl}${GET_SESSION_PATH}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    if (response.status === 401 || response.status === 403) return 'refused';
    if (response.status !== 200) return 'error';
    if (text.trim() === 'null') return 'refused';
    return text.includes('"session"') ? 'valid' : 'error';
  } catch {
    return 'error';
  }
}

/** Sets users' status through the admin API (`POST /api/admin/users/status`) with the admin's bearer token. */
export async function setUserStatus(baseUrl: string, adminToken: string, userId: string, status: 'BANNED' | 'ACTIVE'): Promise<number> {
  const response = await fetch(`${baseUrl}/api/admin/users/status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ userIds: [userId], status, reason: 'scale benchmark' }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Ends the session itself (`POST /api/auth/sign-out` with its bearer token). */
export async function signOut(baseUrl: string, token: string): Promise<number> {
  const response = await fetch(`${baseUrl}/api/auth/sign-out`, { method: 'POST', headers: { ...jsonPostHeaders(baseUrl), authorization: `Bearer ${token}` }, body: '{}' });
  await response.arrayBuffer();
  return response.status;
}

export interface ScaleUser extends SignedIn {
  email: string;
}

/**
 * One sign-up. An instance whose event loop is held up by concurrent scrypt hashes sheds load
 * (@fastify/under-pressure) before handling the request: that answer is retried a few times; a
 * retry that finds the user already created (422) is a success.
 */
export async function signUp(baseUrl: string, email: string, password: string, index: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${baseUrl}/api/auth/sign-up/email`, { method: 'POST', headers: jsonPostHeaders(baseUrl), body: JSON.stringify({ email, password, name: `Scale User ${index}` }) });
    await response.arrayBuffer();
    if (response.status === 200 || (attempt > 1 && response.status === 422)) return;
    if (response.status < 500 || attempt === 5) throw new Error(`sign-up of ${email} answered ${response.status}`);
    await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
  }
}

/**
 * Signs `count` users up and in through `baseUrl`, `concurrency` at a time (each is an scrypt
 * hash). The app signs nobody in at sign-up (`autoSignIn: false`), so each then signs in.
 */
export async function seedScaleUsers(baseUrl: string, count: number, password: string, concurrency = 2): Promise<ScaleUser[]> {
  const users: ScaleUser[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const email = `scale-user-${index}@bench.local`;
      await signUp(baseUrl, email, password, index);
      users[index] = { email, ...(await signIn(baseUrl, email, password)) };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
  return users;
}
