import { expiredCookie, type CookieAttributes } from './expiredCookie';
import type { BetterAuthOptions } from 'better-auth';
import { hooksMatch, type HookLike } from './pluginHooks';
import { resolveRateLimit, type SessionRateLimit } from './rateLimitStep';
import type { SessionStorageLike } from './storedSession';
import type { SessionCookieNames } from './readCookies';

/** An output field: the JSON key Better-Auth answers with, and the row property it reads. */
export interface OutputField {
  key: string;
  from: string;
}

/** What the fast route needs from Better-Auth's resolved context, computed once. */
export interface SessionSettings {
  /** Route path: Better-Auth's `basePath` + `/get-session`. */
  path: string;
  secret: string;
  cookies: SessionCookieNames;
  /** Better-Auth's `sessionConfig.expiresIn` / `updateAge`, in ms (the refresh window). */
  expiresInMs: number;
  updateAgeMs: number;
  /** The bearer plugin is installed; `requireSignature` as configured. */
  bearer: { enabled: boolean; requireSignature: boolean };
  /** `{ session, user }` fields in Better-Auth's order (schema fields, then `id`), `returned: false` left out. */
  sessionFields: OutputField[];
  userFields: OutputField[];
  /** Field names dropped from snapshots (`returned: false`). */
  hidden: { session: Set<string>; user: Set<string> };
  /**
   * Better-Auth's `secondaryStorage`, read first as its `findSession` does; `databaseFallback`:
   * a token missing there is looked up in the database (`storeSessionInDatabase` without
   * `preserveSessionInDatabase`), else it is no session.
   */
  storage: (SessionStorageLike & { databaseFallback: boolean }) | null;
  /** Better-Auth's rate limit for get-session, applied by the fast path too; null when off. */
  rateLimit: SessionRateLimit | null;
  /** The Set-Cookie lines of Better-Auth's `deleteSessionCookie` for this configuration. */
  expiredCookies: string[];
  /**
   * Hooks of plugins the fast path does not know that do not run on every get-session but may
   * run on some (depending on headers): checked per request; a match leaves it to Better-Auth.
   */
  requestHooks: HookLike[];
  /**
   * Why the fast path cannot give Better-Auth's answers under this configuration; empty when it
   * can. Non-empty → every request goes to Better-Auth.
   */
  unsupported: string[];
}

interface FieldLike {
  fieldName?: string;
  returned?: boolean;
  transform?: { output?: unknown };
}

interface PluginLike {
  id: string;
  options?: { requireSignature?: boolean };
  hooks?: { before?: HookLike[]; after?: HookLike[] };
  onRequest?: unknown;
  onResponse?: unknown;
  middlewares?: unknown;
}

/** The part of Better-Auth's `AuthContext` read here (typed loosely: it is generic over plugins). */
export interface AuthContextLike {
  secret: string;
  authCookies: Record<'sessionToken' | 'sessionData' | 'dontRememberToken', { name: string; attributes: CookieAttributes }>;
  sessionConfig: { expiresIn: number; updateAge: number };
  tables: Record<string, { fields: Record<string, FieldLike> }>;
  oauthConfig: { storeStateStrategy: string };
  rateLimit: { enabled: boolean; window: number; max: number; customStorage?: unknown; customRules?: Record<string, unknown> };
  options: {
    basePath?: string;
    secondaryStorage?: unknown;
    disabledPaths?: string[];
    hooks?: { before?: unknown; after?: unknown };
    session?: {
      cookieCache?: { enabled?: boolean };
      deferSessionRefresh?: boolean;
      disableSessionRefresh?: boolean;
      storeSessionInDatabase?: boolean;
      preserveSessionInDatabase?: boolean;
    };
    account?: { storeAccountCookie?: boolean };
    plugins?: PluginLike[];
    advanced?: unknown;
  };
}

/** Plugins whose effect on get-session the fast path reproduces (bearer) or that have none (open-api). */
const UNDERSTOOD_PLUGINS = new Set(['bearer', 'open-api']);

function outputFields(table: { fields: Record<string, FieldLike> } | undefined, unsupported: string[], model: string): OutputField[] {
  const fields: OutputField[] = [];
  if (!table) {
    unsupported.push(`no ${model} table`);
    return fields;
  }
  // Better-Auth's adapter output lists the schema's fields and then `id` (factory `transformOutput`).
  const entries = Object.entries(table.fields).filter(([key]) => key !== 'id');
  for (const [key, field] of [...entries, ['id', {}] as [string, FieldLike]]) {
    if (field.transform?.output) unsupported.push(`${model}.${key} has an output transform`);
    if (field.returned === false) continue;
    fields.push({ key, from: field.fieldName || key });
  }
  return fields;
}

