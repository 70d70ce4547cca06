import { runLoad, sessionRequests } from './load';
import { listenOnce } from './testServer';

describe('sessionRequests', () => {
  it('builds one getSession request per token with its bearer header', () => {
    expect(sessionRequests(['a', 'b'])).toEqual([
      { method: 'GET', path: '/api/auth/get-session', headers: { authorization: 'Bearer a' } },
      { method: 'GET', path: '/api/auth/get-session', headers: { authorization: 'Bearer b' } },
    ]);
  });

  it('refuses an empty token list', () => {
    expect(() => sessionRequests([])).toThrow(RangeError);
  });
});

describe('runLoad', () => {
  it('rotates over every token and counts answers, non-2xx and bytes', async () => {
    const seen = new Map<string, number>();
    const server = await listenOnce((req, res) => {
      const auth = req.headers.authorization ?? '';
      seen.set(auth, (seen.get(auth) ?? 0) + 1);
      if (auth === 'Bearer bad') res.writeHead(401).end();
      else res.end('x'.repeat(100));
    });
    try {
      const result = await runLoad(server.url, sessionRequests(['t1', 't2', 't3', 'bad']), 2, 1);
      expect([...seen.keys()].sort()).toEqual(['Bearer bad', 'Bearer t1', 'Bearer t2', 'Bearer t3']);
      expect(result.requests).toBeGreaterThan(0);
      expect(result.sent).toBeGreaterThanOrEqual(result.requests);
      expect(result.non2xx).toBeGreaterThan(0);
      // Answers still in flight when the run stops reached the server but are not counted.
      expect(result.non2xx).toBeLessThanOrEqual(seen.get('Bearer bad')!);
      expect(result.non2xx).toBeGreaterThanOrEqual(seen.get('Bearer bad')! - 2);
      expect(result.bytesPerResponse).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});
