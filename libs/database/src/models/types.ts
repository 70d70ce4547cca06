import { z } from 'zod';

/** Input limits (docs/input-limits.md): every string is bounded and NUL bytes never reach Postgres. */
export const INPUT_LIMITS = {
  /** Names, usernames, labels. */
  name: 255,
  /** RFC 5321 path limit. */
  email: 254,
  /** URLs (images, pages). */
  url: 2_048,
  /** Tokens from an upstream IdP (JWTs can be long). */
  token: 8_192,
  /** Free text such as user agents and error messages. */
  text: 4_096,
  /** Serialised size of any JSON field, in bytes. */
  jsonBytes: 16 * 1_024,
  /** Scopes per API key, and characters per scope. */
  scopes: 64,
  scope: 128,
  /** Ids (cuid, uuid or Better-Auth's ids). */
  id: 128,
} as const;

/** JSON as stored in a `Json` column (same shape as Prisma's, so rows assign without casts). */
export type JsonValue = string | number | boolean | null | JsonArray | JsonObject;
export type JsonObject = { [key in string]?: JsonValue };
export type JsonArray = JsonValue[];

/** A bounded string without NUL bytes (Postgres rejects them with an opaque error). */
export function safeString(max: number = INPUT_LIMITS.name) {
  return z.string().max(max).refine((s) => !s.includes('\u0000'), { message: 'must not contain NUL bytes' });
}

/** A non-empty id. */
export const idSchema = safeString(INPUT_LIMITS.id).min(1);

/** JSON whose serialised form stays under `INPUT_LIMITS.jsonBytes`. */
export const jsonSchema: z.ZodType<JsonValue> = z.json().refine(
  (value) => Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8') <= INPUT_LIMITS.jsonBytes && !JSON.stringify(value).includes('\\u0000'),
  { message: `must serialise to at most ${INPUT_LIMITS.jsonBytes} bytes without NUL characters` },
);

/** A JSON object (metadata, permissions, device info). */
export const jsonObjectSchema = z.record(z.string().max(INPUT_LIMITS.name), z.json()).refine(
  (value) => Buffer.byteLength(JSON.stringify(value), 'utf8') <= INPUT_LIMITS.jsonBytes && !JSON.stringify(value).includes('\\u0000'),
  { message: `must serialise to at most ${INPUT_LIMITS.jsonBytes} bytes without NUL characters` },
);

/**
 * An email, stored as given: Better-Auth lowercases before the adapter, and a model that folded
 * case again would store something other than what `create` was handed.
 */
export const emailSchema = z.string().max(INPUT_LIMITS.email).pipe(z.email());

export const urlSchema = safeString(INPUT_LIMITS.url).pipe(z.url());

/** A user's image: a URL, or `""` for none, which Better-Auth's sign-up and update-user send. */
export const imageSchema = z.union([z.literal(''), urlSchema]);

/** A Date, or an ISO string / epoch ms that becomes one (values read back from a JSON cache). */
export const dateSchema = z.coerce.date();

/** Fields every audited model carries. */
export interface Timestamps {
  createdAt: Date;
  updatedAt: Date;
}

/** Options for list queries (the seed's query options). */
export interface PageRequest {
  /** 1-based page. @default 1 */
  page?: number;
  /** Rows per page, capped at 1,000. @default 20 */
  pageSize?: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  totalPages: number;
  hasNext: boolean;
}
