import { createServer, type Server } from 'node:http';
import { openLoad } from './openLoad';

describe('openLoad', () => {
  let server: Server;
  let url: string;
  let held = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/hang') {
        held++;
        return; // never answers: the client timeout ends it
      }
      res.setHeader('retry-after', '1');
      res.statusCode = 503;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends rate × duration requests on schedule, even while earlier ones hang, and runs its actions', async () => {
    let acted = false;
    const result = await openLoad(
      [
        { name: 'ok', rate: 20, request: () => ({ url: `${url}/`, init: {} }) },
        { name: 'hang', rate: 10, request: () => ({ url: `${url}/hang`, init: {} }) },
      ],
      { durationMs: 500, timeoutMs: 300, actions: [{ atMs: 100, label: 'act', run: async () => void (acted = true) }] },
    );
    expect(result.samples.filter((x) => x.target === 'ok')).toHaveLength(10);
    expect(result.samples.filter((x) => x.target === 'hang')).toHaveLength(5);
    expect(held).toBe(5);
    expect(result.samples.filter((x) => x.target === 'hang').every((x) => x.status === 0)).toBe(true);
    expect(result.samples.filter((x) => x.target === 'ok').every((x) => x.status === 503 && x.retryAfter)).toBe(true);
    expect(acted).toBe(true);
    expect(typeof result.actions['act']).toBe('number');
  });

  it('finishes the load and then rejects with a failed action (no unhandled rejection ends the runner first)', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const failing = openLoad([{ name: 'ok', rate: 20, request: () => ({ url: `${url}/`, init: {} }) }], {
        durationMs: 500,
        actions: [{ atMs: 50, label: 'ban', run: async () => Promise.reject(new Error('ban answered 503')) }],
      });
      await expect(failing).rejects.toThrow('ban answered 503');
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
