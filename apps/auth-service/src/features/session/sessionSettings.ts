import { serializeCookie } from 'better-call';
import type { BetterAuthOptions } from 'better-auth';
import type { AuthContextLike } from '../../auth/betterAuthInternals';
import { hooksMatch, type HookLike } from './pluginHooks';
import { resolveRateLimit, type SessionRateLimit } from './rateLimitStep';

/** An output field: the JSON key Better-Auth answers with, and the row property it reads. */
export interface OutputField {
  key: string;
  from: string;
}

/** What the fast route needs from Better-Auth's resolved context, computed once. */
export interface SessionSettings {
  /** Route path: Better-Auth's `basePath` + `/get-session`. */
  path: string;
  /** Better-Auth's `sessionConfig.expiresIn` / `updateAge`, in ms (the refresh window). */
  expiresInMs: number;
  updateAgeMs: number;
  /** `{ session, user }` fields in Better-Auth's order (schema fields, then `id`), `returned: false` left out. */
  sessionFields: OutputField[];
  userFields: OutputField[];
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

type FieldLike = AuthContextLike['tables'][string]['fields'][string];

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

function configurationGaps(ctx: AuthContextLike): string[] {
  const o = ctx.options;
  const gaps: string[] = [];
  // Sessions are read from the repositories (the one session cache); a secondary storage would be a second.
  if (o.secondaryStorage) gaps.push('secondaryStorage');
  if (o.session?.cookieCache?.enabled) gaps.push('session.cookieCache');
  if (o.session?.deferSessionRefresh) gaps.push('session.deferSessionRefresh');
  if (o.session?.disableSessionRefresh) gaps.push('session.disableSessionRefresh');
  if (o.account?.storeAccountCookie) gaps.push('account.storeAccountCookie');
  if (ctx.oauthConfig.storeStateStrategy === 'cookie') gaps.push('account.storeStateStrategy "cookie"');
  if (o.hooks?.before || o.hooks?.after) gaps.push('global hooks (they run on get-session)');
  if (o.disabledPaths?.includes('/get-session')) gaps.push('get-session is disabled');
  // The access core's credential reader accepts unsigned bearer tokens, as the plugin does by default.
  if (o.plugins?.find((p) => p.id === 'bearer')?.options?.requireSignature) gaps.push('bearer requireSignature');
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
  const { sessionToken, sessionData, dontRememberToken } = ctx.authCookies;
  return {
    path: `${ctx.options.basePath ?? '/api/auth'}/get-session`,
    expiresInMs: ctx.sessionConfig.expiresIn * 1_000,
    updateAgeMs: ctx.sessionConfig.updateAge * 1_000,
    sessionFields: outputFields(ctx.tables['session'], unsupported, 'session'),
    userFields: outputFields(ctx.tables['user'], unsupported, 'user'),
    requestHooks: unknownPluginHooks(ctx),
    rateLimit: rateLimit.limit,
    // Better-Auth's `expireCookie`: better-call's serialisation of an empty value with Max-Age=0.
    expiredCookies: [sessionToken, sessionData, dontRememberToken].map((c) => serializeCookie(c.name, '', { ...c.attributes, maxAge: 0 } as Parameters<typeof serializeCookie>[2])),
    unsupported,
  };
}
