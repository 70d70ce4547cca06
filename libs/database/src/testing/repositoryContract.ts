import { isRepositoryError } from '../errors/RepositoryError';
import type {
  IAccountRepository,
  IApiKeyRepository,
  IRoleRepository,
  ISessionRepository,
  IStoreRepository,
  IUserEventRepository,
  IUserRepository,
  IVerificationRepository,
} from '../postgress/repositories/interfaces';
import type { PluginTableRepositories } from '../postgress/repositories/pluginTables';

/** One set of repositories under test: the Prisma ones on a real Postgres, or the in-memory ones. */
export interface ContractRepositories {
  users: IUserRepository;
  sessions: ISessionRepository;
  apiKeys: IApiKeyRepository;
  roles: IRoleRepository;
  accounts: IAccountRepository;
  verifications: IVerificationRepository;
  events: IUserEventRepository;
  stores: IStoreRepository;
  /** Better-Auth plugin tables, by Better-Auth model name. */
  tables: PluginTableRepositories;
}

export interface ContractTarget {
  repositories: ContractRepositories;
  close(): Promise<void>;
}

const codeOf = async (promise: Promise<unknown>): Promise<string | undefined> => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  return isRepositoryError(error) ? error.code : error === undefined ? undefined : 'NOT_A_REPOSITORY_ERROR';
};

let sequence = 0;
const unique = (label: string) => `${label}-${process.pid}-${++sequence}`;
const email = (label: string) => `${unique(label)}@example.com`;
const token = () => `${unique('token')}-0123456789abcdef`;
const inMs = (ms: number) => new Date(Date.now() + ms);

/**
 * The behaviour every implementation of the repository interfaces must share (bentocache's
 * driver-suite habit): the same assertions run on the Prisma repositories over a real Postgres
 * and on the in-memory repositories of `@libs/database/testing`, so a fake behaves like the real
 * thing — states, rows and `RepositoryError` codes.
 */
