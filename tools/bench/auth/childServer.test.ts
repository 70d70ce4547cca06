import { freePort, processAlive } from '@tools/test-harness';
import { isAuthBenchError } from './AuthBenchError';
import { ChildServer } from './childServer';

const BODY = JSON.stringify({ session: { token: 't' }, user: { email: 'a@b.c' } });


describe('ChildServer (with the node:http floor server)', () => {
  it('starts on READY, serves the fixed body, reads CPU over IPC and stops', async () => {
    const server = await ChildServer.start({ name: 'nodehttp', script: 'tools/bench/auth/nodeHttpServer.ts', port: await freePort(), env: { BENCH_BODY: BODY } });
    try {
      const response = await fetch(`${server.url}/api/auth/get-session`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(BODY);
      const cpu = await server.cpuUsage();
      expect(cpu.userMicros).toBeGreaterThan(0);
      expect(Number.isInteger(cpu.systemMicros)).toBe(true);
      // The child's own cumulative counters: more requests, more CPU, neither counter going back.
      for (let i = 0; i < 200; i++) await (await fetch(`${server.url}/api/auth/get-session`)).text();
      const later = await server.cpuUsage();
      expect(later.userMicros).toBeGreaterThanOrEqual(cpu.userMicros);
      expect(later.systemMicros).toBeGreaterThanOrEqual(cpu.systemMicros);
      expect(later.userMicros + later.systemMicros).toBeGreaterThan(cpu.userMicros + cpu.systemMicros);
    } finally {
      await server.stop();
    }
    expect(processAlive(server.pid)).toBe(false);
    await server.stop();
  });

  it('rejects with SERVER_EXITED and the output tail when the server dies before READY', async () => {
    const error = await ChildServer.start({ name: 'broken', script: 'tools/bench/auth/nodeHttpServer.ts', port: await freePort(), env: { BENCH_BODY: '' } }).catch(
      (e: unknown) => e,
    );
    expect(isAuthBenchError(error) && error.code).toBe('SERVER_EXITED');
    expect((error as Error).message).toMatch(/BENCH_BODY is not set/);
  });

  it('rejects with SERVER_START_FAILED and kills a server that never becomes ready', async () => {
    const error = await ChildServer.start({
      name: 'silent',
      script: 'tools/bench/auth/fixtures/neverReady.ts',
      port: await freePort(),
      startTimeoutMs: 3_000,
      stopTimeoutMs: 500,
    }).catch((e: unknown) => e);
    expect(isAuthBenchError(error) && error.code).toBe('SERVER_START_FAILED');
    // The child's pid is in the message (a loaded machine may not even have run the script yet).
    const pid = Number(/\(pid (\d+)\)/.exec((error as Error).message)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(processAlive(pid)).toBe(false);
  });
});
