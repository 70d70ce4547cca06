export type AuthBenchErrorCode =
  | 'SERVER_START_FAILED'
  | 'SERVER_EXITED'
  | 'CPU_PROBE_FAILED'
  | 'SEED_FAILED'
  | 'SESSION_INVALID'
  | 'DB_SETUP_FAILED';

/** A benchmark step that cannot give a trustworthy figure; the message says which server and why. */
export class AuthBenchError extends Error {
  override readonly name = 'AuthBenchError';
  readonly code: AuthBenchErrorCode;

  constructor(code: AuthBenchErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

export function isAuthBenchError(error: unknown): error is AuthBenchError {
  return error instanceof AuthBenchError;
}
