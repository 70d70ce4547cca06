import { callbackThroughIdp, startAppsWithIdp, signInThroughIdp, type OidcApps } from '../testing/oidcApps';
import type { TestApp } from '../testing/testApp';
import { TokenCipher } from './tokenCipher';

let env: OidcApps;

beforeAll(async () => {
  env = await startAppsWithIdp();
});
afterAll(() => env.close());

describe('upstream OIDC sign-in through Better-Auth', () => {
  it('signs in with code + PKCE and stores the IdP sid and encrypted tokens on the session', async () => {
    const [app] = env.apps;
    const browser = await signInThroughIdp(app, 'dave');
    const session = await fetch(`${app.url}/api/auth/get-session`, { headers: { cookie: browser.cookieHeader(app.url) } });
    expect(session.status).toBe(200);
    const body = (await session.json()) as { user: { email: string }; session: { id: string } };
    expect(body.user.email).toBe('dave@idp.test');

    const row = await app.context.repositories.sessions.findById(body.session.id);
    const [idpSession] = (await env.idp.sessions()).filter((s) => s.accountId === 'dave');
    expect(row?.keycloakSessionId).toBe(idpSession.sid);
    const cipher = app.context.upstream!.cipher;
    for (const stored of [row!.accessToken!, row!.refreshToken!, row!.idToken!]) {
      expect(TokenCipher.keyIdOf(stored)).toBe('k1');
      expect(stored.startsWith('v1.k1.')).toBe(true);
    }
    const idToken = cipher.decrypt(row!.idToken!);
    expect(JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString())).toMatchObject({ sub: 'dave', sid: idpSession.sid });
    expect(row!.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now());
    expect(await app.context.repositories.sessions.findActiveByKeycloakSessionId(idpSession.sid)).toEqual([expect.objectContaining({ id: body.session.id })]);
    // Nothing of the tokens reached the logs.
    const plainRefresh = cipher.decrypt(row!.refreshToken!);
    expect(app.logs.join('\n')).not.toContain(plainRefresh);
    expect(app.logs.join('\n')).not.toContain(cipher.decrypt(row!.accessToken!));
    expect((await env.idp.counts()).authorization_code).toBeGreaterThanOrEqual(1);
  });

  it('refuses a replayed back-channel logout token (its jti is remembered until exp); a fresh token is still accepted', async () => {
    const [app] = env.apps;
    const browser = await signInThroughIdp(app, 'henry');
    const [idpSession] = (await env.idp.sessions()).filter((s) => s.accountId === 'henry');
    const post = (logoutToken: string) =>
      fetch(`${app.url}/api/oidc/backchannel-logout`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ logout_token: logoutToken }) });
    const token = await env.idp.logoutToken(idpSession.sid);
    expect((await post(token)).status).toBe(200);
    const session = await fetch(`${app.url}/api/auth/get-session`, { headers: { cookie: browser.cookieHeader(app.url) } });
    expect(await session.json()).toBeNull();
    const replay = await post(token);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: { code: 'LOGOUT_TOKEN_REPLAYED' } });
    expect((await post(await env.idp.logoutToken(idpSession.sid))).status).toBe(200);
  });

  describe('linking an upstream identity to an existing local user with the same email', () => {
    /** A local email-and-password user at `<account>@idp.test`, its address verified or not. */
    const localUser = async (app: TestApp, account: string, verified: boolean) => {
      const email = `${account}@idp.test`;
      const res = await fetch(`${app.url}/api/auth/sign-up/email`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'local password 123', name: 'Local' }) });
      expect(res.status).toBe(200);
      const user = (await app.context.repositories.users.findByEmail(email))!;
      if (verified) await app.context.repositories.users.update(user.id, { emailVerified: true });
      return user;
    };
    const providers = async (app: TestApp, userId: string) => (await app.context.repositories.accounts.findByUserId(userId)).map((a) => a.providerId).sort();

    it('links when the local email is verified and the IdP says email_verified: one user, both accounts', async () => {
      const [app] = env.apps;
      const user = await localUser(app, 'linda', true);
      const browser = await signInThroughIdp(app, 'linda');
      const session = (await (await fetch(`${app.url}/api/auth/get-session`, { headers: { cookie: browser.cookieHeader(app.url) } })).json()) as { user: { id: string } };
      expect(session.user.id).toBe(user.id);
      expect(await providers(app, user.id)).toEqual(['credential', 'keycloak']);
    });

    it.each([
      ['the local email is not verified (a squat on the address)', 'uma', false],
      ['the IdP does not say email_verified', 'unverified-victor', true],
    ])('refuses when %s: no link, no session', async (_case, account, verified) => {
      const [app] = env.apps;
      const user = await localUser(app, account, verified);
      const { browser, landed } = await callbackThroughIdp(app, account);
      expect(new URL(landed).searchParams.get('error')).toBe('account_not_linked');
      expect(await (await fetch(`${app.url}/api/auth/get-session`, { headers: { cookie: browser.cookieHeader(app.url) } })).json()).toBeNull();
      expect(await providers(app, user.id)).toEqual(['credential']);
      expect(await app.context.repositories.users.count({ email: `${account}@idp.test` })).toBe(1);
    });
  });
});
