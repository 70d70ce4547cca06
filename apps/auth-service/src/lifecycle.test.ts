import Fastify from 'fastify';
import { closeApp, gracefulShutdown, shutdownTimings } from './lifecycle';
import { loadConfig } from './config';

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

describe('closeApp (the one close sequence)', () => {
  const recordingLog = () => {
    const lines: Array<{ level: string; obj: Record<string, unknown>; msg: string }> = [];
    const at = (level: string) => (obj: Record<string, unknown>, msg: string) => void lines.push({ level, obj, msg });
    const log = { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') } as unknown as import('fastify').FastifyBaseLogger;
    return { lines, log };
  };

  it('goes on past a closer that never settles, names it, and runs the rest in order', async () => {
    const app = Fastify({ logger: false });
    const { lines, log } = recordingLog();
    const closed: string[] = [];
    const report = await closeApp(
      app,
      [
        { name: 'stuck', close: () => new Promise<void>(() => undefined) },
        { name: 'broken', close: async () => Promise.reject(new Error('nope')) },
        { name: 'fine', close: async () => void closed.push('fine') },
      ],
      { log, closerDeadlineMs: 50 },
    );
    expect(report.failed).toBe(true);
    expect(report.steps.map((s) => [s.name, s.outcome])).toEqual([
      ['http server', 'closed'],
      ['stuck', 'timed out'],
      ['broken', 'failed'],
      ['fine', 'closed'],
    ]);
    expect(closed).toEqual(['fine']);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'error', obj: expect.objectContaining({ resource: 'stuck' }) }));
    expect(lines).toContainEqual(expect.objectContaining({ level: 'error', msg: 'closing a resource failed', obj: expect.objectContaining({ resource: 'broken' }) }));
  });

  it('closes a keep-alive connection whose request is still running once the grace period is over', async () => {
    const app = Fastify({ logger: false });
    let arrived!: () => void;
    const requestArrived = new Promise<void>((r) => (arrived = r));
    app.get('/hang', () => {
      arrived();
      return new Promise(() => undefined);
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const hanging = fetch(`http://127.0.0.1:${port}/hang`).then(() => 'answered', () => 'cut');
    await requestArrived;
    const { log } = recordingLog();
    const report = await closeApp(app, [], { log, drainGraceMs: 50 });
    expect(report.steps).toEqual([expect.objectContaining({ name: 'http server', outcome: 'closed' })]);
    expect(await hanging).toBe('cut');
  });

  describe('drain delay: load balancers see draining before connections close', () => {
    async function servingApp() {
      const app = Fastify({ logger: false });
      let lifecycle!: ReturnType<typeof gracefulShutdown>;
      app.get('/health/ready', async (_request, reply) => (lifecycle.draining ? reply.code(503).send({ status: 'draining' }) : { status: 'ready' }));
      await app.listen({ port: 0, host: '127.0.0.1' });
      const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/health/ready`;
      return { app, url, set: (l: typeof lifecycle) => (lifecycle = l) };
    }

    it('SIGTERM: readiness answers 503 draining at once while the server still serves; a second signal ends the delay', async () => {
      const { app, url, set } = await servingApp();
      const closed: string[] = [];
      const exits: number[] = [];
      const lifecycle = set(gracefulShutdown(app, [{ name: 'pool', close: async () => void closed.push('pool') }], { log: app.log, drainDelayMs: 600_000, exit: (c) => exits.push(c) }));
      const done = lifecycle.shutdown('SIGTERM');
      // The delay is ten minutes: within it the listener is open and answers the health check.
      const during = await fetch(url);
      expect(during.status).toBe(503);
      expect(await during.json()).toEqual({ status: 'draining' });
      expect(closed).toEqual([]);
      expect(exits).toEqual([]);
      await lifecycle.shutdown('SIGTERM');
      await done;
      expect(closed).toEqual(['pool']);
      expect(exits).toEqual([0]);
      await expect(fetch(url)).rejects.toThrow();
    });

    it('SIGINT (skipDelay) closes without waiting the delay', async () => {
      const { app, set } = await servingApp();
      const exits: number[] = [];
      const lifecycle = set(gracefulShutdown(app, [], { log: app.log, drainDelayMs: 600_000, exit: (c) => exits.push(c) }));
      await lifecycle.shutdown('SIGINT', { skipDelay: true });
      expect(exits).toEqual([0]);
    });

    it('the delay defaults to 5 s in production and 0 elsewhere; the deadline covers the delay; both are validated', () => {
      expect(shutdownTimings(loadConfig({ NODE_ENV: 'development' }))).toEqual({ drainDelayMs: 0, deadlineMs: 10_000 });
      expect(shutdownTimings({ NODE_ENV: 'production' })).toEqual({ drainDelayMs: 5_000, deadlineMs: 15_000 });
      expect(shutdownTimings(loadConfig({ SHUTDOWN_DRAIN_DELAY_MS: '8000', SHUTDOWN_DEADLINE_MS: '30000' }))).toEqual({ drainDelayMs: 8_000, deadlineMs: 30_000 });
      expect(() => loadConfig({ SHUTDOWN_DRAIN_DELAY_MS: '-1' })).toThrow(/SHUTDOWN_DRAIN_DELAY_MS/);
      expect(() => loadConfig({ SHUTDOWN_DEADLINE_MS: 'soon' })).toThrow(/SHUTDOWN_DEADLINE_MS/);
    });
  });
});
