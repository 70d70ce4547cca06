/**
 * `npm run bench -- repository`: UserRepository.findById / findByEmail against the same Prisma
 * query on the same rows and client, interleaved in one run. Uses DATABASE_URL when set (its
 * database gets a `bench_repository` sibling), otherwise a throwaway local Postgres.
 */
import { loadavg } from 'node:os';
import { Client } from 'pg';
import { migrate, PrismaDatabaseClient, SessionRepository, UserRepository, type User, type UserSession } from '@libs/database';
import { ResilientCacheService } from '@libs/database/cache';
import { LocalPostgres } from '@tools/test-harness';
import { compare, median, writeReport } from './report';

const USERS = 200;
const PAIRS = 4_000;

/**
 * Per-call latencies of two candidates on the same row, in random order within each pair, so
 * load spikes from other processes on this shared machine hit both alike; medians of each.
 * (Round-based `compare()` swung ±20% here with the load average at 8.)
 */
async function paired(name: string, ours: (u: User) => Promise<unknown>, raw: (u: User) => Promise<unknown>, rows: User[]): Promise<Record<string, number>> {
  const a: number[] = [];
  const b: number[] = [];
  const time = async (fn: (u: User) => Promise<unknown>, u: User) => {
    const t0 = process.hrtime.bigint();
    await fn(u);
    return Number(process.hrtime.bigint() - t0);
  };
  for (let i = 0; i < 500; i++) await Promise.all([ours(rows[i % rows.length]), raw(rows[i % rows.length])]);
  for (let i = 0; i < PAIRS; i++) {
    const u = rows[i % rows.length];
    if (Math.random() < 0.5) {
      a.push(await time(ours, u));
      b.push(await time(raw, u));
    } else {
      b.push(await time(raw, u));
      a.push(await time(ours, u));
    }
  }
  return { [`repo_${name}`]: median(a), [`prisma_${name}`]: median(b) };
}

async function freshDatabase(adminUrl: string): Promise<string> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS bench_repository WITH (FORCE)');
  await admin.query('CREATE DATABASE bench_repository');
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = '/bench_repository';
  return url.toString();
}

