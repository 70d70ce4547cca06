import { APIError } from 'better-auth/api';
import type { Refusal } from './AccessCore';
import type { Decision } from './authorize';

/** The refusal text of a key caller whose key was not granted `permission` (its owner holds it). */
export const keyNotGranted = (permission: string): string => `The API key is not granted ${permission}`;

/** A permission the principal lacks, as a 403 refusal: PERMISSION_DENIED, or INSUFFICIENT_SCOPE for a key. */
export function permissionRefusal(decision: Extract<Decision, { granted: false }>): Refusal {
  const message = decision.code === 'INSUFFICIENT_SCOPE' ? keyNotGranted(decision.permission) : `Missing permission ${decision.permission}`;
  return { status: 403, code: decision.code, message, permission: decision.permission };
}

/** The JSON body every refusal is answered with: `{ error: { code, message, …what is missing } }`. */
export function refusalBody(refusal: Refusal) {
  const { code, message, missingScopes, missing, permission } = refusal;
  return { error: { code, message, ...(missingScopes ? { missingScopes } : {}), ...(missing ? { missing } : {}), ...(permission ? { permission } : {}) } };
}

/** Retry-After in seconds: the refusal's own, at least 1 for a 429; none otherwise. */
export function refusalRetryAfter(refusal: Refusal): string | undefined {
  if (refusal.retryAfterS !== undefined) return String(refusal.retryAfterS);
  return refusal.status === 429 ? '1' : undefined;
}

const STATUS = { 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 429: 'TOO_MANY_REQUESTS' } as const;

/** A refusal as Better-Auth's `APIError` (plugin endpoints): the same status, body fields and Retry-After as the Fastify answer. */
export function refusalApiError(refusal: Refusal): APIError {
  const retryAfter = refusalRetryAfter(refusal);
  return new APIError(STATUS[refusal.status], refusalBody(refusal).error, retryAfter ? { 'retry-after': retryAfter } : undefined);
}

/** A refusal as a Fastify reply (status, Retry-After, `refusalBody`). */
export function sendRefusalReply<R extends { code(status: number): R; header(name: string, value: string): R; send(body: unknown): R }>(reply: R, refusal: Refusal): R {
  const retryAfter = refusalRetryAfter(refusal);
  if (retryAfter) reply.header('retry-after', retryAfter);
  return reply.code(refusal.status).send(refusalBody(refusal));
}
