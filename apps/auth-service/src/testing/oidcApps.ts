import { randomBytes } from 'node:crypto';
import { Browser, freePort, startOidcProvider, type HarnessOidcProvider } from '@tools/test-harness';
import { migratedDatabase, startTestApp, type TestApp, type TestAppOptions } from './testApp';

export interface OidcApps {
  idp: HarnessOidcProvider;
  apps: TestApp[];
  close(): Promise<void>;
}

export interface OidcAppsOptions {
  /** App instances on one database (and the harness Redis when more than one). @default 1 */
  instances?: number;
  /** IdP access-token lifetime. @default 60 */
  accessTokenTtlS?: number;
  env?: Record<string, string>;
  /** Passed to the first instance (see `TestAppOptions.onRoute`). */
  onRoute?: TestAppOptions['onRoute'];
}

/**
 * The harness IdP and `instances` apps signed up as its client: ports are chosen first so the
 * redirect URIs can be registered; back-channel logout goes to the first instance.
 */
export async function startAppsWithIdp(options: OidcAppsOptions = {}): Promise<OidcApps> {
  const count = options.instances ?? 1;
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  const idp = await startOidcProvider({
    redirectUris: ports.map((p) => `http://127.0.0.1:${p}/api/auth/callback/keycloak`),
    backchannelLogoutUri: `http://127.0.0.1:${ports[0]}/api/oidc/backchannel-logout`,
    accessTokenTtlS: options.accessTokenTtlS,
  });
  const database = await migratedDatabase('oidc');
  const key = `k1:${randomBytes(32).toString('base64')}`;
  const apps: TestApp[] = [];
  for (const [index, port] of ports.entries()) {
    apps.push(
      await startTestApp({
        database,
        ...(index === 0 && options.onRoute ? { onRoute: options.onRoute } : {}),
        redis: count > 1,
        env: { PORT: String(port), OIDC_ISSUER: idp.issuer, OIDC_CLIENT_ID: idp.clientId, OIDC_CLIENT_SECRET: idp.clientSecret, UPSTREAM_TOKEN_KEY: key, ...options.env },
      }),
    );
  }
  return {
    idp,
    apps,
    async close() {
      for (const app of apps) await app.close();
      await database.drop();
      await idp.close();
    },
  };
}

/** Signs `account` in at the IdP through the app (code + PKCE); the browser holds the session cookie. */
export async function signInThroughIdp(app: TestApp, account: string): Promise<Browser> {
  const browser = new Browser();
  const start = await browser.fetch(`${app.url}/api/auth/sign-in/social`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: app.url },
    body: JSON.stringify({ provider: 'keycloak', callbackURL: '/signed-in', additionalData: {}, loginHint: account }),
  });
  if (start.status !== 200) throw new Error(`sign-in/social answered ${start.status}: ${await start.text()}`);
  const { url } = (await start.json()) as { url: string };
  const { url: landed } = await browser.follow(url, (next) => next.pathname === '/signed-in');
  if (new URL(landed).pathname !== '/signed-in') throw new Error(`sign-in ended at ${landed}`);
  return browser;
}
