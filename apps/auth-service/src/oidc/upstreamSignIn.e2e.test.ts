import { startAppsWithIdp, signInThroughIdp, type OidcApps } from '../testing/oidcApps';
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
});