export async function run(): Promise<void> {
  const local = process.env['DATABASE_URL'] ? undefined : await LocalPostgres.create();
  const url = await freshDatabase(process.env['DATABASE_URL'] ?? local!.url);
  await migrate(url);
  const db = new PrismaDatabaseClient({ url, poolMax: 4 });
  try {
    await db.connect();
    // No cache and no metrics collector: this measures the repository path itself
    // (validation-free read, executeWithRetry, breaker, error mapping) over raw Prisma.
    const users = new UserRepository({ db });
    const rows: User[] = [];
    for (let i = 0; i < USERS; i++) rows.push(await users.create({ email: `bench${i}@example.com`, name: `Bench ${i}` }));
    // The repository hides soft-deleted users, so the raw baseline runs the same filter.
    // `async` matters: a PrismaPromise is a lazy thenable that only runs when awaited.
    const results = {
      ...(await paired(
        'findById',
        (u) => users.findById(u.id),
        async (u) => db.prisma.user.findFirst({ where: { AND: [{ id: u.id }, { isDeleted: false }] } }),
        rows,
      )),
      ...(await paired(
        'findByEmail',
        (u) => users.findByEmail(u.email),
        async (u) => db.prisma.user.findFirst({ where: { AND: [{ email: u.email }, { isDeleted: false }] } }),
        rows,
      )),
    };
    // The same paths over a Prisma stub that answers at once: the repository's own CPU cost,
    // free of database and scheduling noise.
    const row = rows[0];
    const stub = { prisma: { user: { findFirst: async () => row, findUnique: async () => row } } } as unknown as PrismaDatabaseClient;
    const stubRepo = new UserRepository({ db: stub });
    const cpu = await compare(
      { repo: () => stubRepo.findById(row.id), stub: () => stub.prisma.user.findFirst({ where: { AND: [{ id: row.id }, { isDeleted: false }] } }) },
      { iterations: 50_000, rounds: 7, warmup: 20_000 },
    );
    // The get-session hot path: both cached reads answered from L1 (cache without Redis), over
    // the same stub so a miss would not hide behind database latency. Measures what an L1 hit
    // costs a caller through the repository (cache lookup + whatever revive/copy it does).
    const session = await new SessionRepository({ db }).create({ token: `bench-token-${'x'.repeat(32)}`, userId: row.id, expiresAt: new Date(Date.now() + 86_400_000) });
    const sessionStub = { prisma: { user: { findFirst: async () => row, findUnique: async () => row }, userSession: { findFirst: async () => session } } } as unknown as PrismaDatabaseClient;
    const cache = new ResilientCacheService({ resources: { user: { ttlMs: 3_600_000 }, session: { ttlMs: 3_600_000 } } });
    const cachedUsers = new UserRepository({ db: sessionStub, cache });
    const cachedSessions = new SessionRepository({ db: sessionStub, cache });
    const getSession = async () => {
      const s = (await cachedSessions.findActiveByToken(session.token)) as UserSession;
      return cachedUsers.findById(s.userId);
    };
    if ((await getSession())?.id !== row.id) throw new Error('cached get-session path returned the wrong user');
    const hits = await compare(
      { cachedFindById: () => cachedUsers.findById(row.id), cachedGetSession: getSession, stub: () => stub.prisma.user.findFirst({ where: { id: row.id } }) },
      { iterations: 50_000, rounds: 7, warmup: 20_000 },
    );
    await cache.close();
    const us = (ns: number) => Number((ns / 1_000).toFixed(1));
    const metrics = {
      users: USERS,
      pairs: PAIRS,
      repo_findById_median_us: us(results['repo_findById']),
      prisma_findById_median_us: us(results['prisma_findById']),
      repo_findByEmail_median_us: us(results['repo_findByEmail']),
      prisma_findByEmail_median_us: us(results['prisma_findByEmail']),
      findById_overhead_us: us(results['repo_findById'] - results['prisma_findById']),
      findByEmail_overhead_us: us(results['repo_findByEmail'] - results['prisma_findByEmail']),
      findById_vs_prisma_ratio: results['repo_findById'] / results['prisma_findById'],
      findByEmail_vs_prisma_ratio: results['repo_findByEmail'] / results['prisma_findByEmail'],
      repository_cpu_overhead_us: us(cpu['repo'] - cpu['stub']),
      stub_repo_ns: Math.round(cpu['repo']),
      stub_prisma_ns: Math.round(cpu['stub']),
      cached_findById_hit_ns: Math.round(hits['cachedFindById']),
      cached_get_session_reads_ns: Math.round(hits['cachedGetSession']),
      cached_findById_hit_vs_stub_prisma_ratio: hits['cachedFindById'] / hits['stub'],
      load_average_1m: Number(loadavg()[0].toFixed(2)),
      backend: local ? 'local postgres (embedded binaries)' : 'DATABASE_URL',
    };
    writeReport('repository', metrics, [
      { query: 'findById', repository_us: metrics.repo_findById_median_us, prisma_us: metrics.prisma_findById_median_us, ratio: metrics.findById_vs_prisma_ratio.toFixed(3) },
      { query: 'findByEmail', repository_us: metrics.repo_findByEmail_median_us, prisma_us: metrics.prisma_findByEmail_median_us, ratio: metrics.findByEmail_vs_prisma_ratio.toFixed(3) },
      { query: 'findById over a Prisma stub (CPU only)', repository_us: us(cpu['repo']), prisma_us: us(cpu['stub']), ratio: (cpu['repo'] / cpu['stub']).toFixed(3) },
      { query: 'findById, L1 hit (stub behind)', repository_us: us(hits['cachedFindById']), prisma_us: us(hits['stub']), ratio: metrics.cached_findById_hit_vs_stub_prisma_ratio.toFixed(3) },
      { query: 'findActiveByToken + findById, L1 hits', repository_us: us(hits['cachedGetSession']), prisma_us: '', ratio: '' },
    ]);
  } finally {
    await db.disconnect();
    await local?.destroy();
  }
}
