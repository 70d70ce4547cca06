import { randomBytes } from 'node:crypto';
import { migrate } from '@libs/database';
import { Browser, freePort, startDedicatedPostgres, startOidcProvider, type HarnessOidcProvider, type LocalPostgres } from '@tools/test-harness';
import { migratedDatabase, startTestApp, type TestApp, type TestAppOptions } from './testApp';

export interface OidcApps {
  idp: HarnessOidcProvider;
  apps: TestApp[];
  /** The Postgres of its own the apps run on, with `dedicatedPostgres` (the test may stop it). */
  pg?: LocalPostgres;
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
  /** Run on a migrated Postgres of its own instead of a database on the harness one. @default false */
  dedicatedPostgres?: boolean;
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
  const pg = options.dedicatedPostgres ? await startDedicatedPostgres() : undefined;
  if (pg) await migrate(pg.url);
  const database = pg ? undefined : await migratedDatabase('oidc');
  const key = `k1:${randomBytes(32).toString('base64')}`;
  const apps: TestApp[] = [];
  for (const [index, port] of ports.entries()) {
    apps.push(
      await startTestApp({
        ...(pg ? { databaseUrl: pg.url } : { database }),
        ...(index === 0 && options.onRoute ? { onRoute: options.onRoute } : {}),
        redis: count > 1,
        env: { PORT: String(port), OIDC_ISSUER: idp.issuer, OIDC_CLIENT_ID: idp.clientId, OIDC_CLIENT_SECRET: idp.clientSecret, UPSTREAM_TOKEN_KEY: key, ...options.env },
      }),
    );
  }
  return {
    idp,
    apps,
    pg,
    async close() {
      for (const app of apps) await app.close();
      await database?.drop();
      await pg?.destroy();
      await idp.close();
    },
  };
}

/**
 * Starts a sign-in of `account` at the IdP through the app (code + PKCE) and follows it up to the
 * app's callback: `callback` is the callback's answer (its redirect to `/signed-in` on success),
 * `landed` where it points.
 */
export async function callbackThroughIdp(app: TestApp, account: string): Promise<{ browser: Browser; callback: Response; landed: string }> {
  const browser = new Browser();
  const start = await browser.fetch(`${app.url}/api/auth/sign-in/social`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: app.url },
    body: JSON.stringify({ provider: 'keycloak', callbackURL: '/signed-in', additionalData: {}, loginHint: account }),
  });
  if (start.status !== 200) throw new Error(`sign-in/social answered ${start.status}: ${await start.text()}`);
  const { url } = (await start.json()) as { url: string };
  const { response: callback, url: landed } = await browser.follow(url, (next) => next.pathname === '/signed-in');
  return { browser, callback, landed };
}

/** Signs `account` in at the IdP through the app (code + PKCE); the browser holds the session cookie. */
export async function signInThroughIdp(app: TestApp, account: string): Promise<Browser> {
  const { browser, landed } = await callbackThroughIdp(app, account);
  if (new URL(landed).pathname !== '/signed-in') throw new Error(`sign-in ended at ${landed}`);
  return browser;
}
