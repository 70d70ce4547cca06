import { z } from 'zod';
import type { UserEvent } from './event';
import type { Store } from './store';
import type { User } from './user';
import { dateSchema, idSchema, INPUT_LIMITS, jsonObjectSchema, safeString, type JsonValue } from './types';

/** A `UserSession` row (Better-Auth's `session`), with the upstream (Keycloak) tokens. */
export const UserSessionSchema = z.object({
  id: z.string(),
  token: z.string(),
  userId: z.string(),
  storeId: z.string().nullable(),
  expiresAt: dateSchema,
  ipAddress: z.string().nullable(),
  userAgent: z.string().nullable(),
  keycloakSessionId: z.string().nullable(),
  accessToken: z.string().nullable(),
  refreshToken: z.string().nullable(),
  idToken: z.string().nullable(),
  accessTokenExpiresAt: dateSchema.nullable(),
  refreshTokenExpiresAt: dateSchema.nullable(),
  fingerprint: z.string().nullable(),
  deviceInfo: z.json().nullable(),
  lastAccessedAt: dateSchema,
  isActive: z.boolean(),
  endedAt: dateSchema.nullable(),
  endReason: z.string().nullable(),
  metadata: z.json().nullable(),
  /** Better-Auth organization plugin: the organization and team the session acts in (absent in rows cached before the columns: null). */
  activeOrganizationId: z.string().nullable().default(null),
  activeTeamId: z.string().nullable().default(null),
  createdAt: dateSchema,
  updatedAt: dateSchema,
});

export interface UserSession extends Omit<z.infer<typeof UserSessionSchema>, 'deviceInfo' | 'metadata'> {
  deviceInfo: JsonValue | null;
  metadata: JsonValue | null;
  user?: User;
  events?: UserEvent[];
  logs?: SessionLog[];
  store?: Store | null;
}

/** A `SessionLog` row: one event in a session's life (created, refreshed, ended …). */
export const SessionLogSchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  userId: z.string().nullable(),
  action: z.string(),
  details: z.json().nullable(),
  ipAddress: z.string().nullable(),
  userAgent: z.string().nullable(),
  timestamp: dateSchema,
});

export interface SessionLog extends Omit<z.infer<typeof SessionLogSchema>, 'details'> {
  details: JsonValue | null;
  session?: UserSession;
}

const tokenSchema = safeString(INPUT_LIMITS.token);
const textSchema = safeString(INPUT_LIMITS.text);

/** Fields a session is created with and may later change (client, upstream tokens, device). */
const sessionDetailFields = {
  ipAddress: safeString(64).nullish(),
  userAgent: textSchema.nullish(),
  keycloakSessionId: safeString(INPUT_LIMITS.name).nullish(),
  accessToken: tokenSchema.nullish(),
  refreshToken: tokenSchema.nullish(),
  idToken: tokenSchema.nullish(),
  accessTokenExpiresAt: dateSchema.nullish(),
  refreshTokenExpiresAt: dateSchema.nullish(),
  fingerprint: safeString(INPUT_LIMITS.name).nullish(),
  deviceInfo: jsonObjectSchema.nullish(),
  activeOrganizationId: idSchema.nullish(),
  activeTeamId: idSchema.nullish(),
};

export const UserSessionCreateInputSchema = z
  .object({
    id: idSchema.optional(),
    token: safeString(512).min(16),
    userId: idSchema,
    storeId: idSchema.nullish(),
    expiresAt: dateSchema,
    ...sessionDetailFields,
    metadata: jsonObjectSchema.nullish(),
    createdAt: dateSchema.optional(),
    updatedAt: dateSchema.optional(),
  })
  .strict();
export type UserSessionCreateInput = z.input<typeof UserSessionCreateInputSchema>;

export const UserSessionUpdateInputSchema = z
  .object({
    expiresAt: dateSchema.optional(),
    ...sessionDetailFields,
    lastAccessedAt: dateSchema.optional(),
    metadata: jsonObjectSchema.nullish(),
    updatedAt: dateSchema.optional(),
  })
  .strict();
export type UserSessionUpdateInput = z.input<typeof UserSessionUpdateInputSchema>;

export const SessionLogCreateInputSchema = z
  .object({
    sessionId: idSchema,
    userId: idSchema.nullish(),
    action: safeString(64).min(1),
    details: jsonObjectSchema.nullish(),
    ipAddress: safeString(64).nullish(),
    userAgent: textSchema.nullish(),
  })
  .strict();
export type SessionLogCreateInput = z.input<typeof SessionLogCreateInputSchema>;

/** Parses a session read back from a JSON cache (ISO strings become Dates again). */
export function reviveUserSession(value: unknown): UserSession {
  return UserSessionSchema.parse(value) as UserSession;
}
