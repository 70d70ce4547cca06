import type { PermissionGrant, Role, User } from '@libs/database/models';
import { conditionsCover, covers, describeGrant, entriesAsGrants, holdsEscalate, holdsEverything, isAdminRole, leavesNoAdmin, missingGrants } from './authority';
import { AuthorityRule, type AuthorityDependencies } from './authorityCheck';
import { mayRemoveAdmin } from './lastAdmin';
import { sessionPrincipal } from './Principal';

const g = (permission: string, conditions: PermissionGrant['conditions'] = null): PermissionGrant => ({ permission, conditions });
const window = { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] };

describe('authority: what "contains" means', () => {
  it('matches permissions with the one wildcard rule: res:* and *:* cover, a narrower grant never covers a wildcard', () => {
    expect(covers([g('users:*')], g('users:ban'))).toBe(true);
    expect(covers([g('*:*')], g('roles:escalate'))).toBe(true);
    expect(covers([g('users:read'), g('users:manage')], g('users:*'))).toBe(false);
    expect(covers([g('users:*')], g('*:*'))).toBe(false);
    expect(covers([g('orders:read')], g('users:read'))).toBe(false);
  });

  it('the escalation bypass is held only by name: roles:escalate or *:*, unconditional; roles:* does not confer it', () => {
    expect(holdsEscalate([g('roles:escalate')])).toBe(true);
    expect(holdsEscalate([g('*:*')])).toBe(true);
    expect(holdsEscalate([g('roles:*')])).toBe(false);
    expect(holdsEscalate([g('roles:escalate', { own: true })])).toBe(false);
    // A key caller needs the bypass named in the key's grant too (or `*`).
    expect(holdsEscalate([g('roles:escalate')], ['roles:*'])).toBe(false);
    expect(holdsEscalate([g('roles:escalate')], ['roles:escalate'])).toBe(true);
    expect(holdsEscalate([g('*:*')], ['*'])).toBe(true);
  });

  it('a conditional grant covers only a grant with the same conditions or more, never an unconditional one', () => {
    expect(conditionsCover(null, { own: true })).toBe(true);
    expect(conditionsCover({ own: true }, null)).toBe(false);
    expect(conditionsCover({ own: true }, { own: true, sameStore: true })).toBe(true);
    expect(conditionsCover({ own: true, sameStore: true }, { own: true })).toBe(false);
    expect(conditionsCover({ sameStore: true }, { own: true })).toBe(false);
    expect(conditionsCover({ timeWindow: window }, { timeWindow: { ...window, days: [5, 4, 3, 2, 1] } })).toBe(true);
    expect(conditionsCover({ timeWindow: window }, { timeWindow: { ...window, end: '18:00' } })).toBe(false);
    expect(conditionsCover({ timeWindow: window }, { own: true })).toBe(false);
    expect(covers([g('users:manage', { own: true })], g('users:manage'))).toBe(false);
    expect(covers([g('users:*', { own: true })], g('users:manage', { own: true }))).toBe(true);
  });

  it('names what is missing, conditions included, once each', () => {
    const held = [g('users:read'), g('orders:write', { own: true })];
    expect(missingGrants(held, [g('users:read'), g('*:*')], [g('*:*'), g('orders:write')])).toEqual(['*:*', 'orders:write']);
    expect(missingGrants(held, [g('orders:write', { own: true, sameStore: true })])).toEqual([]);
    expect(describeGrant(g('x:y', { own: true, timeWindow: window }))).toBe('x:y (own, 09:00-17:00 days 1,2,3,4,5)');
    expect(entriesAsGrants(['a:b', { permission: 'c:d', conditions: { own: true } }])).toEqual([g('a:b'), g('c:d', { own: true })]);
  });

  it('knows a system admin role, `*:*` without conditions, and the last admin', () => {
    expect(holdsEverything([g('*:*')])).toBe(true);
    expect(holdsEverything([g('*:*', { own: true })])).toBe(false);
    expect(isAdminRole({ isSystem: true }, [g('*:*')])).toBe(true);
    expect(isAdminRole({ isSystem: false }, [g('*:*')])).toBe(false);
    expect(isAdminRole({ isSystem: true }, [g('*:*', { sameStore: true })])).toBe(false);
    expect(leavesNoAdmin(1, 0)).toBe(true);
    expect(leavesNoAdmin(2, 1)).toBe(false);
    expect(leavesNoAdmin(0, 0)).toBe(false);
  });
});

