/** Stable codes of the errors the cache itself throws (loader errors are rethrown as they are). */
export const CacheErrorCodes = {
  /** A value could not be serialized (e.g. a cycle or a function). */
  SERIALIZATION: 'CACHE_SERIALIZATION',
  /** Stored text could not be read back (corrupt or written by an incompatible version). */
  DESERIALIZATION: 'CACHE_DESERIALIZATION',
  /** A key was empty or not a string. */
  INVALID_KEY: 'CACHE_INVALID_KEY',
  /** The options cannot make a working cache (e.g. neither L1 nor L2). */
  INVALID_OPTIONS: 'CACHE_INVALID_OPTIONS',
} as const;

export type CacheErrorCode = (typeof CacheErrorCodes)[keyof typeof CacheErrorCodes];

/** An error raised by the cache, with a stable `code` and the underlying `cause`. */
export class CacheError extends Error {
  override readonly name = 'CacheError';
  readonly code: CacheErrorCode;

  constructor(code: CacheErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isCacheError(error: unknown): error is CacheError {
  return error instanceof CacheError;
}
