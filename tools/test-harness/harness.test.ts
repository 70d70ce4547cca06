import { Client } from 'pg';
import Redis from 'ioredis';
import { createTestDatabase, harnessPostgresUrl, harnessRedisUrl, startDedicatedPostgres, startDedicatedRedis, templateDatabase } from './index';

describe('test harness', () => {
  it('gives a real Postgres: select version() and an isolated database per file', async () => {
    const db = await createTestDatabase('harness');
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: string; db: string }>('select version() as version, current_database() as db');
      expect(rows[0].version).toMatch(/^PostgreSQL \d+/);
      expect(rows[0].db).toBe(db.name);
      await client.query('create table t (id int primary key)');
      await client.query('insert into t values (1), (2)');
      const count = await client.query('select count(*)::int as n from t');
      expect(count.rows[0].n).toBe(2);
    } finally {
      await client.end();
      await db.drop();
    }
  });

  it('clones a template database made once (concurrent callers share it), which refuses connections of its own', async () => {
    const name = `tpl_harness_${Date.now().toString(36)}`;
    let prepared = 0;
    const prepare = async (url: string) => {
      prepared++;
      const c = new Client({ connectionString: url });
      await c.connect();
      await c.query('create table seeded (id int primary key); insert into seeded values (7)');
      await c.end();
    };
    const [a, b] = await Promise.all([templateDatabase(harnessPostgresUrl(), name, prepare), templateDatabase(harnessPostgresUrl(), name, prepare)]);
    expect([a, b]).toEqual([name, name]);
    expect(prepared).toBe(1);
    const clone = await createTestDatabase('clone', { template: name });
    const client = new Client({ connectionString: clone.url });
    await client.connect();
    try {
      expect((await client.query('select id from seeded')).rows).toEqual([{ id: 7 }]);
    } finally {
      await client.end();
      await clone.drop();
    }
    const direct = new Client({ connectionString: clone.url.replace(clone.name, name) });
    await expect(direct.connect()).rejects.toThrow(/not currently accepting connections/);
  });

  it('gives a real Redis: PING, and data round-trips', async () => {
    const redis = new Redis(harnessRedisUrl(), { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    try {
      expect(await redis.ping()).toBe('PONG');
      const info = await redis.info('server');
      expect(info).toMatch(/redis_version:\d+/);
      await redis.set('harness:k', 'v', 'EX', 10);
      expect(await redis.get('harness:k')).toBe('v');
    } finally {
      redis.disconnect();
    }
  });

  it('dedicated Postgres can be stopped and restarted (outage tests)', async () => {
    const pg = await startDedicatedPostgres();
    try {
      const query = async () => {
        const c = new Client({ connectionString: pg.url, connectionTimeoutMillis: 1000 });
        await c.connect();
        try {
          return (await c.query('select 1 as one')).rows[0].one;
        } finally {
          await c.end();
        }
      };
      expect(await query()).toBe(1);
      await pg.stop();
      await expect(query()).rejects.toThrow();
      await pg.start();
      expect(await query()).toBe(1);
    } finally {
      await pg.destroy();
    }
  });

  it('dedicated Redis can be stopped and restarted, and leaves no process behind', async () => {
    const server = await startDedicatedRedis();
    const pid = server.pid!;
    await server.stop();
    expect(() => process.kill(pid, 0)).toThrow();
    await server.start();
    const redis = new Redis(server.url, { lazyConnect: true });
    await redis.connect();
    expect(await redis.ping()).toBe('PONG');
    redis.disconnect();
    await server.stop();
    expect(server.running).toBe(false);
  });
});

describe('test harness leftovers', () => {
  it('stops a dedicated Postgres that a test forgot, when its process exits', async () => {
    const { spawnSync } = await import('node:child_process');
    const { existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'forgetServer.ts')], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(0);
    const started = JSON.parse(run.stdout.trim()) as { port: number; dataDir: string; url: string };
    expect(existsSync(started.dataDir)).toBe(false);
    const client = new Client({ connectionString: started.url, connectionTimeoutMillis: 1000 });
    await expect(client.connect()).rejects.toThrow();
  });
});
