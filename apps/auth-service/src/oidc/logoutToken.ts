import { errors, jwtVerify, type JWTPayload } from 'jose';
import type { IdpDiscovery } from './discovery';
import { IdpUnavailableError } from './discovery';

export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** A logout token the app refuses (400 `invalid_request` per Back-Channel Logout 1.0 §2.8). */
export class InvalidLogoutTokenError extends Error {
  readonly code = 'INVALID_LOGOUT_TOKEN';
}

export interface LogoutClaims {
  sid?: string;
  sub?: string;
  jti: string;
  /** Expiry (epoch seconds), when the token carries one. */
  exp?: number;
}

/**
 * Validates a logout token (OIDC Back-Channel Logout 1.0 §2.6): signature by the IdP's JWKS,
 * `iss`, `aud` = our client id, `iat` present and recent, a `jti`, the back-channel logout `events`
 * member, `sid` and/or `sub`, and no `nonce`.
 */
export async function verifyLogoutToken(token: string, discovery: IdpDiscovery, clientId: string, maxAgeS = 300): Promise<LogoutClaims> {
  const jwks = await discovery.jwks();
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, jwks, { issuer: discovery.issuer, audience: clientId, maxTokenAge: maxAgeS, requiredClaims: ['iat', 'jti', 'events'] }));
  } catch (error) {
    if (error instanceof errors.JWKSTimeout || (error instanceof TypeError && /fetch/i.test(error.message))) throw new IdpUnavailableError('the IdP keys could not be fetched', { cause: error });
    throw new InvalidLogoutTokenError(`logout token rejected: ${(error as { code?: string }).code ?? 'invalid'}`);
  }
  const events = payload.events as Record<string, unknown> | undefined;
  if (!events || typeof events !== 'object' || typeof events[BACKCHANNEL_LOGOUT_EVENT] !== 'object') throw new InvalidLogoutTokenError('logout token has no back-channel logout event');
  if ('nonce' in payload) throw new InvalidLogoutTokenError('a logout token must not carry a nonce');
  const sid = typeof payload.sid === 'string' ? payload.sid : undefined;
  const sub = typeof payload.sub === 'string' ? payload.sub : undefined;
  if (!sid && !sub) throw new InvalidLogoutTokenError('logout token names neither sid nor sub');
  return { sid, sub, jti: String(payload.jti), exp: payload.exp };
}
