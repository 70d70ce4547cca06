import { APIError } from 'better-auth/api';
import { isRepositoryError } from '@libs/database/postgress/repositories';
import { ROLE_ERROR_CODES } from './error-codes';
import { authorityApiError } from './guard';

/**
 * Turns the repository errors a caller can cause into 4xx answers, and a LAST_ADMIN found while
 * writing into its 403; everything else (outages included) is rethrown for the route to answer 503 / 500.
 */
export function toRoleApiError(error: unknown): unknown {
  if (!isRepositoryError(error)) return authorityApiError(error);
  switch (error.code) {
    case 'VALIDATION':
      return /cycle/i.test(error.message) ? new APIError('BAD_REQUEST', ROLE_ERROR_CODES.ROLE_CYCLE) : new APIError('BAD_REQUEST', ROLE_ERROR_CODES.INVALID_ROLE_INPUT);
    case 'UNIQUE_VIOLATION':
      return new APIError('CONFLICT', ROLE_ERROR_CODES.ROLE_NAME_TAKEN);
    case 'NOT_FOUND':
    case 'FOREIGN_KEY':
      return new APIError('NOT_FOUND', ROLE_ERROR_CODES.ROLE_NOT_FOUND);
    default:
      return error;
  }
}

/** Runs a repository call, mapping caller-caused failures to API errors. */
export async function mapRoleErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toRoleApiError(error);
  }
}
