import Fastify from 'fastify';
import { bridgedClientAddress, sendWebResponse, toWebRequest } from './webBridge';
import { clientAddress, parseProxyTrust, type ProxyTrust } from './clientAddress';

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

  it('remembers the client address it resolved for each Request it builds; a Request it did not build is unknown whatever its headers say', async () => {
    const app = Fastify();
    const parsed = parseProxyTrust('127.0.0.1');
    if (!('trust' in parsed)) throw new Error(parsed.error);
    app.decorate<ProxyTrust>('proxyTrust', parsed.trust);
    const seen: Array<{ bridged: string; fastify: string }> = [];
    app.get('/x', async (request, reply) => {
      seen.push({ bridged: bridgedClientAddress(toWebRequest(request, 'http://localhost')), fastify: clientAddress(request) });
      return reply.send('');
    });
    // From the trusted proxy: the entry it appended (the client may write anything to its left).
    await app.inject({ url: '/x', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' } });
    // From an untrusted peer: its own address, whatever it claims.
    await app.inject({ url: '/x', remoteAddress: '192.0.2.9', headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(seen).toEqual([
      { bridged: '203.0.113.7', fastify: '203.0.113.7' },
      { bridged: '192.0.2.9', fastify: '192.0.2.9' },
    ]);
    expect(bridgedClientAddress(new Request('http://localhost/x', { headers: { 'x-forwarded-for': '203.0.113.7' } }))).toBe('unknown');
  });
});