/** Fakes of what the rule reads: roles with authority and live grants, users, the audit trail. */
function world() {
  const roles = new Map<string, { role: Role; authority: PermissionGrant[]; live: PermissionGrant[] }>();
  const users = new Map<string, User>();
  const events: Array<{ userId: string; eventType: string; metadata?: unknown }> = [];
  const addRole = (id: string, authority: PermissionGrant[], extra: Partial<Role> = {}) => {
    const role = { id, name: id, isSystem: false, isActive: true, expiresAt: null, parentRoleId: null, ...extra } as Role;
    roles.set(id, { role, authority, live: role.isActive ? authority : [] });
    return role;
  };
  const addUser = (id: string, roleId: string | null, roleExpiresAt: Date | null = null) => users.set(id, { id, roleId, status: 'ACTIVE', isDeleted: false, roleExpiresAt, banExpiresAt: null } as User);
  const deps: AuthorityDependencies = {
    roles: {
      findMany: async () => [...roles.values()].map((r) => r.role).filter((r) => r.isSystem && r.isActive),
      // A role's authority here is its own (no parents); re-parented: own + the new parent's.
      getAuthorityGrants: async (id, options) => [...(roles.get(id)?.authority ?? []), ...(options?.parentRoleId ? (roles.get(options.parentRoleId)?.authority ?? []) : [])],
      getEffectiveGrants: async (id) => roles.get(id)?.live ?? [],
    },
    users: {
      findMany: async (options) => {
        const ids = ((options?.where as { id: { in: string[] } }).id.in ?? []) as string[];
        return ids.map((id) => users.get(id)).filter((u): u is User => !!u);
      },
      // Active admins: users on one of the given roles, minus the excluded ones (status is ACTIVE in
      // these fakes); an assignment with an expiry counts unless only those without one are asked for.
      count: async (where) => {
        const w = where as { roleId: { in: string[] }; id?: { notIn: string[] }; AND: [unknown, { roleExpiresAt?: null }] };
        const permanentOnly = 'roleExpiresAt' in w.AND[1];
        return [...users.values()].filter((u) => u.roleId && w.roleId.in.includes(u.roleId) && !w.id?.notIn.includes(u.id) && !(permanentOnly && u.roleExpiresAt)).length;
      },
    },
    events: { append: async (event) => (events.push(event as never), event as never) },
  };
  const rule = (held: PermissionGrant[]) =>
    new AuthorityRule({ ...deps, actorGrants: async () => held, mayEscalate: async () => covers(held, g('roles:escalate')), now: () => Date.parse('2026-12-07T12:00:00Z') });
  const actor = sessionPrincipal({ id: 'actor' } as User, null);
  return { addRole, addUser, rule, actor, events };
}

