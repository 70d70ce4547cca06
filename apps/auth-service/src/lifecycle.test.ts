import Fastify from 'fastify';
import { gracefulShutdown } from './lifecycle';

describe('graceful shutdown', () => {
  it('drains in-flight requests, then closes resources in order, once', async () => {
    const app = Fastify();
    const order: string[] = [];
    let release!: () => void;
    app.get('/slow', async () => {
      await new Promise<void>((r) => (release = r));
      order.push('request finished');
      return { ok: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const inflight = fetch(`http://127.0.0.1:${port}/slow`).then((r) => r.json());
    await new Promise((r) => setTimeout(r, 50));

    const exits: number[] = [];
    const lifecycle = gracefulShutdown(
      app,
      [
        { name: 'usage buffer', close: async () => void order.push('usage flushed') },
        { name: 'database', close: async () => void order.push('pool closed') },
      ],
      { log: app.log, exit: (code) => exits.push(code) },
    );
    const first = lifecycle.shutdown('SIGTERM');
    const second = lifecycle.shutdown('SIGTERM');
    expect(lifecycle.draining).toBe(true);
    setTimeout(() => release(), 50);
    await Promise.all([first, second]);
    expect(await inflight).toEqual({ ok: true });
    expect(order).toEqual(['request finished', 'usage flushed', 'pool closed']);
    expect(exits).toEqual([0]);
  });

  it('keeps closing the rest when one resource fails, and exits non-zero', async () => {
    const app = Fastify({ logger: false });
    const closed: string[] = [];
    const exits: number[] = [];
    await gracefulShutdown(
      app,
      [
        { name: 'a', close: async () => Promise.reject(new Error('nope')) },
        { name: 'b', close: async () => void closed.push('b') },
      ],
      { log: app.log, exit: (code) => exits.push(code) },
    ).shutdown('SIGINT');
    expect(closed).toEqual(['b']);
    expect(exits).toEqual([1]);
  });
});
