import { MetricsCollector } from '@libs/monitoring';
import { createDatabaseClient } from '@libs/database';
import type { DatabaseClient } from '@libs/database/types';
import { RoleRepository } from '@libs/database/postgress/repositories';
import type { TestDatabase } from '@tools/test-harness';
import pino from 'pino';
import { createRepositories, type Repositories } from '../repositories';
import { migratedDatabase } from '../testing/testApp';
import { AuthDataLayer } from './AuthDataLayer';

describe('AuthDataLayer (real Postgres)', () => {
  let database: TestDatabase;
  let db: DatabaseClient;
  let repos: Repositories;
  let layer: AuthDataLayer;
  const metrics = new MetricsCollector();

  beforeAll(async () => {
    database = await migratedDatabase('adl');
    db = await createDatabaseClient({ url: database.url });
    repos = createRepositories({ db, metrics });
    layer = new AuthDataLayer(repos, metrics, pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await db?.disconnect();
    await database?.drop();
  });

  it('creates a user with a role atomically, and rolls both back when the role does not exist', async () => {
    const role = await new RoleRepository({ db }).create({ name: `editor-${Date.now()}` });
    const user = await layer.createUserWithRole({ email: 'adl-ok@example.com', name: 'Ok' }, role.id);
    expect(user.roleId).toBe(role.id);
    expect(user.roleAssignedBy).toBe('system');
    expect((await layer.getUserByEmail('adl-ok@example.com'))?.id).toBe(user.id);

    await expect(layer.createUserWithRole({ email: 'adl-rollback@example.com', name: 'No' }, 'no-such-role')).rejects.toMatchObject({ code: expect.any(String) });
    expect(await layer.getUserByEmail('adl-rollback@example.com')).toBeNull();
  });

  it('updates many users at once and reads a session with its user', async () => {
    const a = await repos.users.create({ email: 'adl-a@example.com', name: 'A' });
    const b = await repos.users.create({ email: 'adl-b@example.com', name: 'B' });
    expect(await layer.batchUpdateUserStatus([a.id, b.id], 'INACTIVE', 'admin', 'cleanup')).toBe(2);
    expect((await repos.users.findById(a.id))?.status).toBe('INACTIVE');

    const token = `tok-${Date.now()}`;
    await repos.sessions.create({ userId: b.id, token, expiresAt: new Date(Date.now() + 60_000) });
    const found = await layer.getUserSessionCached(token);
    expect(found?.user.id).toBe(b.id);
    expect(await layer.getUserSessionCached('unknown-token')).toBeNull();
  });

  it('validates API keys through its own retry policy and reports metrics', async () => {
    const user = await repos.users.create({ email: 'adl-key@example.com', name: 'K' });
    const created = await repos.apiKeys.create({ userId: user.id, name: 'ci', scopes: ['read'] });
    expect(await layer.validateApiKeyWithRetry(created.plainKey, ['read'])).toMatchObject({ valid: true, userId: user.id });
    expect(await layer.validateApiKeyWithRetry(`${created.plainKey}x`)).toMatchObject({ valid: false });
    const figures = layer.getMetrics();
    expect(figures.repositories.users.operationCount).toBeGreaterThan(0);
    expect(figures.collector.operations['auth.validateApiKey']?.operationCount).toBeGreaterThanOrEqual(2);
  });
});
