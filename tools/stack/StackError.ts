export type StackErrorCode =
  | 'PORT_BUSY'
  | 'MISSING_BINARY'
  | 'SPAWN_FAILED'
  | 'NOT_READY'
  | 'STOP_FAILED'
  | 'ALREADY_RUNNING'
  | 'BUILD_FAILED'
  | 'UNSUPPORTED_OPTION';

/** A failure of `npm run stack`, with a stable code and the message to print. */
export class StackError extends Error {
  readonly code: StackErrorCode;
  constructor(code: StackErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StackError';
    this.code = code;
  }
}

export function isStackError(error: unknown, code?: StackErrorCode): error is StackError {
  return error instanceof StackError && (code === undefined || error.code === code);
}
