import { loadConfig } from './config';
import { createFastify } from './server';

describe('server error answers', () => {
  it('answers malformed JSON, oversized bodies and unknown routes with 4xx JSON and a code', async () => {
    const app = createFastify(loadConfig({ LOG_LEVEL: 'silent' }));
    app.post('/echo', async (req) => req.body);
    const bad = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"a":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_JSON');
    const big = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ a: 'x'.repeat(70_000) }) });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('BODY_TOO_LARGE');
    const missing = await app.inject({ method: 'GET', url: '/nope?token=secret' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No route for GET /nope' } });
    await app.close();
  });
});