describe('AuthorityRule (on fakes)', () => {
  it('refuses a role change the actor does not contain before or after, and a system role without *:*', async () => {
    const w = world();
    const top = w.addRole('top', [g('*:*')], { isActive: false });
    const mine = w.addRole('mine', [g('roles:manage')]);
    const system = w.addRole('system', [g('*:*')], { isSystem: true });
    const manager = w.rule([g('roles:manage'), g('roles:read')]);
    // An inactive role still holds what it would hold re-activated.
    expect(await manager.checkRoleChange(w.actor, { action: 'role.update', role: top, disables: false })).toMatchObject({ ok: false, refusal: { code: 'ROLE_ESCALATION', missing: ['*:*'] } });
    expect(await manager.checkRoleChange(w.actor, { action: 'role.update', role: mine, parentRoleId: top.id })).toMatchObject({ ok: false, refusal: { code: 'ROLE_ESCALATION', missing: ['*:*'] } });
    expect(await manager.checkRoleChange(w.actor, { action: 'role.removePermissions', role: system, removes: ['*:*'] })).toMatchObject({ ok: false, refusal: { status: 403, code: 'SYSTEM_ROLE' } });
    expect(await manager.checkRoleChange(w.actor, { action: 'role.addPermissions', role: mine, adds: [g('roles:read')] })).toEqual({ ok: true });
    expect(w.events).toEqual([]);
  });

  it('refuses acting on a user who outranks the actor, without naming their permissions', async () => {
    const w = world();
    w.addRole('admin', [g('*:*')], { isSystem: true });
    w.addUser('root', 'admin');
    w.addUser('plain', null);
    const manager = w.rule([g('users:manage')]);
    const refused = await manager.checkUserAction(w.actor, { action: 'user.status', userIds: ['plain', 'root'], disables: true });
    expect(refused).toEqual({ ok: false, refusal: { status: 403, code: 'TARGET_OUTRANKS_ACTOR', message: 'The target user holds permissions you do not hold' } });
    expect(await manager.checkUserAction(w.actor, { action: 'user.status', userIds: ['plain'], disables: true })).toEqual({ ok: true });
    expect(await manager.checkUserAction(w.actor, { action: 'user.create', userIds: [], assigns: { roleId: 'admin' } })).toMatchObject({ ok: false, refusal: { code: 'ROLE_ESCALATION' } });
  });

  it('keeps the last active system admin, even for *:* and roles:escalate', async () => {
    const w = world();
    const admin = w.addRole('admin', [g('*:*')], { isSystem: true });
    w.addUser('root', 'admin');
    const root = w.rule([g('*:*')]);
    expect(await root.checkUserAction(w.actor, { action: 'user.delete', userIds: ['root'], disables: true })).toMatchObject({ ok: false, refusal: { code: 'LAST_ADMIN' } });
    expect(await root.checkUserAction(w.actor, { action: 'user.role', userIds: ['root'], assigns: { roleId: null } })).toMatchObject({ ok: false, refusal: { code: 'LAST_ADMIN' } });
    expect(await root.checkUserAction(w.actor, { action: 'user.role', userIds: ['root'], assigns: { roleId: 'admin', expiresAt: new Date() } })).toMatchObject({ ok: false, refusal: { code: 'LAST_ADMIN' } });
    expect(await root.checkRoleChange(w.actor, { action: 'role.update', role: admin, disables: true })).toMatchObject({ ok: false, refusal: { code: 'LAST_ADMIN' } });
    expect(await root.checkRoleChange(w.actor, { action: 'role.removePermissions', role: admin, removes: ['*:*'] })).toMatchObject({ ok: false, refusal: { code: 'LAST_ADMIN' } });
    expect(await root.checkUserAction(w.actor, { action: 'user.restore', userIds: ['root'] })).toEqual({ ok: true });
    w.addUser('second', 'admin');
    expect(await root.checkUserAction(w.actor, { action: 'user.delete', userIds: ['root'], disables: true })).toEqual({ ok: true });
    expect(await root.checkUserAction(w.actor, { action: 'user.status', userIds: ['root', 'second'], disables: true })).toMatchObject({ ok: false, refusal: { code: 'LAST_ADMIN' } });
  });

  it('keeps the last permanent admin: one whose assignment or role runs out later does not stand in for it', async () => {
    const w = world();
    const later = new Date(Date.parse('2026-12-07T12:00:00Z') + 86_400_000);
    w.addRole('admin', [g('*:*')], { isSystem: true });
    const temporaryRole = w.addRole('temporary-admin', [g('*:*')], { isSystem: true, expiresAt: later });
    w.addUser('root', 'admin');
    w.addUser('until-tomorrow', 'admin', later);
    w.addUser('on-a-temporary-role', 'temporary-admin');
    const root = w.rule([g('*:*')]);
    expect(await root.checkUserAction(w.actor, { action: 'user.delete', userIds: ['root'], disables: true })).toMatchObject({ ok: false, refusal: { code: 'LAST_ADMIN' } });
    expect(await root.checkUserAction(w.actor, { action: 'user.role', userIds: ['root'], assigns: { roleId: 'admin', expiresAt: later } })).toMatchObject({ ok: false, refusal: { code: 'LAST_ADMIN' } });
    expect(await root.checkUserAction(w.actor, { action: 'user.role', userIds: ['root'], assigns: { roleId: 'temporary-admin' } })).toMatchObject({ ok: false, refusal: { code: 'LAST_ADMIN' } });
    // The temporary ones may go; changing their role leaves the permanent admin.
    expect(await root.checkUserAction(w.actor, { action: 'user.delete', userIds: ['until-tomorrow', 'on-a-temporary-role'], disables: true })).toEqual({ ok: true });
    expect(await root.checkRoleChange(w.actor, { action: 'role.update', role: temporaryRole, disables: true })).toEqual({ ok: true });
    // With a second permanent admin, the first may go.
    w.addUser('second', 'admin');
    expect(await root.checkUserAction(w.actor, { action: 'user.delete', userIds: ['root'], disables: true })).toEqual({ ok: true });
  });

  it('without any permanent admin, keeps the last live one', async () => {
    const w = world();
    const later = new Date(Date.parse('2026-12-07T12:00:00Z') + 86_400_000);
    w.addRole('admin', [g('*:*')], { isSystem: true });
    w.addUser('until-tomorrow', 'admin', later);
    const root = w.rule([g('*:*')]);
    expect(await root.checkUserAction(w.actor, { action: 'user.delete', userIds: ['until-tomorrow'], disables: true })).toMatchObject({ ok: false, refusal: { code: 'LAST_ADMIN' } });
    expect(await root.checkUserAction(w.actor, { action: 'user.role', userIds: ['until-tomorrow'], assigns: { roleId: 'admin' } })).toEqual({ ok: true });
  });

  it('roles:escalate bypasses containment, and each use is audited with the actor and what was missing', async () => {
    const w = world();
    w.addRole('top', [g('*:*')]);
    w.addRole('ops', [g('ops:run')]);
    w.addUser('target', 'ops');
    const escalator = w.rule([g('roles:escalate'), g('roles:assign')]);
    expect(await escalator.checkUserAction(w.actor, { action: 'user.role', userIds: ['target'], assigns: { roleId: 'top' } })).toEqual({ ok: true });
    expect(w.events).toEqual([
      { userId: 'actor', eventType: 'AUTHORITY_ESCALATE_BYPASS', metadata: { action: 'user.role', bypassed: 'TARGET_OUTRANKS_ACTOR', missing: ['ops:run'], targetUserIds: ['target'] } },
      { userId: 'actor', eventType: 'AUTHORITY_ESCALATE_BYPASS', metadata: { action: 'user.role', bypassed: 'ROLE_ESCALATION', missing: ['*:*'], roleId: 'top', targetUserIds: ['target'] } },
    ]);
    const contained = w.rule([g('*:*')]);
    expect(await contained.checkUserAction(w.actor, { action: 'user.role', userIds: ['target'], assigns: { roleId: 'top' } })).toEqual({ ok: true });
    expect(w.events).toHaveLength(2);
  });
});

