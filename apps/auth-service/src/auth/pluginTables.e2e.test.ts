import { createLocalJWKSet, jwtVerify } from 'jose';
import { waitFor } from '@tools/test-harness';
import { postJson, signUp, type SignedUpUser } from '../features/betterAuth/testing/users';
import { softRegistration } from '../testing/softAuthenticator';
import { startTwoInstances, type TestApp } from '../testing/testApp';
import { totpFromUri } from '../testing/totp';

/** The public URL both instances sit behind (as behind a load balancer): one issuer, one passkey relying party. */
const PUBLIC_URL = 'http://localhost:4000';
const PASSWORD = 'correct horse battery';

/** A cookie the answer set, by the end of its name (Better-Auth prefixes some: `better-auth.better-auth-passkey`). */
const cookieOf = (headers: Headers, name: string): string => {
  const found = headers.getSetCookie().find((c) => c.split('=')[0].endsWith(name));
  if (!found) throw new Error(`no ${name} cookie in ${headers.getSetCookie().join(' | ')}`);
  return found.split(';')[0];
};

const getJson = async (url: string, headers: Record<string, string> = {}) => {
  const response = await fetch(url, { headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
};

describe("Better-Auth's plugin tables through our adapter and cache (two instances)", () => {
  let pair: Awaited<ReturnType<typeof startTwoInstances>>;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    pair = await startTwoInstances('plugins', { AUTH_PLUGINS: 'two-factor,organization,jwt,passkey', BETTER_AUTH_URL: PUBLIC_URL });
    ({ a, b } = pair);
    await Promise.all([a.context.cache.ready(), b.context.cache.ready()]);
  });
  afterAll(async () => {
    await pair?.close();
  });

  it('two-factor: TOTP enabled on A, sign-in on B asks for the code, and the code from the secret signs in on A', async () => {
    const user = await signUp(a.url, 'Totp User');
    const enabled = await postJson(`${a.url}/api/auth/two-factor/enable`, { password: PASSWORD }, { cookie: user.cookie });
    expect(enabled.status).toBe(200);
    const uri = enabled.body['totpURI'] as string;
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(enabled.body['backupCodes']).toHaveLength(10);
    const row = await a.context.repositories.tables.twoFactor.findFirst({ where: { userId: user.id } });
    expect(row).toMatchObject({ userId: user.id, verified: false });
    expect(String(row!['secret'])).not.toContain(new URL(uri).searchParams.get('secret'));

    // Confirming a first code (on B) turns two-factor on and replaces the session.
    const confirmed = await postJson(`${b.url}/api/auth/two-factor/verify-totp`, { code: totpFromUri(uri) }, { cookie: user.cookie });
    expect(confirmed.status).toBe(200);
    expect((await b.context.repositories.users.findById(user.id))?.twoFactorEnabled).toBe(true);

    const signIn = await postJson(`${b.url}/api/auth/sign-in/email`, { email: user.email, password: PASSWORD });
    expect(signIn.status).toBe(200);
    expect(signIn.body['twoFactorRedirect']).toBe(true);
    const challenge = cookieOf(signIn.headers, 'better-auth.two_factor');

    const wrong = await postJson(`${a.url}/api/auth/two-factor/verify-totp`, { code: totpFromUri(uri, Date.now() - 10 * 60_000) }, { cookie: challenge });
    expect(wrong.status).toBe(401);
    expect(wrong.body['code']).toBe('INVALID_CODE');
    const verified = await postJson(`${a.url}/api/auth/two-factor/verify-totp`, { code: totpFromUri(uri) }, { cookie: challenge });
    expect(verified.status).toBe(200);
    const session = await getJson(`${b.url}/api/auth/get-session`, { cookie: cookieOf(verified.headers, 'better-auth.session_token') });
    expect(session.status).toBe(200);
    expect((session.body['user'] as { email: string }).email).toBe(user.email);
    // The wrong code was counted and the right one reset the count, on the row both instances read.
    expect((await b.context.repositories.tables.twoFactor.findFirst({ where: { userId: user.id } }))?.['failedVerificationCount']).toBe(0);
  });

  it('organization: created on A (with its default team), a member invited on A accepts on B and holds the invited role; a team is added on B', async () => {
    const owner = await signUp(a.url, 'Org Owner');
    const invitee = await signUp(b.url, 'Invitee');
    const slug = `org-${Date.now()}`;
    const created = await postJson(`${a.url}/api/auth/organization/create`, { name: 'Acme', slug }, { cookie: owner.cookie });
    expect(created.status).toBe(200);
    const organizationId = created.body['id'] as string;
    expect(await postJson(`${b.url}/api/auth/organization/create`, { name: 'Copy', slug }, { cookie: invitee.cookie })).toMatchObject({ status: 400 });
    // Past the model's bounds: refused by the repository's Zod schema before any query, as 400 JSON.
    const tooLong = await postJson(`${b.url}/api/auth/organization/create`, { name: 'x'.repeat(300), slug: `${slug}-long` }, { cookie: invitee.cookie });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toMatchObject({ error: { code: 'VALIDATION' } });

    const invited = await postJson(`${a.url}/api/auth/organization/invite-member`, { email: invitee.email, role: 'admin', organizationId }, { cookie: owner.cookie });
    expect(invited.status).toBe(200);
    expect(invited.body).toMatchObject({ email: invitee.email, role: 'admin', status: 'pending' });
    // Our ids come from `generateId`, so Better-Auth asks for a verified email before an invitation is used.
    expect((await postJson(`${b.url}/api/auth/organization/accept-invitation`, { invitationId: invited.body['id'] }, { cookie: invitee.cookie })).status).toBe(403);
    await b.context.repositories.users.update(invitee.id, { emailVerified: true }); // as the verification link would (on the instance that reads it next)
    const accepted = await postJson(`${b.url}/api/auth/organization/accept-invitation`, { invitationId: invited.body['id'] }, { cookie: invitee.cookie });
    expect(accepted.status).toBe(200);
    expect(accepted.body['member']).toMatchObject({ userId: invitee.id, organizationId, role: 'admin' });

    const members = await getJson(`${a.url}/api/auth/organization/list-members?organizationId=${organizationId}`, { cookie: owner.cookie });
    expect(members.status).toBe(200);
    const roles = (members.body['members'] as Array<{ userId: string; role: string }>).map((m) => [m.userId, m.role]);
    expect(roles.sort()).toEqual([[owner.id, 'owner'], [invitee.id, 'admin']].sort());
    expect((await b.context.repositories.tables.invitation.findById(invited.body['id'] as string))?.['status']).toBe('accepted');

    const team = await postJson(`${b.url}/api/auth/organization/create-team`, { name: 'Core', organizationId }, { cookie: owner.cookie });
    expect(team.status).toBe(200);
    // With teams on, the organization came with a default team of its own name.
    const teams = await a.context.repositories.tables.team.findMany({ where: { organizationId } });
    expect(teams.map((t) => t['name']).sort()).toEqual(['Acme', 'Core']);

    // B has just read (and cached) the owner's session; the active organization set on A is what B answers next.
    expect((await postJson(`${a.url}/api/auth/organization/set-active`, { organizationId }, { cookie: owner.cookie })).status).toBe(200);
    // The invalidation crosses the cache bus: wait for it with a deadline.
    await waitFor(async () => {
      const session = await getJson(`${b.url}/api/auth/get-session`, { cookie: owner.cookie });
      expect(session.body['session']).toMatchObject({ activeOrganizationId: organizationId });
    }, 5_000, 'B answers the active organization set on A');
  });

  it('passkey: registration options from A, the credential verified on B, the stored passkey listed by A', async () => {
    const user: SignedUpUser = await signUp(a.url, 'Passkey User');
    const options = await getJson(`${a.url}/api/auth/passkey/generate-register-options`, { cookie: user.cookie });
    expect(options.status).toBe(200);
    expect(options.body['rp']).toMatchObject({ id: 'localhost' });
    const challengeCookie = cookieOf(options.headers, 'better-auth-passkey');

    const response = softRegistration({ rpID: 'localhost', challenge: options.body['challenge'] as string, origin: PUBLIC_URL });
    const registered = await postJson(`${b.url}/api/auth/passkey/verify-registration`, { response, name: 'laptop' }, { cookie: `${user.cookie}; ${challengeCookie}` });
    expect(registered.status).toBe(200);
    expect(registered.body).toMatchObject({ userId: user.id, credentialID: response.id, name: 'laptop', counter: 0 });

    const rows = await a.context.repositories.tables.passkey.findMany({ where: { userId: user.id } });
    expect(rows).toEqual([expect.objectContaining({ credentialID: response.id, deviceType: 'singleDevice', backedUp: false, transports: 'internal' })]);
    const listed = await fetch(`${a.url}/api/auth/passkey/list-user-passkeys`, { headers: { cookie: user.cookie } });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as Array<{ credentialID: string }>).map((p) => p.credentialID)).toEqual([response.id]);

    // The challenge was used up: the same answer again is refused.
    const replay = await postJson(`${b.url}/api/auth/passkey/verify-registration`, { response, name: 'again' }, { cookie: `${user.cookie}; ${challengeCookie}` });
    expect(replay.status).toBe(400);
  });

  it('jwt: both instances publish the same key set, and a token from A verifies against B’s /jwks', async () => {
    const user = await signUp(a.url, 'Jwt User');
    const token = await getJson(`${a.url}/api/auth/token`, { cookie: user.cookie });
    expect(token.status).toBe(200);
    const fromA = await getJson(`${a.url}/api/auth/jwks`);
    const fromB = await getJson(`${b.url}/api/auth/jwks`);
    expect(fromA.status).toBe(200);
    expect(fromB.body).toEqual(fromA.body);
    expect(fromB.body['keys']).toHaveLength(1);
    const { payload } = await jwtVerify(token.body['token'] as string, createLocalJWKSet(fromB.body as never), { issuer: PUBLIC_URL });
    expect(payload.sub).toBe(user.id);
    expect(await b.context.repositories.tables.jwks.count()).toBe(1);
  });
});
