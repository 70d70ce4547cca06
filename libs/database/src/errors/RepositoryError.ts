/** Stable codes of `RepositoryError`: switch on these, never on messages. */
export const RepositoryErrorCode = {
  NOT_FOUND: 'NOT_FOUND',
  UNIQUE_VIOLATION: 'UNIQUE_VIOLATION',
  FOREIGN_KEY: 'FOREIGN_KEY',
  VALIDATION: 'VALIDATION',
  TRANSIENT: 'TRANSIENT',
  TIMEOUT: 'TIMEOUT',
  CIRCUIT_OPEN: 'CIRCUIT_OPEN',
  UNKNOWN: 'UNKNOWN',
} as const;
export type RepositoryErrorCode = (typeof RepositoryErrorCode)[keyof typeof RepositoryErrorCode];

export interface RepositoryErrorDetails {
  /** Repository operation, e.g. `user.create`. */
  operation: string;
  /** Fields of the violated unique constraint, or the invalid input fields. */
  fields?: string[];
  /** Constraint name (unique / foreign key). */
  constraint?: string;
  /** With CIRCUIT_OPEN: when the breaker lets a probe through. */
  retryAfterMs?: number;
  /** A write failed after it may have reached the database: it may or may not have happened. */
  ambiguous?: boolean;
  /** Attempts made. */
  attempts?: number;
  /** The repository's retry schedule ran out on this failure: no outer loop should start another. */
  exhausted?: boolean;
  cause?: unknown;
}

/**
 * Every repository failure. `retryable` tells an outer retry loop (`executeWithRetry`'s
 * classifier reads it) whether trying again can help: true for TRANSIENT and TIMEOUT only, and
 * not once the repository's own retry schedule was spent on it (`exhausted`) — an outer retry
 * would multiply the attempts of one request by the inner schedule.
 */
export class RepositoryError extends Error {
  override readonly name = 'RepositoryError';
  readonly code: RepositoryErrorCode;
  readonly operation: string;
  readonly fields?: string[];
  readonly constraint?: string;
  readonly retryAfterMs?: number;
  readonly ambiguous: boolean;
  readonly attempts?: number;
  readonly exhausted: boolean;
  readonly retryable: boolean;

  constructor(code: RepositoryErrorCode, message: string, details: RepositoryErrorDetails) {
    super(message, { cause: details.cause });
    this.code = code;
    this.operation = details.operation;
    this.fields = details.fields;
    this.constraint = details.constraint;
    this.retryAfterMs = details.retryAfterMs;
    this.ambiguous = details.ambiguous ?? false;
    this.attempts = details.attempts;
    this.exhausted = details.exhausted ?? false;
    this.retryable = (code === 'TRANSIENT' || code === 'TIMEOUT') && !this.ambiguous && !this.exhausted;
  }
}

export function isRepositoryError(error: unknown, code?: RepositoryErrorCode): error is RepositoryError {
  return error instanceof RepositoryError && (code === undefined || error.code === code);
}
