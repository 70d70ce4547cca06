import { MetricsCollector } from '@libs/monitoring';
import { createMockRepositories, type MockRepositories } from '@libs/database/testing';
import pino from 'pino';
import { AuthDataLayer } from './AuthDataLayer';
import { createAccessCore, type AccessCore } from '@libs/better-auth';
import { BackgroundTasks } from '../backgroundTasks';

// The same data layer the app builds, on the in-memory repositories (they implement the
// interfaces `Repositories` asks for, and pass the repository contract suite).
describe('AuthDataLayer (in-memory repositories)', () => {
  let repos: MockRepositories;
  let layer: AuthDataLayer;
  let access: AccessCore;

  beforeEach(() => {
    repos = createMockRepositories();
    const logger = pino({ level: 'silent' });
    access = createAccessCore(repos, { secret: 's'.repeat(32), background: new BackgroundTasks(logger) });
    layer = new AuthDataLayer(repos, new MetricsCollector(), logger);
  });

  it('creates a user with a role in one transaction, and keeps neither when the role does not exist', async () => {
    const role = await repos.roles.create({ name: 'editor' });
    const user = await layer.createUserWithRole({ email: 'ok@example.com', name: 'Ok' }, role.id);
    expect(user).toMatchObject({ roleId: role.id, roleAssignedBy: 'system' });
    expect((await layer.getUserByEmail('ok@example.com'))?.id).toBe(user.id);

    await expect(layer.createUserWithRole({ email: 'no@example.com', name: 'No' }, 'missing')).rejects.toMatchObject({ code: 'FOREIGN_KEY' });
    expect(await layer.getUserByEmail('no@example.com')).toBeNull();
  });

  it('reads a live session with its user, and nothing for an expired or ended one', async () => {
    const user = await repos.users.create({ email: 's@example.com', name: 'S' });
    const live = await repos.sessions.create({ userId: user.id, token: 'live-token-0123456789', expiresAt: new Date(Date.now() + 60_000) });
    await repos.sessions.create({ userId: user.id, token: 'old-token-0123456789', expiresAt: new Date(Date.now() - 1_000) });
    expect(await access.sessionByToken('live-token-0123456789')).toMatchObject({ session: { id: live.id }, user: { id: user.id } });
    expect(await access.sessionByToken('old-token-0123456789')).toBeNull();
    await repos.sessions.end(live.id, { reason: 'logout' });
    expect(await access.sessionByToken('live-token-0123456789')).toBeNull();
  });

  it('bans many users at once', async () => {
    const a = await repos.users.create({ email: 'a@example.com', name: 'A' });
    const b = await repos.users.create({ email: 'b@example.com', name: 'B' });
    expect(await layer.batchUpdateUserStatus([a.id, b.id], 'BANNED', 'mod', 'spam')).toBe(2);
    expect((await repos.users.findById(a.id))?.status).toBe('BANNED');
  });

  it('retries a transient failure of API-key validation and answers a rejection without retrying', async () => {
    const user = await repos.users.create({ email: 'k@example.com', name: 'K' });
    const { plainKey } = await repos.apiKeys.createKey({ name: 'ci', userId: user.id, scopes: ['read'] });
    repos.apiKeys.failNext('findPresented');
    expect(await layer.validateApiKeyWithRetry(plainKey, ['read'])).toMatchObject({ valid: true });
    const before = repos.apiKeys.calls.filter((c) => c.method === 'findPresented').length;
    expect(await layer.validateApiKeyWithRetry(plainKey, ['admin'])).toMatchObject({ valid: false, reason: 'INSUFFICIENT_SCOPE', missingScopes: ['admin'] });
    expect(repos.apiKeys.calls.filter((c) => c.method === 'findPresented').length - before).toBe(1);
  });

  it('finds a presented key with a retry of a transient failure; a key not found is an answer, not retried', async () => {
    const user = await repos.users.create({ email: 'f@example.com', name: 'F' });
    const { plainKey, apiKey } = await repos.apiKeys.createKey({ name: 'ci', userId: user.id, scopes: ['read'] });
    repos.apiKeys.failNext('findPresented');
    expect(await layer.findApiKeyWithRetry(plainKey)).toMatchObject({ apiKey: { id: apiKey.id, status: 'ACTIVE' } });
    const before = repos.apiKeys.calls.filter((c) => c.method === 'findPresented').length;
    const forged = plainKey.slice(0, -1) + (plainKey.endsWith('a') ? 'b' : 'a');
    expect(await layer.findApiKeyWithRetry(forged)).toEqual({ apiKey: null, reason: 'NOT_FOUND' });
    expect(repos.apiKeys.calls.filter((c) => c.method === 'findPresented').length - before).toBe(1);
  });

  it('reports the figures of every repository', async () => {
    await layer.getUserByEmail('nobody@example.com');
    const { repositories, tables } = layer.getMetrics();
    expect(Object.keys(repositories).sort()).toEqual(['accounts', 'apiKeys', 'events', 'roles', 'sessions', 'stores', 'users', 'verifications']);
    expect(Object.keys(tables).sort()).toEqual(['invitation', 'jwks', 'member', 'organization', 'passkey', 'team', 'teamMember', 'twoFactor']);
    expect(repositories.users.operationCount).toBeGreaterThan(0);
  });
});
