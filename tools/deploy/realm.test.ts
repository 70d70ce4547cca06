import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { appEnvironment } from '../stack/pieces/app';
import { REPO_ROOT } from './appSources';

/**
 * The Keycloak realm the compose stack imports agrees with the app it serves: every URL the IdP
 * sends a browser to is the compose base URL (HAProxy's published port, BETTER_AUTH_URL) plus the
 * app's own paths, and the back-channel logout URL is one Keycloak reaches inside the compose
 * network (HAProxy's service name and bound port), so no host mapping is needed.
 */
const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');

interface RealmClient {
  clientId: string;
  secret: string;
  redirectUris: string[];
  webOrigins: string[];
  attributes: Record<string, string>;
}
const realm = JSON.parse(read('docker/keycloak/realm-app.json')) as { realm: string; clients: RealmClient[] };
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, { environment?: Record<string, string>; ports?: string[]; command?: string[]; extra_hosts?: string[] }>;
};
const app = compose.services['auth-service-1'].environment!;
const client = realm.clients.find((c) => c.clientId === app.OIDC_CLIENT_ID)!;

/** The app's own paths, from its sources (tools may not import the app). */
const authBasePath = /AUTH_BASE_PATH = '([^']+)'/.exec(read('apps/auth-service/src/auth/createAuth.ts'))![1];
const backchannelPath = /BACKCHANNEL_LOGOUT_PATH = '([^']+)'/.exec(read('apps/auth-service/src/features/oidc/backchannelLogoutRoute.ts'))![1];
const defaultProviderId = /OIDC_PROVIDER_ID: z\.string\(\)[^\n]*\.default\('([^']+)'\)/.exec(read('apps/auth-service/src/oidc/oidcConfig.ts'))![1];

describe('docker/keycloak/realm-app.json matches the compose stack', () => {
  const base = app.BETTER_AUTH_URL;

  it('the compose base URL is HAProxy on the host, and the app trusts it', () => {
    expect(compose.services.haproxy.ports).toContain(`${new URL(base).port}:8000`);
    expect(app.TRUSTED_ORIGINS.split(',')).toContain(new URL(base).origin);
  });

  it('the client is the one the app names, with the secret from the environment', () => {
    expect(client).toBeDefined();
    expect(client.secret).toBe('${OIDC_CLIENT_SECRET}');
    expect(compose.services.keycloak.environment!.OIDC_CLIENT_SECRET).toBe(app.OIDC_CLIENT_SECRET);
    // The issuer the app discovers is this realm, on the hostname Keycloak announces.
    const issuer = new URL(app.OIDC_ISSUER);
    expect(issuer.pathname).toBe(`/realms/${realm.realm}`);
    const command = compose.services.keycloak.command!;
    expect(command[command.indexOf('--hostname') + 1]).toBe(issuer.origin);
    // The containers reach that hostname through the host, where Keycloak's port is published.
    expect(compose.services.keycloak.ports).toContain(`${issuer.port}:8080`);
    expect(compose.services['auth-service-1'].extra_hosts).toContain(`${issuer.hostname}:host-gateway`);
  });

  it('redirect URI, web origin and post-logout redirect are derived from the base URL', () => {
    const providerId = app.OIDC_PROVIDER_ID ?? defaultProviderId;
    expect(client.redirectUris).toEqual([`${base}${authBasePath}/callback/${providerId}`]);
    expect(client.webOrigins).toEqual([new URL(base).origin]);
    expect(client.attributes['post.logout.redirect.uris']).toBe(`${base}/*`);
  });

  it('back-channel logout goes to HAProxy by its compose service name, on the port it binds, at the app\'s route', () => {
    const url = new URL(client.attributes['backchannel.logout.url']);
    expect(url.pathname).toBe(backchannelPath);
    expect(url.hostname).toBe('haproxy');
    expect(compose.services[url.hostname]).toBeDefined();
    expect(read('deploy/haproxy.cfg')).toMatch(new RegExp(`^\\s*bind :${url.port}$`, 'm'));
    expect(client.attributes['backchannel.logout.session.required']).toBe('true');
    // Inside the network: Keycloak needs no host mapping to call back.
    expect(compose.services.keycloak.extra_hosts).toBeUndefined();
  });

  it('`npm run stack` runs no IdP, so the realm needs no URL of its own (give the stack one, and its public URL must join redirectUris)', () => {
    const env = appEnvironment({
      index: 1,
      port: 7410,
      repoRoot: REPO_ROOT,
      stackDir: '/tmp/stack',
      postgres: { primaryUrl: 'postgresql://127.0.0.1:7403/auth', replicaUrls: [] },
      redis: { url: 'redis://127.0.0.1:7404', sentinels: [] },
      secret: 'x'.repeat(32),
      publicUrl: 'http://127.0.0.1:7400',
      trustedOrigins: [],
      admin: { email: 'admin@example.com', password: 'admin-password' },
      smtpUrl: 'smtp://127.0.0.1:7409',
    });
    expect(Object.keys(env).filter((name) => name.startsWith('OIDC_'))).toEqual([]);
    expect(client.redirectUris.some((uri) => uri.startsWith(env.BETTER_AUTH_URL))).toBe(false);
  });
});
