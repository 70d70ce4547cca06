import type { LoadResult } from './load';
import type { Window } from './measureWindow';
import { GetSessionTally, SignInTally } from './tally';

function load(rps: number, seconds: number, overrides: Partial<LoadResult> = {}): LoadResult {
  const requests = rps * seconds;
  return { requests, sent: requests + 10, rps, durationSeconds: seconds, latencyP50Ms: rps / 10, latencyP99Ms: rps / 5, non2xx: 0, errors: 0, bytesPerResponse: 700, ...overrides };
}

function window<T>(result: T, cpuMicros: number, statements: Window<T>['statements']): Window<T> {
  return { result, cpuMicros, statements };
}

const SESSION = 'SELECT * FROM "UserSession" WHERE token = $1';
const USER = 'SELECT * FROM "User" WHERE id = $1';

describe('GetSessionTally', () => {
  it('sums rounds: rps over all wall time, CPU and queries per request sent, median latency', () => {
    const tally = new GetSessionTally();
    tally.add(window(load(100, 2), 600_000, [{ query: SESSION, calls: 210 }, { query: USER, calls: 210 }]));
    tally.add(window(load(300, 2), 1_240_000, [{ query: SESSION, calls: 610 }, { query: USER, calls: 610 }, { query: 'BEGIN', calls: 5 }]));
    tally.add(window(load(200, 2), 880_000, [{ query: SESSION, calls: 410 }, { query: USER, calls: 410 }]));
    const figures = tally.figures();
    expect(figures.rps).toBe(200);
    expect(figures.roundRps).toEqual([100, 300, 200]);
    expect(figures.p50Ms).toBe(20);
    expect(figures.requests).toBe(1200);
    expect(figures.sent).toBe(1230);
    expect(figures.cpuMsPerRequest).toBeCloseTo(2720 / 1230, 6);
    expect(figures.statements?.queriesPerRequest).toBe(2);
    expect(figures.statements?.top.map((t) => t.callsPerRequest)).toEqual([1, 1]);
  });

  it('adds non-2xx answers and errors of every round', () => {
    const tally = new GetSessionTally();
    tally.add(window(load(100, 1, { non2xx: 3 }), 1, null));
    tally.add(window(load(100, 1, { errors: 2 }), 1, null));
    expect(tally.figures()).toMatchObject({ non2xx: 3, errors: 2, statements: null });
  });

  it('reports statements as unknown when one window could not count them', () => {
    const tally = new GetSessionTally();
    tally.add(window(load(100, 1), 1, [{ query: SESSION, calls: 110 }]));
    tally.add(window(load(100, 1), 1, null));
    expect(tally.figures().statements).toBeNull();
  });
});

describe('SignInTally', () => {
  it('pools latencies of all rounds and counts failures as requests, not latencies', () => {
    const tally = new SignInTally();
    tally.add(window({ latenciesMs: [100, 300], failures: 0 }, 200_000, [{ query: USER, calls: 2 }]));
    tally.add(window({ latenciesMs: [200], failures: 1 }, 200_000, [{ query: USER, calls: 2 }]));
    expect(tally.figures()).toMatchObject({ p50Ms: 200, p99Ms: 300, measured: 3, failures: 1, cpuMsPerRequest: 100 });
    expect(tally.figures().statements?.queriesPerRequest).toBe(1);
  });
});
