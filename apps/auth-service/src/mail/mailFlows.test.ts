import { startLocalSmtp, type LocalSmtp } from '@tools/test-harness';
import { startTwoInstances, type TestApp } from '../testing/testApp';
import { RESET_PASSWORD_TTL_S } from './authMail';

const json = { 'content-type': 'application/json' };
const MAIL_DEADLINE_MS = 15_000;

const post = (app: TestApp, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${app.url}${path}`, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify(body) });

const signIn = async (app: TestApp, email: string, password: string) => {
  const res = await post(app, '/api/auth/sign-in/email', { email, password });
  return { status: res.status, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] };
};

/** Polls until `probe` answers `want` or the deadline passes (the cache bus crosses one pub/sub round trip). */
async function statusWithin(probe: () => Promise<number>, want: number, deadlineMs = 5_000): Promise<number> {
  const deadline = Date.now() + deadlineMs;
  let status = await probe();
  while (status !== want && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    status = await probe();
  }
  return status;
}

describe('mail flows through a real SMTP server (two instances, one Redis)', () => {
  let smtp: LocalSmtp;
  let pair: Awaited<ReturnType<typeof startTwoInstances>>;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    smtp = await startLocalSmtp();
    pair = await startTwoInstances('mail', { SMTP_URL: smtp.url, SMTP_FROM: 'Accounts <accounts@auth.test>' });
    ({ a, b } = pair);
  });
  afterAll(async () => {
    await pair?.close();
    await smtp?.close();
  });

  it('sign-up sends a verification mail; following its link verifies the address', async () => {
    const email = `verify-${Date.now()}@example.com`;
    const signUp = await post(a, '/api/auth/sign-up/email', { email, password: 'verify me please', name: 'Vera' });
    expect(signUp.status).toBe(200);
    const mail = await smtp.waitForMail(email, MAIL_DEADLINE_MS);
    expect(mail).toMatchObject({ from: '"Accounts" <accounts@auth.test>', subject: 'Verify your email address for auth-service' });
    expect(mail.text).toMatch(/^Hello Vera,/);
    const [link] = mail.links;
    expect(new URL(link).pathname).toBe('/api/auth/verify-email');
    expect((await a.context.repositories.users.findByEmail(email))?.emailVerified).toBe(false);

    const followed = await fetch(link, { redirect: 'manual' });
    expect(followed.status).toBe(302);
    expect((await a.context.repositories.users.findByEmail(email))?.emailVerified).toBe(true);
    // The link proves the address; it signs nobody in.
    expect(followed.headers.get('set-cookie') ?? '').not.toMatch(/session_token=/);
  });

  it('reset: the mail links to the token; the new password works, every old session ends on the other instance too', async () => {
    const email = `reset-${Date.now()}@example.com`;
    await post(a, '/api/auth/sign-up/email', { email, password: 'the old password', name: 'Rita' });
    await smtp.waitForMail(email, MAIL_DEADLINE_MS); // the verification mail
    const onA = await signIn(a, email, 'the old password');
    const onB = await signIn(b, email, 'the old password');
    expect([onA.status, onB.status]).toEqual([200, 200]);
    // B reads (and caches) both sessions before the reset.
    for (const cookie of [onA.cookie, onB.cookie]) expect((await fetch(`${b.url}/api/auth/list-sessions`, { headers: { cookie } })).status).toBe(200);

    const requested = await post(a, '/api/auth/request-password-reset', { email, redirectTo: `${a.url}/reset-page` });
    expect(requested.status).toBe(200);
    const mail = await smtp.waitForMail(email, MAIL_DEADLINE_MS);
    expect(mail.subject).toBe('Reset your auth-service password');
    expect(mail.text).toContain(`for ${RESET_PASSWORD_TTL_S / 3_600} hour.`);
    const [link] = mail.links;
    expect(new URL(link).pathname).toMatch(/^\/api\/auth\/reset-password\/[A-Za-z0-9]+$/);

    // The link checks the token and hands it to the client's page.
    const followed = await fetch(link, { redirect: 'manual' });
    expect(followed.status).toBe(302);
    const landing = new URL(followed.headers.get('location')!);
    expect(`${landing.origin}${landing.pathname}`).toBe(`${a.url}/reset-page`);
    const token = landing.searchParams.get('token')!;
    expect(token).toBe(new URL(link).pathname.split('/').at(-1));

    const reset = await post(a, '/api/auth/reset-password', { token, newPassword: 'the new password' });
    expect(reset.status).toBe(200);
    expect(await reset.json()).toEqual({ status: true });
    // The token works once.
    const again = await post(a, '/api/auth/reset-password', { token, newPassword: 'a third password' });
    expect(again.status).toBe(400);

    for (const cookie of [onA.cookie, onB.cookie]) {
      expect(await statusWithin(async () => (await fetch(`${b.url}/api/auth/list-sessions`, { headers: { cookie } })).status, 401)).toBe(401);
    }
    expect((await signIn(b, email, 'the old password')).status).toBe(401);
    expect((await signIn(b, email, 'the new password')).status).toBe(200);
    const user = await a.context.repositories.users.findByEmail(email);
    const ended = await a.context.repositories.sessions.findMany({ where: { userId: user!.id, isActive: false } });
    expect(ended.length).toBeGreaterThanOrEqual(2);
  });

  it('an unknown address gets the same answer as a known one, and no mail', async () => {
    const known = `known-${Date.now()}@example.com`;
    const unknown = `unknown-${Date.now()}@example.com`;
    await post(a, '/api/auth/sign-up/email', { email: known, password: 'a known password', name: 'Kim' });
    await smtp.waitForMail(known, MAIL_DEADLINE_MS); // the verification mail

    const forUnknown = await post(a, '/api/auth/request-password-reset', { email: unknown });
    const forKnown = await post(a, '/api/auth/request-password-reset', { email: known });
    expect(forUnknown.status).toBe(forKnown.status);
    expect(await forUnknown.json()).toEqual(await forKnown.json());
    // The known address's mail arrives; once every delivery in flight is done, none went to the unknown one.
    expect((await smtp.waitForMail(known, MAIL_DEADLINE_MS)).subject).toBe('Reset your auth-service password');
    await a.context.background.drain(MAIL_DEADLINE_MS);
    expect(smtp.mailsTo(unknown)).toEqual([]);
  });

  it('a mail server that refuses does not change the answer: the failure is a warn line without the SMTP password', async () => {
    const refusing = await startTwoInstances('mailrefused', { SMTP_URL: smtp.url.replace(/:[^:@/]+@/, ':wrong-password@') });
    try {
      const email = `refused-${Date.now()}@example.com`;
      const answer = await post(refusing.a, '/api/auth/request-password-reset', { email: 'nobody@example.com' });
      await post(refusing.a, '/api/auth/sign-up/email', { email, password: 'refused password', name: 'Ref' });
      const known = await post(refusing.a, '/api/auth/request-password-reset', { email });
      expect(known.status).toBe(200);
      expect(await known.json()).toEqual(await answer.json());
      await refusing.a.context.background.drain(MAIL_DEADLINE_MS);
      const warns = refusing.a.logs.map((l) => JSON.parse(l) as { level: number; msg: string; task?: string; code?: string }).filter((l) => l.msg === 'background task failed');
      expect(warns).toEqual(expect.arrayContaining([expect.objectContaining({ level: 40, task: 'mail: reset password', code: 'EAUTH' })]));
      expect(refusing.a.logs.join('\n')).not.toContain(new URL(smtp.url).password);
      expect(smtp.mailsTo(email)).toEqual([]);
    } finally {
      await refusing.close();
    }
  });
});
