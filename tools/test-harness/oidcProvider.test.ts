import { createHash, randomBytes } from 'node:crypto';
import { Browser } from './browser';
import { startOidcProvider, type HarnessOidcProvider } from './oidcProvider';

const redirectUri = 'http://127.0.0.1:9/callback';
let idp: HarnessOidcProvider;

beforeAll(async () => {
  idp = await startOidcProvider({ redirectUris: [redirectUri], backchannelLogoutUri: 'http://127.0.0.1:9/logout', accessTokenTtlS: 30 });
});
afterAll(() => idp.close());

async function tokenRequest(body: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }> {
  const discovery = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as { token_endpoint: string };
  const response = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${idp.clientId}:${idp.clientSecret}`).toString('base64')}` },
    body: new URLSearchParams(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Code flow + PKCE as a client would run it; returns the token response. */
async function signIn(account: string): Promise<Record<string, unknown>> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const auth = new URL(`${idp.issuer}/auth`);
  for (const [k, v] of Object.entries({ client_id: idp.clientId, response_type: 'code', redirect_uri: redirectUri, scope: 'openid email profile', state: 's1', code_challenge: challenge, code_challenge_method: 'S256', login_hint: account })) {
    auth.searchParams.set(k, v);
  }
  const { url } = await new Browser().follow(auth.toString(), (next) => next.toString().startsWith(redirectUri));
  const code = new URL(url).searchParams.get('code');
  expect(code).toBeTruthy();
  const { status, json } = await tokenRequest({ grant_type: 'authorization_code', code: code!, redirect_uri: redirectUri, code_verifier: verifier });
  expect(status).toBe(200);
  return json;
}

describe('harness OpenID Provider', () => {
  it('signs a user in with code + PKCE, rotates the refresh token and revokes the family on reuse', async () => {
    const tokens = await signIn('bob');
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 30 });
    const claims = JSON.parse(Buffer.from(String(tokens.id_token).split('.')[1], 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: 'bob', iss: idp.issuer, aud: idp.clientId });
    expect(typeof claims.sid).toBe('string');

    const first = await tokenRequest({ grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) });
    expect(first.status).toBe(200);
    expect(first.json.refresh_token).not.toBe(tokens.refresh_token);
    const reused = await tokenRequest({ grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) });
    expect(reused).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    const afterReuse = await tokenRequest({ grant_type: 'refresh_token', refresh_token: String(first.json.refresh_token) });
    expect(afterReuse.json.error).toBe('invalid_grant');
    expect(await idp.counts()).toMatchObject({ authorization_code: 1, refresh_token: 1 });
  });

  it('revokes a session on request (invalid_grant) and goes down and up again with its state', async () => {
    const tokens = await signIn('carol');
    const sid = (JSON.parse(Buffer.from(String(tokens.id_token).split('.')[1], 'base64url').toString()) as { sid: string }).sid;
    await idp.stop();
    await expect(fetch(`${idp.issuer}/.well-known/openid-configuration`)).rejects.toThrow();
    await idp.start();
    const refreshed = await tokenRequest({ grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) });
    expect(refreshed.status).toBe(200);
    expect(await idp.revokeSession(sid)).toBeGreaterThan(0);
    const revoked = await tokenRequest({ grant_type: 'refresh_token', refresh_token: String(refreshed.json.refresh_token) });
    expect(revoked.json.error).toBe('invalid_grant');
  });
});
