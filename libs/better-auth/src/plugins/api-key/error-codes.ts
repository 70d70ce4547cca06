/** Stable codes of the API-key plugin (`body.code` of its errors), with their messages. */
export const API_KEY_ERROR_CODES = {
  INVALID_API_KEY: { code: 'INVALID_API_KEY', message: 'Invalid API key' },
  API_KEY_REVOKED: { code: 'API_KEY_REVOKED', message: 'API key revoked' },
  API_KEY_EXPIRED: { code: 'API_KEY_EXPIRED', message: 'API key expired' },
  API_KEY_INACTIVE: { code: 'API_KEY_INACTIVE', message: 'API key inactive' },
  INSUFFICIENT_SCOPE: { code: 'INSUFFICIENT_SCOPE', message: 'API key lacks a required scope' },
  RATE_LIMITED: { code: 'RATE_LIMITED', message: 'Rate limit exceeded for this API key' },
  KEY_NOT_FOUND: { code: 'KEY_NOT_FOUND', message: 'API key not found' },
  SESSION_REQUIRED: { code: 'SESSION_REQUIRED', message: 'Managing API keys needs a user session, not an API key' },
  SCOPE_NOT_ALLOWED: { code: 'SCOPE_NOT_ALLOWED', message: 'Scope not allowed' },
  /** A field of the stock `@better-auth/api-key` plugin this plugin does not implement (see stockBody.ts). */
  UNSUPPORTED_FIELD: { code: 'UNSUPPORTED_FIELD', message: 'This field is not supported' },
} as const;

export type ApiKeyErrorCode = keyof typeof API_KEY_ERROR_CODES;
