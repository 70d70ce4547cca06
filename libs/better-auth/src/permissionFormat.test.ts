/**
 * One permission format: `resource:action` strings inside; the permission map
 * (`{ orders: ['read'] }`) accepted wherever a permission list is — a key's scopes and
 * permissions, verify, a role's create / add-permissions / remove-permissions, has-permission.
 */
import { plainAuthWorld, type PlainAuthWorld } from './testing/plainAuth';

describe('the permission map, accepted everywhere a permission list is', () => {
  let w: PlainAuthWorld;
  let headers: Record<string, string>;

  beforeAll(async () => {
    w = await plainAuthWorld('perm_format');
    const admin = await w.signedIn('perm-admin@example.com');
    headers = admin.headers;
    const role = await w.platform.repositories.roles.create({ name: 'order-admin' });
    await w.platform.repositories.roles.addPermissions(role.id, ['roles:manage', 'roles:read', 'orders:read', 'orders:write']);
    await w.platform.repositories.users.updateRole(admin.userId, role.id, 'system');
  });
  afterAll(async () => {
    await w?.close();
  });

  it('roles: create, add-permissions and remove-permissions take the map; the role holds strings', async () => {
    const { role } = await w.auth.api.createRole({ body: { name: 'clerk', permissions: { orders: ['read'] } }, headers });
    expect((await w.auth.api.getRole({ query: { roleId: role.id }, headers })).role.permissions).toEqual(['orders:read']);
    await w.auth.api.addRolePermissions({ body: { roleId: role.id, permissions: { orders: ['write'] } }, headers });
    expect((await w.auth.api.getRole({ query: { roleId: role.id }, headers })).role.permissions).toEqual(['orders:read', 'orders:write']);
    await w.auth.api.removeRolePermissions({ body: { roleId: role.id, permissions: { orders: ['read'] } }, headers });
    expect((await w.auth.api.getRole({ query: { roleId: role.id }, headers })).role.permissions).toEqual(['orders:write']);
    // The authority rule reads the map the same way: nobody grants what they do not hold.
    await expect(w.auth.api.createRole({ body: { name: 'greedy', permissions: { users: ['manage'] } }, headers })).rejects.toMatchObject({ statusCode: 403, body: { code: 'ROLE_ESCALATION' } });
  });

  it('has-permission takes one string or several (strings or the map): granted when all are, `missing` the rest', async () => {
    expect(await w.auth.api.hasPermission({ body: { permission: 'orders:read' }, headers })).toEqual({ granted: true, permission: 'orders:read' });
    expect(await w.auth.api.hasPermission({ body: { permissions: { orders: ['read', 'write'] } }, headers })).toEqual({ granted: true, permissions: ['orders:read', 'orders:write'], missing: [] });
    expect(await w.auth.api.hasPermission({ body: { permissions: ['orders:read', 'users:manage'] }, headers })).toEqual({ granted: false, permissions: ['orders:read', 'users:manage'], missing: ['users:manage'] });
    await expect(w.auth.api.hasPermission({ body: {}, headers })).rejects.toMatchObject({ statusCode: 400 });
  });

  it('keys: scopes as the map are stored as strings; verify takes either form', async () => {
    const created = await w.auth.api.createApiKey({ body: { name: 'map', scopes: { orders: ['read'] } }, headers });
    expect(created.apiKey.scopes).toEqual(['orders:read']);
    expect(await w.auth.api.verifyApiKey({ body: { key: created.key, scopes: { orders: ['read'] } } })).toMatchObject({ valid: true });
    await expect(w.auth.api.verifyApiKey({ body: { key: created.key, scopes: ['orders:write'] } })).rejects.toMatchObject({ statusCode: 403, body: { missingScopes: ['orders:write'] } });
  });
});