export function describeRepositoryContract(name: string, open: () => Promise<ContractTarget>): void {
  describe(`repository contract: ${name}`, () => {
    let target: ContractTarget;
    let r: ContractRepositories;
    beforeAll(async () => {
      target = await open();
      r = target.repositories;
    });
    afterAll(() => target?.close());

    it('users: stores what it is given, refuses bad input and duplicates with stable codes', async () => {
      const address = email('u');
      const user = await r.users.create({ email: address, name: 'Ada', image: '' });
      expect(user).toMatchObject({ email: address, name: 'Ada', image: '', status: 'ACTIVE', isDeleted: false, loginCount: 0 });
      expect(await codeOf(r.users.create({ email: address, name: 'Again' }))).toBe('UNIQUE_VIOLATION');
      expect(await codeOf(r.users.create({ email: 'not-an-email' }))).toBe('VALIDATION');
      expect(await codeOf(r.users.update('no-such-user', { name: 'x' }))).toBe('NOT_FOUND');
      expect(await codeOf(r.users.delete('no-such-user'))).toBe('NOT_FOUND');
      expect((await r.users.findByEmail(address))?.id).toBe(user.id);
    });

    it('users: soft delete hides a user from finders until restored', async () => {
      const user = await r.users.create({ email: email('soft'), name: 'Soft' });
      await r.users.softDelete(user.id, 'admin');
      expect(await r.users.findById(user.id)).toBeNull();
      expect(await r.users.findByEmail(user.email)).toBeNull();
      expect((await r.users.findByEmail(user.email, { includeDeleted: true }))?.isDeleted).toBe(true);
      await r.users.restore(user.id, 'admin');
      expect((await r.users.findById(user.id))?.isDeleted).toBe(false);
    });

    it('users: role and status changes are audited; finders by role and status see them', async () => {
      const role = await r.roles.create({ name: unique('role') });
      const user = await r.users.create({ email: email('role'), name: 'R' });
      const assigned = await r.users.updateRole(user.id, role.id, 'admin');
      expect(assigned).toMatchObject({ roleId: role.id, roleAssignedBy: 'admin' });
      expect(assigned.auditLog).toEqual([expect.objectContaining({ action: 'ROLE_CHANGED', by: 'admin', to: role.id })]);
      expect((await r.users.findByRole(role.id)).map((u) => u.id)).toEqual([user.id]);
      expect(await r.users.batchUpdateStatus([user.id], 'BANNED', 'mod', 'spam')).toBe(1);
      expect(await r.users.findById(user.id)).toMatchObject({ status: 'BANNED', banReason: 'spam' });
      expect((await r.users.updateLastLogin(user.id)).loginCount).toBe(1);
      expect(await codeOf(r.users.updateRole(user.id, 'no-such-role', 'admin'))).toBe('FOREIGN_KEY');
      expect(await codeOf(r.sessions.create({ userId: 'no-such-user', token: token(), expiresAt: inMs(60_000) }))).toBe('FOREIGN_KEY');
    });

    it('users: finders filter, sort, page and count like Prisma', async () => {
      const tag = unique('list');
      for (const n of ['c', 'a', 'b']) await r.users.create({ email: `${n}-${tag}@example.com`, name: `${tag}-${n}` });
      const where = { name: { startsWith: tag } };
      const sorted = await r.users.findMany({ where, orderBy: { name: 'asc' } });
      expect(sorted.map((u) => u.name)).toEqual([`${tag}-a`, `${tag}-b`, `${tag}-c`]);
      expect((await r.users.findMany({ where, orderBy: { name: 'desc' }, skip: 1, take: 1 })).map((u) => u.name)).toEqual([`${tag}-b`]);
      expect(await r.users.count(where)).toBe(3);
      expect(await r.users.exists({ name: { equals: `${tag}-a` } })).toBe(true);
      expect(await r.users.findFirst({ where: { name: { equals: `${tag}-z` } } })).toBeNull();
      const page = await r.users.paginate({ where, orderBy: { name: 'asc' }, pageSize: 2 });
      expect({ total: page.total, names: page.items.map((u) => u.name) }).toEqual({ total: 3, names: [`${tag}-a`, `${tag}-b`] });
    });

    it('users: a transaction that throws leaves nothing behind', async () => {
      const address = email('tx');
      await expect(
        r.users.transaction(async (repo) => {
          await repo.create({ email: address, name: 'Tx' });
          throw new Error('rollback');
        }),
      ).rejects.toThrow('rollback');
      expect(await r.users.findByEmail(address)).toBeNull();
    });

    it('sessions: found by token while live, expired ones only by findByToken, ended ones not at all', async () => {
      const user = await r.users.create({ email: email('s'), name: 'S' });
      const live = await r.sessions.create({ userId: user.id, token: token(), expiresAt: inMs(60_000) });
      const expired = await r.sessions.create({ userId: user.id, token: token(), expiresAt: inMs(-1_000) });
      expect((await r.sessions.findActiveByToken(live.token))?.id).toBe(live.id);
      expect(await r.sessions.findActiveByToken(expired.token)).toBeNull();
      expect((await r.sessions.findByToken(expired.token))?.id).toBe(expired.id);
      expect((await r.sessions.findActiveByUser(user.id)).map((s) => s.id)).toEqual([live.id]);
      const ended = await r.sessions.end(live.id, { reason: 'revoked', by: 'admin' });
      expect(ended).toMatchObject({ isActive: false, endReason: 'revoked' });
      expect(await r.sessions.findByToken(live.token)).toBeNull();
      expect((await r.sessions.getLogs(live.id)).map((l) => l.action)).toEqual(['CREATED', 'ENDED']);
    });

    it('sessions: ending all of a user\'s sessions spares the one asked to', async () => {
      const user = await r.users.create({ email: email('all'), name: 'All' });
      const keep = await r.sessions.create({ userId: user.id, token: token(), expiresAt: inMs(60_000) });
      await r.sessions.create({ userId: user.id, token: token(), expiresAt: inMs(60_000) });
      await r.sessions.create({ userId: user.id, token: token(), expiresAt: inMs(60_000) });
      expect(await r.sessions.endAllForUser(user.id, { exceptSessionId: keep.id })).toBe(2);
      expect((await r.sessions.findActiveByUser(user.id)).map((s) => s.id)).toEqual([keep.id]);
    });

    it('sessions: compareAndSetTokens writes only over the expected refresh token (one of two racers wins), never on an ended session', async () => {
      const user = await r.users.create({ email: email('cas'), name: 'Cas' });
      const session = await r.sessions.create({ userId: user.id, token: token(), expiresAt: inMs(60_000), accessToken: 'a1', refreshToken: 'r1', accessTokenExpiresAt: inMs(30_000) });
      const racers = await Promise.all(['r2a', 'r2b'].map((next) => r.sessions.compareAndSetTokens(session.id, 'r1', { accessToken: `a-${next}`, refreshToken: next })));
      const winners = racers.filter((s) => s !== null);
      expect(winners).toHaveLength(1);
      const stored = await r.sessions.findById(session.id);
      expect(stored?.refreshToken).toBe(winners[0]?.refreshToken);
      expect(stored?.accessToken).toBe(`a-${winners[0]?.refreshToken}`);
      expect(await r.sessions.compareAndSetTokens(session.id, 'r1', { refreshToken: 'stale' })).toBeNull();
      expect((await r.sessions.getLogs(session.id)).filter((l) => l.action === 'TOKENS_REFRESHED')).toHaveLength(1);
      await r.sessions.end(session.id, { reason: 'revoked' });
      expect(await r.sessions.compareAndSetTokens(session.id, stored?.refreshToken ?? null, { refreshToken: 'after-end' })).toBeNull();
      expect((await r.sessions.findById(session.id))?.refreshToken).toBe(stored?.refreshToken);
    });

    it('sessions: findActiveByKeycloakSessionId finds the live sessions of an IdP sid, not ended ones nor other sids', async () => {
      const user = await r.users.create({ email: email('sid'), name: 'Sid' });
      const sid = unique('sid');
      const [one, two] = await Promise.all([sid, sid, unique('sid')].map((keycloakSessionId) => r.sessions.create({ userId: user.id, token: token(), expiresAt: inMs(60_000), keycloakSessionId })));
      expect((await r.sessions.findActiveByKeycloakSessionId(sid)).map((s) => s.id).sort()).toEqual([one.id, two.id].sort());
      await r.sessions.end(two.id, { reason: 'backchannel_logout' });
      expect((await r.sessions.findActiveByKeycloakSessionId(sid)).map((s) => s.id)).toEqual([one.id]);
      expect(await r.sessions.findActiveByKeycloakSessionId(unique('nobody'))).toEqual([]);
    });

    it('roles: permissions are inherited from the parent, cycles refused', async () => {
      const parent = await r.roles.create({ name: unique('parent') });
      const child = await r.roles.create({ name: unique('child'), parentRoleId: parent.id });
      await r.roles.addPermissions(parent.id, ['report:read']);
      await r.roles.addPermissions(child.id, ['report:write']);
      expect((await r.roles.getEffectivePermissions(child.id)).sort()).toEqual(['report:read', 'report:write']);
      expect(await r.roles.getEffectivePermissions(child.id)).toContain('report:read');
      expect(await r.roles.getEffectivePermissions(parent.id)).not.toContain('report:write');
      expect((await r.roles.findByName(child.name))?.id).toBe(child.id);
      expect((await r.roles.findChildren(parent.id)).map((c) => c.id)).toEqual([child.id]);
      expect(await codeOf(r.roles.setParent(parent.id, child.id))).toBe('VALIDATION');
    });

    it('roles: authority grants count inactive and expired roles of the chain, and a proposed parent', async () => {
      const top = await r.roles.create({ name: unique('top'), permissions: ['*:*'] });
      const mid = await r.roles.create({ name: unique('mid'), parentRoleId: top.id, permissions: ['orders:read'] });
      const leaf = await r.roles.create({ name: unique('leaf'), parentRoleId: mid.id, permissions: [{ permission: 'users:read', conditions: { own: true } }] });
      const other = await r.roles.create({ name: unique('other'), permissions: ['reports:view'] });
      await r.roles.update(top.id, { isActive: false });
      await r.roles.update(mid.id, { expiresAt: new Date(Date.now() - 60_000) });
      expect(await r.roles.getEffectiveGrants(leaf.id)).toEqual([{ permission: 'users:read', conditions: { own: true } }]);
      expect((await r.roles.getAuthorityGrants(leaf.id)).map((g) => g.permission)).toEqual(['*:*', 'orders:read', 'users:read']);
      expect((await r.roles.getAuthorityGrants(leaf.id, { parentRoleId: other.id })).map((g) => g.permission)).toEqual(['reports:view', 'users:read']);
      expect((await r.roles.getAuthorityGrants(leaf.id, { parentRoleId: null })).map((g) => g.permission)).toEqual(['users:read']);
      expect(await r.roles.getAuthorityGrants(unique('none'))).toEqual([]);
    });

    it('api keys: the plain key is shown once and finds its row; a wrong secret finds nothing; a revoked key is found revoked', async () => {
      const user = await r.users.create({ email: email('key'), name: 'K' });
      const { plainKey, apiKey } = await r.apiKeys.createKey({ name: 'ci', userId: user.id, scopes: ['read'] });
      expect(await r.apiKeys.findPresented(plainKey)).toMatchObject({ apiKey: { id: apiKey.id, userId: user.id, scopes: ['read'], status: 'ACTIVE' } });
      expect(await r.apiKeys.findPresented(`${plainKey}x`)).toMatchObject({ apiKey: null });
      expect(await r.apiKeys.findPresented('sk_nope')).toEqual({ apiKey: null, reason: 'MALFORMED' });
      const listed = await r.apiKeys.listByUser(user.id);
      expect(listed.map((k) => k.id)).toEqual([apiKey.id]);
      expect(listed[0]).not.toHaveProperty('keyHash');
      await r.apiKeys.revoke(apiKey.id, 'admin', 'leaked');
      expect(await r.apiKeys.findPresented(plainKey)).toMatchObject({ apiKey: { id: apiKey.id, status: 'REVOKED', isActive: false } });
      expect(await r.apiKeys.listByUser(user.id)).toEqual([]);
    });

    it('accounts and verifications: found by provider and identifier; expired values are not valid', async () => {
      const user = await r.users.create({ email: email('acc'), name: 'A' });
      const accountId = unique('acct');
      await r.accounts.create({ userId: user.id, providerId: 'credential', accountId });
      expect((await r.accounts.findByProvider('credential', accountId))?.userId).toBe(user.id);
      expect(await r.accounts.findByUserId(user.id)).toHaveLength(1);
      const identifier = unique('reset');
      await r.verifications.create({ identifier, value: 'v1', expiresAt: inMs(60_000) });
      const old = unique('old');
      await r.verifications.create({ identifier: old, value: 'v0', expiresAt: inMs(-1_000) });
      expect((await r.verifications.findValid(identifier))?.value).toBe('v1');
      expect(await r.verifications.findValid(old)).toBeNull();
      expect(await r.verifications.deleteByIdentifier(identifier)).toBe(1);
      expect(await r.verifications.findValid(identifier)).toBeNull();
    });

    it('stores: created, found by id and slug; a duplicate slug is refused', async () => {
      const slug = unique('shop').toLowerCase();
      const store = await r.stores.create({ name: 'Shop', slug });
      expect(store).toMatchObject({ name: 'Shop', slug, isActive: true });
      expect((await r.stores.findById(store.id))?.slug).toBe(slug);
      expect((await r.stores.findBySlug(slug))?.id).toBe(store.id);
      expect(await codeOf(r.stores.create({ name: 'Again', slug }))).toBe('UNIQUE_VIOLATION');
      expect(await codeOf(r.stores.create({ name: 'Bad', slug: 'Not A Slug' }))).toBe('VALIDATION');
      expect(await codeOf(r.users.create({ email: email('orphan'), storeId: 'no-such-store' }))).toBe('FOREIGN_KEY');
    });

    it('stores: list their members, API keys (no hashes) and live sessions, nothing of other stores', async () => {
      const store = await r.stores.create({ name: 'Mine', slug: unique('mine').toLowerCase() });
      const other = await r.stores.create({ name: 'Other', slug: unique('other').toLowerCase() });
      const [a, b] = [await r.users.create({ email: email('m1'), storeId: store.id }), await r.users.create({ email: email('m2'), storeId: store.id })];
      const outsider = await r.users.create({ email: email('m3'), storeId: other.id });
      const gone = await r.users.create({ email: email('m4'), storeId: store.id });
      await r.users.softDelete(gone.id, 'admin');
      expect((await r.stores.listMembers(store.id)).map((u) => u.id).sort()).toEqual([a.id, b.id].sort());
      expect(await r.stores.listMembers(store.id, { take: 1 })).toHaveLength(1);

      const { apiKey } = await r.apiKeys.createKey({ name: 'store-key', userId: a.id, storeId: store.id });
      const { apiKey: revoked } = await r.apiKeys.createKey({ name: 'old-key', userId: a.id, storeId: store.id });
      await r.apiKeys.revoke(revoked.id, 'admin');
      await r.apiKeys.createKey({ name: 'other-key', userId: outsider.id, storeId: other.id });
      const keys = await r.stores.listKeys(store.id);
      expect(keys.map((k) => k.id)).toEqual([apiKey.id]);
      expect(keys[0]).not.toHaveProperty('keyHash');
      expect((await r.stores.listKeys(store.id, { includeInactive: true })).map((k) => k.id).sort()).toEqual([apiKey.id, revoked.id].sort());

      const live = await r.sessions.create({ userId: a.id, storeId: store.id, token: token(), expiresAt: inMs(60_000) });
      await r.sessions.create({ userId: b.id, storeId: store.id, token: token(), expiresAt: inMs(-1_000) });
      const ended = await r.sessions.create({ userId: b.id, storeId: store.id, token: token(), expiresAt: inMs(60_000) });
      await r.sessions.end(ended.id);
      await r.sessions.create({ userId: outsider.id, storeId: other.id, token: token(), expiresAt: inMs(60_000) });
      expect((await r.stores.listSessions(store.id)).map((s) => s.id)).toEqual([live.id]);
    });

    it('events: appended, queried by user and counted by type', async () => {
      const user = await r.users.create({ email: email('ev'), name: 'E' });
      await r.events.append({ userId: user.id, eventType: 'login' });
      expect(await r.events.appendMany([{ userId: user.id, eventType: 'login' }, { userId: user.id, eventType: 'logout' }])).toBe(2);
      expect(await r.events.query({ userId: user.id })).toHaveLength(3);
      expect(await r.events.countByType(user.id)).toEqual({ login: 2, logout: 1 });
    });

    it('plugin tables: the generic path stores, finds, counts, updates and deletes rows; bad input, duplicates and absent rows get stable codes', async () => {
      const { organization, member, invitation } = r.tables;
      const user = await r.users.create({ email: email('org'), name: 'O' });
      const slug = unique('org');
      const org = (await organization.create({ name: 'Org', slug, createdAt: new Date() })) as { id: string };
      expect(await organization.findById(org.id)).toMatchObject({ name: 'Org', slug, logo: null, metadata: null });
      expect(await codeOf(organization.create({ name: 'Again', slug }))).toBe('UNIQUE_VIOLATION');
      expect(await codeOf(organization.create({ name: 'Bad', slug: unique('bad'), unknownColumn: 1 }))).toBe('VALIDATION');

      const owner = (await member.create({ organizationId: org.id, userId: user.id, role: 'owner', createdAt: new Date() })) as { id: string };
      expect(await member.create({ organizationId: org.id, userId: user.id, createdAt: new Date() })).toMatchObject({ role: 'member' });
      expect(await member.count({ organizationId: org.id })).toBe(2);
      expect((await member.findFirst({ where: { organizationId: org.id, role: 'owner' } }))?.['id']).toBe(owner.id);
      expect(await member.update(owner.id, { role: 'admin' })).toMatchObject({ role: 'admin' });
      expect(await codeOf(member.update('no-such-member', { role: 'admin' }))).toBe('NOT_FOUND');

      const invited = await invitation.create({ organizationId: org.id, email: email('inv'), inviterId: user.id, expiresAt: inMs(60_000) });
      expect(invited).toMatchObject({ status: 'pending', role: null, teamId: null });
      expect(await invitation.updateMany({ organizationId: org.id }, { status: 'canceled' })).toBe(1);
      expect((await invitation.findMany({ where: { organizationId: org.id, status: 'canceled' } })).length).toBe(1);

      expect(await member.deleteMany({ organizationId: org.id })).toBe(2);
      expect(await codeOf(organization.delete(org.id))).toBeUndefined();
      expect(await organization.findById(org.id)).toBeNull();
    });

    it('plugin tables: jwks keys and passkeys are stored and read back with their types', async () => {
      const user = await r.users.create({ email: email('pk'), name: 'P' });
      const key = (await r.tables.jwks.create({ publicKey: '{"kty":"OKP"}', privateKey: 'encrypted', createdAt: new Date(), alg: 'EdDSA', crv: 'Ed25519' })) as { id: string };
      expect((await r.tables.jwks.findMany({})).map((k) => k['id'])).toContain(key.id);
      expect(await r.tables.jwks.findById(key.id)).toMatchObject({ alg: 'EdDSA', expiresAt: null });
      const passkey = (await r.tables.passkey.create({ userId: user.id, publicKey: 'pk', credentialID: unique('cred'), counter: 0, deviceType: 'singleDevice', backedUp: false, createdAt: new Date() })) as { id: string };
      expect(await r.tables.passkey.update(passkey.id, { counter: 5 })).toMatchObject({ counter: 5, backedUp: false, transports: null });
      expect(await codeOf(r.tables.passkey.create({ userId: user.id, publicKey: 'pk', credentialID: unique('cred'), counter: -1, deviceType: 'x', backedUp: false }))).toBe('VALIDATION');
    });
  });
}
