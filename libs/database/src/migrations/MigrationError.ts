export type MigrationErrorCode = 'MIGRATION_FAILED' | 'MIGRATIONS_DIR_MISSING';

/** A migration could not be applied; `migration` names the folder and `cause` holds the database error. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  readonly code: MigrationErrorCode;
  readonly migration?: string;

  constructor(code: MigrationErrorCode, message: string, options: { migration?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.migration = options.migration;
  }
}

export function isMigrationError(error: unknown): error is MigrationError {
  return error instanceof MigrationError;
}
