import { connect, createServer, type Server, type Socket } from 'node:net';
import { freePort } from '@tools/test-harness';
import { startAppOnDedicatedPostgres, startTestApp } from './testing/testApp';

const json = { 'content-type': 'application/json' };

/** A TCP listener that accepts and never answers: a Postgres whose connection attempts hang. */
async function blackhole(port: number): Promise<{ server: Server; accepted: Promise<void>; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  let firstAccepted!: () => void;
  const accepted = new Promise<void>((resolve) => (firstAccepted = resolve));
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    firstAccepted();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    server,
    accepted,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

/** One request on a raw keep-alive socket, which then stays open (idle) until the server closes it. */
async function keepAliveSocket(port: number): Promise<{ closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve) => {
    socket.once('connect', () => socket.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n'));
    socket.once('data', () => resolve());
  });
  return { closed };
}

const logLines = (logs: string[]) => logs.map((line) => JSON.parse(line) as { level: number; msg: string; resource?: string });

describe('closing the app (testApp.close shares the SIGTERM sequence)', () => {
  it('finishes with a keep-alive socket open, a request in flight and background writes stuck on a database that hangs, naming the slow closers', async () => {
    const { app: t, pg } = await startAppOnDedicatedPostgres({
      env: { DATABASE_CONNECT_TIMEOUT_MS: '60000' },
      closeBounds: { drainGraceMs: 500, closerDeadlineMs: 3_000 },
    });
    const port = pg.port;
    let hole: Awaited<ReturnType<typeof blackhole>> | undefined;
    try {
      const signUp = await fetch(`${t.url}/api/auth/sign-up/email`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'closing@example.com', password: 'closing password', name: 'C' }) });
      expect(signUp.status).toBe(200);
      const user = await t.context.repositories.users.findFirst({ where: { email: 'closing@example.com' } });
      expect(user).not.toBeNull();
      const idle = await keepAliveSocket(Number(new URL(t.url).port));

      // Postgres goes away and its port accepts connections it never serves.
      await pg.stop();
      hole = await blackhole(port);
      for (let i = 0; i < 3; i++) {
        t.context.background.run('events.signInFailed', () => t.context.repositories.events.append({ userId: user!.id, eventType: 'sign_in_failed', isError: true, errorMsg: 'test' }));
      }
      await hole.accepted; // a write is waiting on a connection attempt
      expect(t.context.background.size).toBe(3);
      const inFlight = fetch(`${t.url}/api/auth/sign-in/email`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'closing@example.com', password: 'wrong password!' }) }).then(
        (r) => r.status,
        () => 'connection closed',
      );

      const report = await t.close();
      expect(report.steps.map((s) => s.name)).toEqual(['http server', ...t.context.closers.map((c) => c.name)]);
      expect(report.steps.find((s) => s.name === 'background tasks')?.outcome).toBe('closed');
      await idle.closed;
      await inFlight; // ended: answered, or cut once the grace period was over
      const lines = logLines(t.logs);
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'closing a resource was slow', resource: 'background tasks' }));
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'background tasks still running at the drain deadline: abandoned' }));
      // pool.end() waits for the clients still connecting: the per-closer deadline names it.
      expect(lines.filter((l) => l.resource === 'database' && l.level >= 40).length).toBe(1);
    } finally {
      await hole?.close();
      await pg.destroy();
    }
  });

  it('finishes while the first connection to the database is still being attempted', async () => {
    const port = await freePort();
    // Nothing listens at first (the start-up attempt is refused at once); then the port hangs.
    const t = await startTestApp({ databaseUrl: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`, waitReady: false, env: { DATABASE_CONNECT_TIMEOUT_MS: '60000' } });
    const hole = await blackhole(port);
    try {
      await hole.accepted; // the retry's connection attempt is in flight
      expect((await t.context.db.healthCheck()).healthy).toBe(false);
      const report = await t.close();
      expect(report.steps.map((s) => s.name)).toEqual(['http server', ...t.context.closers.map((c) => c.name)]);
      expect(report.steps.find((s) => s.name === 'database')?.outcome).toBe('closed');
      expect(logLines(t.logs)).toContainEqual(expect.objectContaining({ msg: 'closing while a connection attempt is in flight: not waiting for it' }));
    } finally {
      await hole.close();
    }
  });
});
