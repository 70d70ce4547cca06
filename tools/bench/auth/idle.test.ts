import type { ChildServer } from './childServer';
import { waitUntilIdle } from './idle';
import type { StatementCounter } from './StatementCounter';

/** A server whose CPU clock advances by the given ms at each reading. */
function fakeServer(stepsMs: number[]): ChildServer {
  let micros = 0;
  let reading = 0;
  return {
    cpuUsage: async () => {
      micros += (stepsMs[Math.min(reading++, stepsMs.length - 1)] ?? 0) * 1000;
      return { userMicros: micros, systemMicros: 0 };
    },
  } as unknown as ChildServer;
}

function fakeStatements(totals: number[]): StatementCounter {
  let reading = 0;
  return { totalCalls: async () => totals[Math.min(reading++, totals.length - 1)] } as unknown as StatementCounter;
}

describe('waitUntilIdle', () => {
  it('waits while the server still burns CPU, then returns true', async () => {
    const server = fakeServer([0, 50, 40, 1]);
    expect(await waitUntilIdle(server, null, { intervalMs: 1, timeoutMs: 1_000 })).toBe(true);
  });

  it('waits while statements are still being run, even without CPU', async () => {
    const statements = fakeStatements([10, 20, 30, 30]);
    const server = fakeServer([0]);
    expect(await waitUntilIdle(server, statements, { intervalMs: 1, timeoutMs: 1_000 })).toBe(true);
    expect(await statements.totalCalls()).toBe(30);
  });

  it('gives up (false) when the server never goes quiet', async () => {
    expect(await waitUntilIdle(fakeServer([100]), null, { intervalMs: 1, timeoutMs: 30 })).toBe(false);
  });
});
