import { z } from 'zod';
import { DEFAULT_ADDRESS_LIMIT_PER_MINUTE, DEFAULT_PRINCIPAL_LIMIT_PER_MINUTE } from '@libs/better-auth';
import { emptyAsUndefined } from '../configFields';

const perMinute = (fallback: number) => z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(1_000_000).default(fallback));

/** The budgets of `@libs/better-auth`'s principal limit as configuration (they apply while `AUTH_RATE_LIMIT=on`). */
export const principalLimitConfigShape = {
  /** Requests per minute of one signed-in user (session by cookie or bearer), on every instance together. */
  AUTH_PRINCIPAL_LIMIT_PER_MINUTE: perMinute(DEFAULT_PRINCIPAL_LIMIT_PER_MINUTE),
  /** Requests per minute of authenticated callers from one client address, whoever is signed in. */
  AUTH_ADDRESS_LIMIT_PER_MINUTE: perMinute(DEFAULT_ADDRESS_LIMIT_PER_MINUTE),
};
