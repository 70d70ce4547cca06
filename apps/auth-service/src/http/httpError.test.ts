import { z } from 'zod';
import { toHttpError } from './httpError';

describe('toHttpError', () => {
  it('maps an open breaker to 503 with Retry-After from the time until half-open', () => {
    const error = Object.assign(new Error('circuit open'), { code: 'CIRCUIT_OPEN', retryAfterMs: 2_500 });
    expect(toHttpError(error)).toEqual({
      status: 503,
      body: { error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String) } },
      retryAfter: 3,
    });
  });

  it('finds an outage wrapped in causes and never answers 401 for it', () => {
    const inner = Object.assign(new Error('db down'), { code: 'TRANSIENT' });
    const outer = Object.assign(new Error('session lookup failed', { cause: inner }), { statusCode: 401 });
    const mapped = toHttpError(outer);
    expect(mapped.status).toBe(503);
    expect(mapped.retryAfter).toBe(1);
  });

  it('maps Zod errors to 400 VALIDATION with the paths', () => {
    const parsed = z.object({ email: z.email() }).safeParse({ email: 'nope' });
    const mapped = toHttpError(parsed.error);
    expect(mapped.status).toBe(400);
    expect(mapped.body.error.code).toBe('VALIDATION');
    expect(mapped.body.error.details).toEqual([{ path: 'email', message: expect.any(String) }]);
  });

  it("maps Fastify's body errors to stable codes", () => {
    expect(toHttpError({ statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY', message: 'bad' }).body.error.code).toBe('INVALID_JSON');
    expect(toHttpError({ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE', message: 'big' })).toMatchObject({
      status: 413,
      body: { error: { code: 'BODY_TOO_LARGE' } },
    });
  });

  it('hides the details of unexpected errors', () => {
    const mapped = toHttpError(new Error('password=hunter2 leaked in a message'));
    expect(mapped).toEqual({ status: 500, body: { error: { code: 'INTERNAL', message: 'Internal error' } } });
  });
});
