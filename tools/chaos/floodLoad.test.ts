import { createServer, type Server } from 'node:http';
import { floodLoad } from './floodLoad';

describe('floodLoad', () => {
  let server: Server;
  let origin: string;
  const seen: { address: string | undefined; key: string | undefined }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ address: req.socket.remoteAddress, key: req.headers['x-api-key'] as string | undefined });
      if (req.url === '/limited') res.setHeader('retry-after', '1');
      res.statusCode = req.url === '/limited' ? 429 : 401;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends rate × duration prebuilt requests per target from the given address and counts answers by status', async () => {
    const result = await floodLoad(
      origin,
      [
        { name: 'keys', rate: 40, path: '/keys', headers: (i) => ({ 'x-api-key': `k${i}` }) },
        { name: 'limited', rate: 20, path: '/limited', headers: () => ({}) },
      ],
      { durationMs: 500, localAddress: '127.0.0.2', timeoutMs: 2_000 },
    );
    expect(result.sent).toBe(30);
    expect(result.statuses).toEqual({ keys: { 401: 20 }, limited: { 429: 10 } });
    expect(result.retryAfter).toEqual({ keys: 0, limited: 10 });
    expect(new Set(seen.map((s) => s.address))).toEqual(new Set(['127.0.0.2']));
    expect(seen.filter((s) => s.key !== undefined).map((s) => s.key).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `k${i}`).sort());
  });

  it('counts a refused connection as status 0', async () => {
    const result = await floodLoad('http://127.0.0.1:1', [{ name: 'down', rate: 20, path: '/', headers: () => ({}) }], { durationMs: 200, localAddress: '127.0.0.2', timeoutMs: 500 });
    expect(result.statuses).toEqual({ down: { 0: 4 } });
  });
});
