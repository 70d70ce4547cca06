import type { ErrorBody } from './httpError';

export const RATE_LIMITED = { code: 'RATE_LIMITED', message: 'Too many requests. Please try again later.' } as const;

/**
 * Every 429 the app sends has the app's error shape and the standard `Retry-After` (seconds);
 * `X-Retry-After` (what Better-Auth's client reads) is kept beside it.
 */
export function tooManyRequests(retryAfterS: number, error: { code?: unknown; message?: unknown } = RATE_LIMITED): { headers: Record<string, string>; body: ErrorBody } {
  const seconds = String(Math.max(1, Math.ceil(retryAfterS)));
  const code = typeof error.code === 'string' && error.code ? error.code : RATE_LIMITED.code;
  const message = typeof error.message === 'string' && error.message ? error.message : RATE_LIMITED.message;
  return { headers: { 'retry-after': seconds, 'x-retry-after': seconds, 'content-type': 'application/json' }, body: { error: { code, message } } };
}

/** Better-Auth's own 429 (its rate limiter, or a plugin's APIError) in the app's shape. */
export async function normalizeTooManyRequests(response: Response): Promise<Response> {
  if (response.status !== 429) return response;
  const seconds = Number(response.headers.get('retry-after') ?? response.headers.get('x-retry-after'));
  let body: { code?: unknown; message?: unknown } = {};
  try {
    body = (await response.json()) as typeof body;
  } catch {
    // No JSON body: the default message.
  }
  const answer = tooManyRequests(Number.isFinite(seconds) && seconds > 0 ? seconds : 1, body ?? {});
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(answer.headers)) headers.set(name, value);
  headers.delete('content-length');
  return new Response(JSON.stringify(answer.body), { status: 429, headers });
}
