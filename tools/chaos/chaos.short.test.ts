import { buildApp } from './builtApp';
import { ChaosEnvironment } from './environment';
import { runAcknowledgedWrites } from './scenarios/acknowledgedWrites';
import { runFuzz } from './scenarios/fuzz';
import { runPostgresKill } from './scenarios/postgresKill';

/**
 * The short versions of the chaos scenarios, in `npm test`: semantic assertions only (what the
 * server answered, what was kept); the timed figures come from `npm run chaos`. Our server runs
 * from the built bundle (`nx run auth-service:build`, which the e2e target runs first, so here it
 * is a cache hit), not through tsx: three tsx compilations cost most of this file's minute.
 */
describe('chaos, short: our server across a Postgres crash', () => {
  let env: ChaosEnvironment;
  beforeAll(async () => {
    env = await ChaosEnvironment.create(6, { ours: buildApp() });
  }, 300_000);
  afterAll(async () => {
    await env?.destroy();
  });

  it('answers an outage with 503 (never 401 or another 5xx), costs at most one attempt per request while down, survives and serves again', async () => {
    const run = await runPostgresKill(env, 'ours', 'SIGKILL', { killMs: 1_500, restartMs: 5_000, durationMs: 8_000 });
    expect(run.survived).toBe(true);
    for (const [target, figures] of Object.entries(run.targets)) {
      expect({ target, wrong: figures.wrongAnswers }).toEqual({ target, wrong: 0 });
      // Every target answers 200 again after the restart (the breaker closes once Postgres is back).
      expect({ target, recovered: figures.recoveryMs !== null }).toEqual({ target, recovered: true });
    }
    expect(run.targets['sign-in'].duringOutage['503']).toBeGreaterThan(0);
    expect(run.attemptsPerRequest).not.toBeNull();
    expect(run.attemptsPerRequest!).toBeLessThanOrEqual(1.1);
  }, 120_000);

  it('loses and duplicates no acknowledged sign-up or key across a crash', async () => {
    const run = await runAcknowledgedWrites(env, 'ours', { killMs: 1_500, restartMs: 4_000, durationMs: 6_000 });
    expect(run.signUps.acknowledged).toBeGreaterThan(0);
    expect({ lost: run.signUps.lost, duplicated: run.signUps.duplicated }).toEqual({ lost: [], duplicated: [] });
    expect({ lost: run.keyCreations!.lost, duplicated: run.keyCreations!.duplicated }).toEqual({ lost: [], duplicated: [] });
    // A write cut off by the crash answers 503 (or nothing), never another 5xx.
    const serverErrors = (statuses: Record<string, number>) => Object.keys(statuses).filter((status) => Number(status) >= 500 && status !== '503');
    expect({ signUps: serverErrors(run.signUps.statuses), keys: serverErrors(run.keyCreations!.statuses) }).toEqual({ signUps: [], keys: [] });
  }, 120_000);

  it('answers 500 fuzzed requests over every endpoint family without a 5xx, and stays alive', async () => {
    const run = await runFuzz(env, 500, 14_006, 4);
    expect({ serverErrors: run.serverErrors, examples: run.serverErrorExamples }).toEqual({ serverErrors: 0, examples: [] });
    expect(run.alive).toBe(true);
    expect(Object.keys(run.byFamily).sort()).toEqual(['admin', 'auth', 'other', 'plugins', 'ws']);
  }, 180_000);
});