/** Hooks of plugins whose effect on get-session is not reproduced here. */
function unknownPluginHooks(ctx: AuthContextLike): HookLike[] {
  return (ctx.options.plugins ?? []).filter((p) => !UNDERSTOOD_PLUGINS.has(p.id)).flatMap((p) => [...(p.hooks?.before ?? []), ...(p.hooks?.after ?? [])]);
}

function hiddenFields(table: { fields: Record<string, FieldLike> } | undefined): Set<string> {
  return new Set(Object.entries(table?.fields ?? {}).filter(([, field]) => field.returned === false).map(([key]) => key));
}

function secondaryStorage(o: AuthContextLike['options']): SessionSettings['storage'] {
  const storage = o.secondaryStorage as SessionStorageLike | undefined;
  if (!storage || typeof storage.get !== 'function') return null;
  return { get: (key) => storage.get(key), databaseFallback: o.session?.storeSessionInDatabase === true && o.session?.preserveSessionInDatabase !== true };
}

function configurationGaps(ctx: AuthContextLike): string[] {
  const o = ctx.options;
  const gaps: string[] = [];
  if (o.secondaryStorage && typeof (o.secondaryStorage as Partial<SessionStorageLike>).get !== 'function') gaps.push('secondaryStorage without get');
  if (o.session?.cookieCache?.enabled) gaps.push('session.cookieCache');
  if (o.session?.deferSessionRefresh) gaps.push('session.deferSessionRefresh');
  if (o.session?.disableSessionRefresh) gaps.push('session.disableSessionRefresh');
  if (o.account?.storeAccountCookie) gaps.push('account.storeAccountCookie');
  if (ctx.oauthConfig.storeStateStrategy === 'cookie') gaps.push('account.storeStateStrategy "cookie"');
  if (o.hooks?.before || o.hooks?.after) gaps.push('global hooks (they run on get-session)');
  if (o.disabledPaths?.includes('/get-session')) gaps.push('get-session is disabled');
  for (const plugin of o.plugins ?? []) {
    if (UNDERSTOOD_PLUGINS.has(plugin.id)) continue;
    if (plugin.onRequest || plugin.onResponse || plugin.middlewares) gaps.push(`plugin ${plugin.id} has request middlewares`);
    if ([...(plugin.hooks?.before ?? []), ...(plugin.hooks?.after ?? [])].some((hook) => hooksMatch([hook], {}))) gaps.push(`plugin ${plugin.id} hooks every get-session`);
  }
  for (const cookie of [ctx.authCookies.sessionToken, ctx.authCookies.sessionData, ctx.authCookies.dontRememberToken]) {
    if (cookie.attributes.expires) gaps.push(`cookie ${cookie.name} has a fixed Expires`);
  }
  return gaps;
}

/** Reads Better-Auth's resolved configuration once, at registration. */
export function sessionSettings(ctx: AuthContextLike): SessionSettings {
  const unsupported = configurationGaps(ctx);
  const rateLimit = resolveRateLimit(ctx as never, ctx.options as BetterAuthOptions);
  if (rateLimit.unsupported) unsupported.push(rateLimit.unsupported);
  const bearerPlugin = ctx.options.plugins?.find((p) => p.id === 'bearer');
  const { sessionToken, sessionData, dontRememberToken } = ctx.authCookies;
  return {
    path: `${ctx.options.basePath ?? '/api/auth'}/get-session`,
    secret: ctx.secret,
    cookies: { sessionToken: sessionToken.name, sessionData: sessionData.name, dontRemember: dontRememberToken.name },
    expiresInMs: ctx.sessionConfig.expiresIn * 1_000,
    updateAgeMs: ctx.sessionConfig.updateAge * 1_000,
    bearer: { enabled: bearerPlugin !== undefined, requireSignature: bearerPlugin?.options?.requireSignature === true },
    sessionFields: outputFields(ctx.tables['session'], unsupported, 'session'),
    userFields: outputFields(ctx.tables['user'], unsupported, 'user'),
    requestHooks: unknownPluginHooks(ctx),
    hidden: { session: hiddenFields(ctx.tables['session']), user: hiddenFields(ctx.tables['user']) },
    storage: secondaryStorage(ctx.options),
    rateLimit: rateLimit.limit,
    expiredCookies: [sessionToken, sessionData, dontRememberToken].map((c) => expiredCookie(c.name, c.attributes)),
    unsupported,
  };
}
