import { parseCookies } from 'better-call';
import { getCookies } from 'better-auth/cookies';
import type { BetterAuthOptions } from 'better-auth';
import { SignatureCheck } from './signatureCheck';

/**
 * What a request carries as a session credential, decided as Better-Auth 1.7.25 decides it:
 * - `token`: a session token Better-Auth would look up (signature verified);
 * - `none`: Better-Auth would find no session without looking anything up (no credential, or a
 *   cookie with a missing or wrong signature);
 * - `defer`: a spelling only Better-Auth itself should judge (cookie cache, "don't remember me",
 *   unusual token characters). Guards treat it as no credential; the get-session route lets
 *   Better-Auth answer.
 */
export type SessionCredential = { kind: 'token'; token: string } | { kind: 'none' } | { kind: 'defer' };

/** The headers a credential is read from. */
export interface CredentialHeaders {
  authorization?: string;
  cookie?: string;
  'x-api-key'?: string | string[];
}

export const API_KEY_HEADER = 'x-api-key';

/** Better-Auth's tokens are `generateId(32)` (alphanumeric); other spellings are left to it. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,512}$/;
const SIGNATURE_PATTERN = /^[A-Za-z0-9+/]{43}=$/;
const SIGNED_PATTERN = /^([A-Za-z0-9_-]{1,512})\.([A-Za-z0-9+/]{43}=)$/;

const NONE: SessionCredential = { kind: 'none' };
const DEFER: SessionCredential = { kind: 'defer' };

export interface CredentialSettings {
  secret: string;
  /** The bearer plugin is installed, and whether it requires a signed token. */
  bearer: { enabled: boolean; requireSignature: boolean };
}

function tryDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Reads session tokens (cookie or bearer) and API keys from request headers — the only place
 * that does. Cookie names come from Better-Auth's own `getCookies` for the configured options,
 * cookies are parsed with better-call's `parseCookies` (what Better-Auth reads them with).
 */
export class CredentialReader {
  readonly #names: { sessionToken: string; sessionData: string; dontRemember: string };
  readonly #bearer: CredentialSettings['bearer'];
  readonly #signatures: SignatureCheck;

  constructor(options: BetterAuthOptions, settings: CredentialSettings) {
    const cookies = getCookies(options);
    this.#names = { sessionToken: cookies.sessionToken.name, sessionData: cookies.sessionData.name, dontRemember: cookies.dontRememberToken.name };
    this.#bearer = settings.bearer;
    this.#signatures = new SignatureCheck(settings.secret);
  }

  /** The session cookie's name (for tests and clients). */
  get sessionCookieName(): string {
    return this.#names.sessionToken;
  }

  /** The presented API key; undefined when there is none, or more than one `x-api-key`. */
  apiKey(headers: CredentialHeaders): string | undefined {
    const value = headers[API_KEY_HEADER];
    return typeof value === 'string' ? value : undefined;
  }

  async sessionToken(headers: CredentialHeaders): Promise<SessionCredential> {
    const cookies = headers.cookie ? parseCookies(headers.cookie) : undefined;
    if (cookies) {
      // The cookie cache or "don't remember me" cookies change Better-Auth's answer and headers.
      if (cookies.has(this.#names.dontRemember)) return DEFER;
      for (const name of cookies.keys()) if (name.startsWith(this.#names.sessionData)) return DEFER;
    }
    return (await this.#fromBearer(headers.authorization)) ?? this.#fromCookie(cookies?.get(this.#names.sessionToken));
  }

  /**
   * The bearer plugin's `before` hook: `Authorization: Bearer <token>` (scheme case-insensitive)
   * replaces the session cookie when its signature verifies; an unsigned token is signed by the
   * server itself unless `requireSignature`. Undefined when the hook would do nothing.
   */
  async #fromBearer(authorization: string | undefined): Promise<SessionCredential | undefined> {
    if (!this.#bearer.enabled || !authorization) return undefined;
    if (authorization.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
    const raw = authorization.slice(7).trim();
    if (!raw) return undefined;
    if (raw.includes('.')) {
      const signed = SIGNED_PATTERN.exec(raw.includes('%') ? tryDecode(raw) : raw);
      if (!signed) return DEFER;
      // A wrong signature makes the hook a no-op: the cookie (if any) decides.
      return (await this.#signatures.verify(signed[1], signed[2])) ? { kind: 'token', token: signed[1] } : undefined;
    }
    if (this.#bearer.requireSignature) return undefined;
    return TOKEN_PATTERN.test(raw) ? { kind: 'token', token: raw } : DEFER;
  }

  /** better-call's `getSignedCookie`: `value.signature`, the signature 44 characters ending in `=`. */
  async #fromCookie(value: string | undefined): Promise<SessionCredential> {
    if (!value) return NONE;
    const dot = value.lastIndexOf('.');
    if (dot < 1) return NONE;
    const token = value.slice(0, dot);
    const signature = value.slice(dot + 1);
    if (signature.length !== 44 || !signature.endsWith('=')) return NONE;
    // atob's leniency (whitespace) and unusual token characters: Better-Auth decides.
    if (!SIGNATURE_PATTERN.test(signature) || !TOKEN_PATTERN.test(token)) return DEFER;
    return (await this.#signatures.verify(token, signature)) ? { kind: 'token', token } : NONE;
  }
}
