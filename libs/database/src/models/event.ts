import { z } from 'zod';
import type { UserSession } from './session';
import type { User } from './user';
import { dateSchema, idSchema, INPUT_LIMITS, jsonObjectSchema, safeString, urlSchema, type JsonValue } from './types';

/** A `UserEvent` row: one user action (page view, sign-in, error …). */
export const UserEventSchema = z.object({
  id: z.string(),
  userId: z.string(),
  sessionId: z.string().nullable(),
  eventType: z.string(),
  timestamp: dateSchema,
  pageUrl: z.string().nullable(),
  userAgent: z.string().nullable(),
  ipAddress: z.string().nullable(),
  isError: z.boolean(),
  errorMsg: z.string().nullable(),
  metadata: z.json().nullable(),
});

export interface UserEvent extends Omit<z.infer<typeof UserEventSchema>, 'metadata'> {
  metadata: JsonValue | null;
  user?: User;
  session?: UserSession | null;
}

export const UserEventCreateInputSchema = z
  .object({
    userId: idSchema,
    eventType: safeString(128).min(1),
    sessionId: idSchema.nullish(),
    timestamp: dateSchema.optional(),
    pageUrl: urlSchema.nullish(),
    userAgent: safeString(INPUT_LIMITS.text).nullish(),
    ipAddress: safeString(64).nullish(),
    isError: z.boolean().optional(),
    errorMsg: safeString(INPUT_LIMITS.text).nullish(),
    metadata: jsonObjectSchema.nullish(),
  })
  .strict();
export type UserEventCreateInput = z.input<typeof UserEventCreateInputSchema>;
