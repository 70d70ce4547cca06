import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { requireBinary, waitFor } from '@tools/test-harness';
import { DEBIAN_PACKAGES } from './binaries';
import { isRunning } from './processes';
import { stackStatus, startStack, stopStack, type Stack } from './stack';

const HA_PIECES = ['app-1', 'etcd', 'haproxy', 'haproxy-postgres', 'patroni-1', 'patroni-2', 'prometheus', 'redis'];

interface Member {
  name: string;
  role: string;
  state: string;
  port: number;
}

async function one<T>(url: string, sql: string, params: unknown[] = []): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows[0] as T;
  } finally {
    await client.end();
  }
}

/** The postmasters of the cluster's members (`<cluster dir>/pgN/data/postmaster.pid`). */
function postmasters(clusterDir: string, members: number): number[] {
  return Array.from({ length: members }, (_, i) => join(clusterDir, `pg${i}`, 'data', 'postmaster.pid'))
    .filter((file) => existsSync(file))
    .map((file) => Number(readFileSync(file, 'utf8').split('\n')[0]));
}

/**
 * `npm run stack -- --ha` end to end, kept small (one instance, two Patroni members, no Sentinel;
 * failover itself is patroniFailover.e2e and the chaos scenario): a sign-up through HAProxy lands on
 * the member Patroni made primary, the write port reaches that member and the read port the
 * replica, Prometheus scrapes the Patroni members and the Postgres HAProxy, and `stop` leaves no
 * etcd, Patroni, Postgres or HAProxy process and no cluster directory behind.
 */
describe('npm run stack -- --ha (1 instance, 2 Patroni members, on loopback)', () => {
  const stackDir = mkdtempSync(join(tmpdir(), 'stack-ha-test-'));
  let stack: Stack;

  beforeAll(async () => {
    for (const command of [...Object.keys(DEBIAN_PACKAGES), 'patroni', 'etcd']) requireBinary(command);
    stack = await startStack({ instances: 1, basePort: 'auto', stackDir, sentinel: false, ha: true, haMembers: 2, log: () => undefined });
  }, 300_000);

  afterAll(async () => {
    // stop(): stopStack and the SMTP server this process runs for the instances.
    await stack?.stop().catch(() => undefined);
    await stopStack(stackDir).catch(() => undefined);
    rmSync(stackDir, { recursive: true, force: true });
  }, 90_000);

  it('a sign-up through HAProxy lands on the primary, which is what the write port reaches', async () => {
    const email = `ha-${Date.now()}@stack.local`;
    const response = await fetch(`${stack.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack.url },
      body: JSON.stringify({ email, password: 'stack ha password 123', name: 'HA' }),
    });
    expect(response.status).toBe(200);
    const restUrl = Object.values(stack.patroni!.restUrls)[0];
    const { members } = (await (await fetch(`${restUrl}/cluster`)).json()) as { members: Member[] };
    const leader = members.find((m) => m.role === 'leader')!;
    expect(members.filter((m) => m.role === 'leader')).toHaveLength(1);
    // The write port reaches the leader's Postgres, not in recovery, holding the new user.
    const write = await one<{ port: number; standby: boolean; n: number }>(stack.postgres.primaryUrl, 'SELECT inet_server_port() AS port, pg_is_in_recovery() AS standby, count(*)::int AS n FROM "User" WHERE "email" = $1', [email]);
    expect(write).toEqual({ port: leader.port, standby: false, n: 1 });
    // The read port reaches the other member, a hot standby.
    const replica = members.find((m) => m.name !== leader.name)!;
    await waitFor(async () => {
      const read = await one<{ port: number; standby: boolean; n: number }>(stack.postgres.replicaUrls[0], 'SELECT inet_server_port() AS port, pg_is_in_recovery() AS standby, count(*)::int AS n FROM "User" WHERE "email" = $1', [email]);
      expect(read).toEqual({ port: replica.port, standby: true, n: 1 });
    }, 20_000, 'the sign-up on the replica behind the read port');
  });

  it('Prometheus scrapes the Patroni members and the Postgres HAProxy: one primary behind the write port', async () => {
    await waitFor(async () => {
      const query = async (expr: string) => ((await (await fetch(`${stack.prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as { data: { result: Array<{ value: [number, string] }> } }).data.result;
      const up = await query('up{job=~"patroni|haproxy-postgres"} == 1');
      if (up.length !== 3) throw new Error(`targets up: ${JSON.stringify(up)}`);
      const primaries = await query('sum(patroni_primary)');
      const behindWritePort = await query('haproxy_backend_active_servers{job="haproxy-postgres",proxy="primary"}');
      expect(primaries.map((r) => r.value[1])).toEqual(['1']);
      expect(behindWritePort.map((r) => r.value[1])).toEqual(['1']);
    }, 40_000, 'the Patroni and HAProxy scrapes');
  });

  it('every Patroni and HAProxy metric of the alerts and the dashboard is in the real scrape; the failover rules evaluate, none firing', async () => {
    const root = join(__dirname, '..', '..');
    const text = ['deploy/prometheus/alerts.yml', 'deploy/grafana/dashboards/auth-service.json'].map((file) => readFileSync(join(root, file), 'utf8')).join('\n');
    const queried = [...new Set([...text.matchAll(/\b((?:patroni|haproxy)_[a-z_]+)\b/g)].map((m) => m[1]))].sort();
    expect(queried).toEqual(expect.arrayContaining(['haproxy_backend_active_servers', 'patroni_cluster_unlocked', 'patroni_postgres_timeline', 'patroni_primary']));
    interface Rule { name: string; health: string; state: string; lastError?: string }
    await waitFor(async () => {
      const names = ((await (await fetch(`${stack.prometheusUrl}/api/v1/label/__name__/values`)).json()) as { data: string[] }).data;
      expect(queried.filter((name) => !names.includes(name))).toEqual([]);
      const groups = ((await (await fetch(`${stack.prometheusUrl}/api/v1/rules`)).json()) as { data: { groups: Array<{ name: string; rules: Rule[] }> } }).data.groups;
      const rules = groups.find((g) => g.name === 'postgres-failover')?.rules ?? [];
      expect(rules.length).toBeGreaterThanOrEqual(5);
      // Evaluated at least once on the scraped series, without an error, and nothing pending or firing.
      expect(rules.map((r) => [r.name, r.health, r.lastError ?? '', r.state])).toEqual(rules.map((r) => [r.name, 'ok', '', 'inactive']));
    }, 40_000, 'the failover rules evaluated on the scrape');
  });

  it('stop leaves no etcd, Patroni, Postgres or HAProxy process and no cluster directory', async () => {
    const clusterDir = stack.pieces.find((p) => p.name === 'etcd')!.cleanup![0];
    const pids = [...stack.pieces.map((p) => p.pid), ...postmasters(clusterDir, 2)];
    expect(pids).toHaveLength(HA_PIECES.length + 2);
    expect(pids.filter((pid) => !isRunning(pid))).toEqual([]);
    expect(stackStatus(stackDir)?.pieces.map((p) => [p.name, p.running]).sort()).toEqual(HA_PIECES.map((name) => [name, true]));
    const stopped = await stopStack(stackDir);
    expect(stopped.sort()).toEqual(HA_PIECES);
    expect(pids.filter((pid) => isRunning(pid))).toEqual([]);
    expect(existsSync(clusterDir)).toBe(false);
    expect(stackStatus(stackDir)).toBeUndefined();
  }, 90_000);
});
