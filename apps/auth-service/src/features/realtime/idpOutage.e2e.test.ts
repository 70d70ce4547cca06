import { startAppsWithIdp, signInThroughIdp, type OidcApps } from '../../testing/oidcApps';
import { openSocket } from '../../testing/wsClient';
import { CLOSE_CODES } from './protocol';

// Access tokens live 5 s, refreshed 3 s before expiry, 1 s of grace: the outage plays out in ~6 s.
let env: OidcApps;

beforeAll(async () => {
  env = await startAppsWithIdp({ accessTokenTtlS: 5, env: { WS_REFRESH_SKEW_MS: '3000', WS_REFRESH_GRACE_MS: '1000' } });
});
afterAll(() => env.close());

describe('IdP outage with live sockets', () => {
  it('IdP down: sockets get session_expiring, stay open until expiry + grace, then close with 4005', async () => {
    const [a] = env.apps;
    const browser = await signInThroughIdp(a, 'heidi');
    const socket = await openSocket(a.url, { cookie: browser.cookieHeader(a.url) });
    const expiresAt = Date.parse(String(socket.messages[0].data.accessTokenExpiresAt));
    await env.idp.stop();
    try {
      const expiring = await socket.next('session_expiring');
      expect(Date.parse(String(expiring.data.closesAt))).toBe(expiresAt + 1_000);
      expect(await socket.closed).toBe(CLOSE_CODES.REFRESH_FAILED);
      // Not before the access token (plus grace) ran out.
      expect(Date.now()).toBeGreaterThanOrEqual(expiresAt + 1_000);
    } finally {
      await env.idp.start();
    }
  });
});
