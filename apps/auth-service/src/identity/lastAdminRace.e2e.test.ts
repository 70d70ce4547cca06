import type { TestDatabase } from '@tools/test-harness';
import { migratedDatabase, startTestApp, type TestApp } from '../testing/testApp';
import { postJson, signUp, type SignedUpUser } from '../features/betterAuth/testing/users';
import { countLiveAdmins, liveAdminRoleIds } from '@libs/better-auth';

type Answer = Awaited<ReturnType<typeof postJson>>;
/** The refusal code of either answer shape: Better-Auth's `{ code }`, the admin routes' `{ error: { code } }`. */
const codeOf = (answer: Answer) => (answer.body['code'] as string | undefined) ?? (answer.body['error'] as { code?: string } | undefined)?.code;

/**
 * LAST_ADMIN under concurrency, on real Postgres and two instances: two requests that each take
 * away one of the two remaining system admins, sent together. Each request alone is allowed (the
 * other admin stays), so without the admin-change lock both pass the check and both write,
 * leaving none. With it exactly one succeeds and the other answers 403 LAST_ADMIN.
 */
describe('LAST_ADMIN is serialised: concurrent removals of the last two admins leave one (two instances)', () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let actor: SignedUpUser;
  let n = 0;
  const repos = () => a.context.repositories;

  const auth = (t: TestApp, path: string, body: unknown) => postJson(`${t.url}/api/auth${path}`, body, { cookie: actor.cookie });
  const admin = (t: TestApp, path: string, body: unknown) => postJson(`${t.url}${path}`, body, { cookie: actor.cookie, origin: t.url });
  const adminCount = async () => countLiveAdmins(repos().users, await liveAdminRoleIds(repos().roles, Date.now()), Date.now());

  /** Two fresh admins, each on a system role of its own with `*:*`, and nobody else an admin. */
  const twoAdmins = async () => {
    for (const role of await repos().roles.findMany({ where: { isSystem: true } })) {
      for (const holder of await repos().users.findMany({ where: { roleId: role.id } })) await repos().users.updateRole(holder.id, null, 'test');
    }
    const made = [];
    for (const name of ['x', 'y']) {
      const user = await signUp(a.url, `Admin ${name}`);
      const role = await repos().roles.create({ name: `admin-${name}-${++n}`, isSystem: true, permissions: ['*:*'] });
      await repos().users.updateRole(user.id, role.id, 'test');
      made.push({ id: user.id, roleId: role.id });
    }
    expect(await adminCount()).toBe(2);
    return made as [{ id: string; roleId: string }, { id: string; roleId: string }];
  };

  beforeAll(async () => {
    database = await migratedDatabase('lastadmin');
    a = await startTestApp({ database, redis: true });
    b = await startTestApp({ database, redis: true });
    await Promise.all([a.context.cache.ready(), b.context.cache.ready()]);
    // The actor holds `*:*` through a role that is not a system role: it contains everybody and may
    // change system roles, but is no system administrator itself (LAST_ADMIN does not count it).
    actor = await signUp(a.url, 'Operator');
    const everything = await repos().roles.create({ name: 'operator-everything', permissions: ['*:*'] });
    await repos().users.updateRole(actor.id, everything.id, 'test');
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await database?.drop();
  });

  type Removal = (t: TestApp, target: { id: string; roleId: string }) => Promise<Answer>;
  const demote: Removal = (t, u) => auth(t, '/roles/assign', { userId: u.id, roleId: null });
  const ban: Removal = (t, u) => admin(t, '/api/admin/users/status', { userIds: [u.id], status: 'BANNED', reason: 'race' });
  const remove: Removal = (t, u) => admin(t, `/api/admin/users/${u.id}/delete`, {});
  const deactivateRole: Removal = (t, u) => auth(t, '/roles/update', { roleId: u.roleId, isActive: false });

  it.each<[string, Removal, Removal]>([
    ['role assignment (/roles/assign) ×2', demote, demote],
    ['ban (/api/admin/users/status) ×2', ban, ban],
    ['delete (/api/admin/users/:id/delete) ×2', remove, remove],
    ['system role deactivated (/roles/update) ×2', deactivateRole, deactivateRole],
    ['a ban and a demotion', ban, demote],
    ['a system role deactivated and a delete', deactivateRole, remove],
  ])('%s: exactly one succeeds, the other is 403 LAST_ADMIN, one admin remains', async (_name, first, second) => {
    const [x, y] = await twoAdmins();
    const answers = await Promise.all([first(a, x), second(b, y)]);
    const statuses = answers.map((r) => r.status).sort();
    expect({ statuses, codes: answers.map(codeOf).filter(Boolean) }).toEqual({ statuses: [200, 403], codes: ['LAST_ADMIN'] });
    expect(await adminCount()).toBe(1);
  });
});
