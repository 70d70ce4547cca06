/**
 * `npm run chaos [-- scenario …]`: fault scenarios against our server and stock Better-Auth
 * (with pool error listeners) on a Postgres of the runner's own, loopback only, every run
 * bounded in time. Prints a table and writes bench/results/chaos.json.
 * Scenarios: postgres-kill, start-while-down, acknowledged-writes, redis-outage, slow-postgres,
 * fuzz, soak (CHAOS_SOAK_SECONDS, default 600), memory-at-scale (CHAOS_SESSIONS, default 100,000),
 * credential-flood, postgres-failover (a Patroni cluster: patroni, etcd, postgresql-15 installed;
 * CHAOS_PATRONI_MEMBERS 2 or 3, default 2; CHAOS_FAILOVER_MODES, default `async,sync`)
 * (default: all).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeReport } from '../bench/report';
import { ChaosEnvironment } from './environment';
import { chaosReport, mergeResults, type ExtraRuns } from './report';
import { runCredentialFlood } from './scenarios/credentialFlood';
import { runFuzz } from './scenarios/fuzz';
import { runMemoryAtScale } from './scenarios/memoryAtScale';
import { runSlowPostgres } from './scenarios/slowPostgres';
import { runSoak } from './scenarios/soak';
import { runAcknowledgedWrites, type AcknowledgedWritesRun } from './scenarios/acknowledgedWrites';
import { runPostgresFailover } from './scenarios/postgresFailover';
import { runPostgresKill, type PostgresKillRun } from './scenarios/postgresKill';
import { runRedisOutage, type RedisOutageRun } from './scenarios/redisOutage';
import { runStartWhileDown, type StartWhileDownRun } from './scenarios/startWhileDown';

const SCENARIOS = ['postgres-kill', 'start-while-down', 'acknowledged-writes', 'redis-outage', 'slow-postgres', 'fuzz', 'soak', 'memory-at-scale', 'credential-flood', 'postgres-failover'] as const;
type Scenario = (typeof SCENARIOS)[number];

const RESULTS = join(__dirname, '..', '..', 'bench', 'results', 'chaos.json');

/** The metrics of the last run, so that running some scenarios keeps the others' figures. */
function previousMetrics(): Record<string, unknown> | undefined {
  if (!existsSync(RESULTS)) return undefined;
  try {
    return (JSON.parse(readFileSync(RESULTS, 'utf8')) as { metrics?: Record<string, unknown> }).metrics;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = asked.filter((a) => !SCENARIOS.includes(a as Scenario));
  if (unknown.length) {
    console.error(`unknown scenario(s) ${unknown.join(', ')}; available: ${SCENARIOS.join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const wanted = new Set<Scenario>(asked.length ? (asked as Scenario[]) : SCENARIOS);
  console.log('chaos: starting Postgres (embedded binaries), migrating, seeding users through stock Better-Auth …');
  const env = await ChaosEnvironment.create(40);
  const onSignal = () => void env.destroy().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  const kills: PostgresKillRun[] = [];
  const starts: StartWhileDownRun[] = [];
  const writes: AcknowledgedWritesRun[] = [];
  const redis: RedisOutageRun[] = [];
  const extra: ExtraRuns = {};
  try {
    if (wanted.has('postgres-kill')) {
      for (const kill of ['SIGKILL', 'immediate'] as const) {
        for (const server of ['ours', 'stock'] as const) {
          console.log(`postgres-kill: ${server}, Postgres ${kill} at 5 s, back at 15 s, open-model load for 20 s …`);
          kills.push(await runPostgresKill(env, server, kill));
        }
      }
    }
    if (wanted.has('start-while-down')) {
      for (const server of ['ours', 'stock'] as const) {
        console.log(`start-while-down: ${server} started with Postgres down, Postgres up 10 s later …`);
        starts.push(await runStartWhileDown(env, server));
      }
    }
    if (wanted.has('acknowledged-writes')) {
      for (const server of ['ours', 'stock'] as const) {
        console.log(`acknowledged-writes: ${server}, writes at a fixed rate across a kill and restart …`);
        writes.push(await runAcknowledgedWrites(env, server));
      }
    }
    if (wanted.has('redis-outage')) {
      for (const fault of ['kill', 'freeze'] as const) {
        console.log(`redis-outage: two instances, Redis ${fault === 'kill' ? 'killed (SIGKILL)' : 'frozen (SIGSTOP)'} at 5 s, back at 12 s; a ban on A while it is down …`);
        redis.push(await runRedisOutage(env, fault));
      }
    }
    if (wanted.has('slow-postgres')) {
      console.log('slow-postgres: ours, "User" and "UserSession" locked (ACCESS EXCLUSIVE) from 3 s to 11 s under load …');
      extra.slowPostgres = await runSlowPostgres(env);
    }
    if (wanted.has('fuzz')) {
      const count = Number(process.env['CHAOS_FUZZ_REQUESTS'] ?? 10_000);
      console.log(`fuzz: ${count} fast-check requests over every endpoint family …`);
      extra.fuzz = await runFuzz(env, count);
    }
    if (wanted.has('soak')) {
      console.log(`soak: ours at half the measured get-session maximum for ${process.env['CHAOS_SOAK_SECONDS'] ?? 600} s …`);
      extra.soak = await runSoak(env);
    }
    if (wanted.has('memory-at-scale')) {
      console.log(`memory-at-scale: ${process.env['CHAOS_SESSIONS'] ?? 100_000} sessions inserted, each read once through get-session …`);
      extra.memoryAtScale = await runMemoryAtScale(env);
    }
    if (wanted.has('credential-flood')) {
      console.log('credential-flood: ours, 10 s quiet, then 10 s of 2,000 random API keys and bearer tokens/s beside the same legitimate traffic …');
      extra.credentialFlood = await runCredentialFlood(env);
    }
    if (wanted.has('postgres-failover')) {
      extra.postgresFailover = [];
      const members = process.env['CHAOS_PATRONI_MEMBERS'] === '3' ? 3 : 2;
      const modes = (process.env['CHAOS_FAILOVER_MODES'] ?? 'async,sync').split(',').filter((m): m is 'async' | 'sync' => m === 'async' || m === 'sync');
      for (const mode of modes) {
        console.log(`postgres-failover: ours (built) on ${members} Patroni members behind HAProxy (${mode === 'sync' ? 'synchronous_mode' : 'asynchronous'}), the primary's postmaster SIGKILLed at 5 s, open-model load for 30 s …`);
        extra.postgresFailover.push(await runPostgresFailover(env, mode, members));
      }
    }
    const report = chaosReport(kills, starts, writes, redis, extra);
    writeReport('chaos', mergeResults(previousMetrics(), report.metrics, [...wanted], new Date().toISOString()), report.rows);
  } finally {
    process.off('SIGINT', onSignal);
    await env.destroy();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
