import Fastify from 'fastify';
import { gracefulShutdown } from './lifecycle';

describe('graceful shutdown', () => {
  it('drains in-flight requests, then closes resources in order, once', async () => {
    const app = Fastify();
    const order: string[] = [];
    let release!: () => void;
    let arrived!: () => void;
    const requestArrived = new Promise<void>((r) => (arrived = r));
    app.get('/slow', async () => {
      const released = new Promise<void>((r) => (release = r));
      arrived();
      await released;
      order.push('request finished');
      return { ok: true };
    });
    // The request is let go once shutdown has begun (Fastify's close is under way), not after a delay.
    app.addHook('preClose', (done) => {
      release();
      done();
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const inflight = fetch(`http://127.0.0.1:${port}/slow`).then((r) => r.json());
    await requestArrived;

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
