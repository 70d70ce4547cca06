import type { IdpDiscovery } from './discovery';
import { IdpUnavailableError } from './discovery';

/** Tokens a refresh returned, plain (the caller encrypts them before storing). */
export interface RefreshedTokens {
  accessToken: string;
  refreshToken: string | null;
  idToken: string | null;
  accessTokenExpiresAt: Date;
  refreshTokenExpiresAt: Date | null;
}

/** The IdP refused the refresh (`invalid_grant` …): the grant is gone; the session must end. */
export class UpstreamGrantError extends Error {
  constructor(readonly code: string) {
    super(`the IdP refused the refresh: ${code}`);
    this.name = 'UpstreamGrantError';
  }
}

/** `grant_type=refresh_token` at the IdP's token endpoint, client_secret_basic. */
export async function refreshAtIdp(discovery: IdpDiscovery, client: { clientId: string; clientSecret: string }, refreshToken: string, now = Date.now()): Promise<RefreshedTokens> {
  const { token_endpoint } = await discovery.metadata();
  const basic = Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64');
  let response: Response;
  try {
    response = await fetch(token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}`, accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
      signal: AbortSignal.timeout(5_000),
    });
  } catch (error) {
    throw new IdpUnavailableError('the IdP token endpoint did not answer', { cause: error });
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.status >= 500 || response.status === 429) throw new IdpUnavailableError(`the IdP token endpoint answered ${response.status}`);
  if (!response.ok) throw new UpstreamGrantError(typeof body.error === 'string' ? body.error : `http_${response.status}`);
  if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') throw new IdpUnavailableError('the IdP token response has no access token');
  return {
    accessToken: body.access_token,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : null,
    idToken: typeof body.id_token === 'string' ? body.id_token : null,
    accessTokenExpiresAt: new Date(now + body.expires_in * 1_000),
    refreshTokenExpiresAt: typeof body.refresh_expires_in === 'number' && body.refresh_expires_in > 0 ? new Date(now + body.refresh_expires_in * 1_000) : null,
  };
}
