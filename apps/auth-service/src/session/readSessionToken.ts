import { readCookies, tryDecode } from './readCookies';
import type { SessionSettings } from './sessionSettings';
import { SIGNATURE_PATTERN, verifySignature } from './signature';

/**
 * What the request carries, decided exactly as Better-Auth 1.7.25 decides it:
 * - `token`: a session token Better-Auth would look up (signature verified);
 * - `none`: Better-Auth would answer `null` without looking anything up (no credential, or a
 *   cookie with a missing or wrong signature) and without setting cookies;
 * - `defer`: anything the fast path does not reproduce with certainty; Better-Auth answers.
 */
export type SessionCredential = { kind: 'token'; token: string } | { kind: 'none' } | { kind: 'defer' };

/** Better-Auth's tokens are `generateId(32)` (alphanumeric); other spellings are left to it. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,512}$/;
const SIGNED_PATTERN = /^([A-Za-z0-9_-]{1,512})\.([A-Za-z0-9+/]{43}=)$/;

const NONE: SessionCredential = { kind: 'none' };
const DEFER: SessionCredential = { kind: 'defer' };

/**
 * The bearer plugin's `before` hook: `Authorization: Bearer <token>` (scheme case-insensitive)
 * replaces the session cookie when its signature verifies; an unsigned token is signed by the
 * server itself unless `requireSignature`. Returns undefined when the hook would do nothing.
 */
function fromBearer(authorization: string | undefined, settings: SessionSettings): SessionCredential | undefined {
  if (!settings.bearer.enabled || !authorization) return undefined;
  if (authorization.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
  const raw = authorization.slice(7).trim();
  if (!raw) return undefined;
  if (raw.includes('.')) {
    const signed = SIGNED_PATTERN.exec(tryDecode(raw));
    if (!signed) return DEFER;
    // A wrong signature makes the hook a no-op: the cookie (if any) decides.
    return verifySignature(signed[1], signed[2], settings.secret) ? { kind: 'token', token: signed[1] } : undefined;
  }
  if (settings.bearer.requireSignature) return undefined;
  return TOKEN_PATTERN.test(raw) ? { kind: 'token', token: raw } : DEFER;
}

/** better-call's `getSignedCookie`: `value.signature`, signature 44 characters ending in `=`. */
function fromCookie(value: string | undefined, secret: string): SessionCredential {
  if (!value) return NONE;
  const dot = value.lastIndexOf('.');
  if (dot < 1) return NONE;
  const token = value.slice(0, dot);
  const signature = value.slice(dot + 1);
  if (signature.length !== 44 || !signature.endsWith('=')) return NONE;
  // atob's leniency (whitespace) and unusual token characters: Better-Auth decides.
  if (!SIGNATURE_PATTERN.test(signature) || !TOKEN_PATTERN.test(token)) return DEFER;
  return verifySignature(token, signature, secret) ? { kind: 'token', token } : NONE;
}

export function readSessionToken(headers: { authorization?: string; cookie?: string }, settings: SessionSettings): SessionCredential {
  const cookies = readCookies(headers.cookie, settings.cookies);
  // The cookie cache or "don't remember me" cookies change Better-Auth's answer and headers.
  if (cookies.other) return DEFER;
  return fromBearer(headers.authorization, settings) ?? fromCookie(cookies.sessionToken, settings.secret);
}
