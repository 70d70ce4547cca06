import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@tools/test-harness';
import { createDatabaseClient } from './createDatabaseClient';
import { redactUrl } from './options';

const repoRoot = resolve(__dirname, '..', '..', '..', '..');

describe('createDatabaseClient', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('factory');
  });
  afterAll(() => database.drop());

  it('connects to a URL and applies migrations when asked', async () => {
    const db = await createDatabaseClient({ url: database.url, migrate: true, poolMax: 3 });
    try {
      expect(db.embedded).toBe(false);
      expect(await db.prisma.user.count()).toBe(0);
      expect(db.redactedUrl).not.toContain(':postgres@');
    } finally {
      await db.disconnect();
    }
  });

  it('fails at startup for an unreachable URL and leaves nothing open', async () => {
    await expect(createDatabaseClient({ url: 'postgresql://u:p@127.0.0.1:1/none', connectionTimeoutMs: 500 })).rejects.toThrow();
  });

  it('without a URL starts embedded Postgres, migrates, and stops it on disconnect (child process)', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'embedded-'));
    try {
      const env = { ...process.env };
      delete env['DATABASE_URL'];
      const out = execFileSync(join(repoRoot, 'node_modules', '.bin', 'tsx'), [join(repoRoot, 'libs/database/scripts/embeddedSmoke.ts'), join(dataDir, 'pg')], {
        encoding: 'utf8',
        env,
        timeout: 60_000,
      });
      const line = JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
      // Every model of the schema has its table, and Prisma's `_prisma_migrations` beside them.
      const models = readFileSync(join(repoRoot, 'libs/database/prisma/schema.prisma'), 'utf8').match(/^model /gm)?.length ?? 0;
      expect(line).toEqual({ healthy: true, embedded: true, tables: models + 1, users: 0 });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('redacts passwords from URLs', () => {
    expect(redactUrl('postgresql://user:secret@host:5432/db')).toBe('postgresql://user:***@host:5432/db');
    expect(redactUrl('not a url')).toBe('<invalid url>');
  });
});