describe('mayRemoveAdmin: which changes run under the admin-change lock (by shape)', () => {
  const system = { id: 'sys', isSystem: true } as Role;
  const plain = { id: 'plain', isSystem: false } as Role;
  it('disabling or re-assigning users, and deactivating, expiring, re-parenting or stripping a system role', () => {
    expect(mayRemoveAdmin({ userAction: { action: 'user.status', userIds: ['u'], disables: true } })).toBe(true);
    expect(mayRemoveAdmin({ userAction: { action: 'user.role', userIds: ['u'], assigns: { roleId: null } } })).toBe(true);
    expect(mayRemoveAdmin({ userAction: { action: 'user.status', userIds: ['u'], disables: false } })).toBe(false);
    expect(mayRemoveAdmin({ userAction: { action: 'user.create', userIds: [], assigns: { roleId: 'sys' } } })).toBe(false);
    expect(mayRemoveAdmin({ roleChange: { action: 'role.update', role: system, disables: true } })).toBe(true);
    expect(mayRemoveAdmin({ roleChange: { action: 'role.update', role: system, parentRoleId: null } })).toBe(true);
    expect(mayRemoveAdmin({ roleChange: { action: 'role.removePermissions', role: system, removes: ['*:*'] } })).toBe(true);
    expect(mayRemoveAdmin({ roleChange: { action: 'role.update', role: system } })).toBe(false);
    expect(mayRemoveAdmin({ roleChange: { action: 'role.update', role: plain, disables: true } })).toBe(false);
  });
});

