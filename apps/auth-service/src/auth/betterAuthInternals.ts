import type { Auth } from './createAuth';

/** Better-Auth's cookie attributes in `authCookies[*].attributes`. */
export interface CookieAttributes {
  maxAge?: number;
  domain?: string;
  path?: string;
  expires?: Date;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: string;
  partitioned?: boolean;
}

interface FieldLike {
  fieldName?: string;
  returned?: boolean;
  transform?: { output?: unknown };
}

interface PluginLike {
  id: string;
  options?: { requireSignature?: boolean };
  hooks?: { before?: Array<{ matcher?: (context: unknown) => boolean }>; after?: Array<{ matcher?: (context: unknown) => boolean }> };
  onRequest?: unknown;
  onResponse?: unknown;
  middlewares?: unknown;
  rateLimit?: Array<{ pathMatcher(path: string): boolean; window: number; max: number }>;
}

/**
 * The part of Better-Auth 1.7's resolved `AuthContext` the lean get-session route reads. It is
 * typed generically over plugins, so the route reads it through this one interface, and
 * `readAuthContext` checks at start-up that it is still there (its test fails on an upgrade
 * that moves any of it).
 */
export interface AuthContextLike {
  authCookies: Record<'sessionToken' | 'sessionData' | 'dontRememberToken', { name: string; attributes: CookieAttributes }>;
  sessionConfig: { expiresIn: number; updateAge: number };
  tables: Record<string, { fields: Record<string, FieldLike> }>;
  oauthConfig: { storeStateStrategy: string };
  rateLimit: { enabled: boolean; window: number; max: number; storage?: string; customStorage?: { consume?: unknown }; customRules?: Record<string, unknown> };
  options: {
    basePath?: string;
    secondaryStorage?: unknown;
    disabledPaths?: string[];
    hooks?: { before?: unknown; after?: unknown };
    session?: { cookieCache?: { enabled?: boolean }; deferSessionRefresh?: boolean; disableSessionRefresh?: boolean; storeSessionInDatabase?: boolean; preserveSessionInDatabase?: boolean };
    account?: { storeAccountCookie?: boolean };
    plugins?: PluginLike[];
    advanced?: { ipAddress?: { disableIpTracking?: boolean } };
  };
}

/** Better-Auth's context no longer has what the lean route reads (after an upgrade). */
export class BetterAuthInternalsError extends Error {
  readonly code = 'BETTER_AUTH_INTERNALS_CHANGED';
  constructor(readonly missing: string[]) {
    super(`Better-Auth's AuthContext changed: ${missing.join(', ')} missing`);
    this.name = 'BetterAuthInternalsError';
  }
}

const EXPECTED: Array<[string, string]> = [
  ['authCookies.sessionToken.name', 'string'],
  ['authCookies.sessionData.name', 'string'],
  ['authCookies.dontRememberToken.name', 'string'],
  ['authCookies.sessionToken.attributes', 'object'],
  ['sessionConfig.expiresIn', 'number'],
  ['sessionConfig.updateAge', 'number'],
  ['tables.user.fields', 'object'],
  ['tables.session.fields', 'object'],
  ['oauthConfig.storeStateStrategy', 'string'],
  ['rateLimit.enabled', 'boolean'],
  ['rateLimit.window', 'number'],
  ['rateLimit.max', 'number'],
  ['options', 'object'],
];

const at = (root: unknown, path: string): unknown => path.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), root);

/** `auth.$context`, checked to still have every field the lean route reads. */
export async function readAuthContext(auth: Pick<Auth, '$context'>): Promise<AuthContextLike> {
  const ctx = (await auth.$context) as unknown;
  const missing = EXPECTED.filter(([path, type]) => typeof at(ctx, path) !== type).map(([path]) => path);
  if (missing.length) throw new BetterAuthInternalsError(missing);
  return ctx as AuthContextLike;
}
