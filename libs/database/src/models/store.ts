import { z } from 'zod';
import type { ApiKey } from './ApiKey';
import type { UserSession } from './session';
import type { User } from './user';
import { dateSchema, idSchema, INPUT_LIMITS, jsonObjectSchema, safeString, type JsonValue } from './types';

/** A `Store` row: the tenant users, sessions and API keys may belong to. */
export const StoreSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  isActive: z.boolean(),
  metadata: z.json().nullable(),
  createdAt: dateSchema,
  updatedAt: dateSchema,
});

export interface Store extends Omit<z.infer<typeof StoreSchema>, 'metadata'> {
  metadata: JsonValue | null;
  users?: User[];
  sessions?: UserSession[];
  apiKeys?: ApiKey[];
}

export const StoreCreateInputSchema = z
  .object({
    id: idSchema.optional(),
    name: safeString(INPUT_LIMITS.name).min(1),
    slug: safeString(INPUT_LIMITS.name).regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and - only'),
    isActive: z.boolean().optional(),
    metadata: jsonObjectSchema.nullish(),
  })
  .strict();
export type StoreCreateInput = z.input<typeof StoreCreateInputSchema>;

export const StoreUpdateInputSchema = StoreCreateInputSchema.omit({ id: true }).partial().strict();
export type StoreUpdateInput = z.input<typeof StoreUpdateInputSchema>;
