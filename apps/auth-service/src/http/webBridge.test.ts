import Fastify from 'fastify';
import { sendWebResponse, toWebRequest } from './webBridge';

describe('Fastify ⇄ Fetch bridge', () => {
  it('passes method, URL, headers and the JSON body through, and keeps every Set-Cookie', async () => {
    const app = Fastify();
    let seen: { method: string; url: string; ua: string | null; body: unknown } | undefined;
    app.post('/api/auth/*', async (request, reply) => {
      const webRequest = toWebRequest(request, 'http://localhost:3000');
      seen = { method: webRequest.method, url: webRequest.url, ua: webRequest.headers.get('user-agent'), body: await webRequest.json() };
      const headers = new Headers({ 'content-type': 'application/json' });
      headers.append('set-cookie', 'a=1; HttpOnly');
      headers.append('set-cookie', 'b=2; HttpOnly');
      return sendWebResponse(reply, new Response(JSON.stringify({ ok: true }), { status: 201, headers }));
    });
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email?x=1',
      headers: { 'content-type': 'application/json', 'user-agent': 'jest' },
      payload: { email: 'a@b.c', password: 'p' },
    });
    expect(seen).toEqual({ method: 'POST', url: 'http://localhost:3000/api/auth/sign-in/email?x=1', ua: 'jest', body: { email: 'a@b.c', password: 'p' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ ok: true });
    expect(res.headers['set-cookie']).toEqual(['a=1; HttpOnly', 'b=2; HttpOnly']);
  });

  it('sends an empty body for GET and a null body response', async () => {
    const app = Fastify();
    app.get('/x', async (request, reply) => {
      const webRequest = toWebRequest(request, 'http://localhost');
      expect(webRequest.body).toBeNull();
      return sendWebResponse(reply, new Response(null, { status: 204 }));
    });
    const res = await app.inject('/x');
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
  });
});
