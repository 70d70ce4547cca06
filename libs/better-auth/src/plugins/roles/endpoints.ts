import { APIError, createAuthEndpoint } from 'better-auth/api';
import { permissionStrings, type PermissionEntry, type Role } from '@libs/database/models';
import type { RoleChange } from '../../access/authorityCheck';
import { principalOfSession } from '../shared/sessionGuard';
import { ROLE_ERROR_CODES } from './error-codes';
import { entriesAsGrants } from '../../access/authority';
import { assertAuthority, assertPermission, type RolesEndpointDependencies } from './guard';
import { mapRoleErrors } from './repositoryErrors';
import { addRolePermissionsBodySchema, createRoleBodySchema, roleIdBodySchema, roleIdQuerySchema, rolePermissionsBodySchema, updateRoleBodySchema } from './schema';

const entryName = (entry: string | { permission: string }) => (typeof entry === 'string' ? entry : entry.permission);
/** Deactivating a role or giving it an expiry takes it from its holders (LAST_ADMIN). */
const disables = (changes: { isActive?: boolean; expiresAt?: Date | null }) => changes.isActive === false || (changes.expiresAt !== undefined && changes.expiresAt !== null);

const roleSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    category: { type: 'string', nullable: true },
    level: { type: 'number' },
    parentRoleId: { type: 'string', nullable: true },
    version: { type: 'number' },
    permissions: { type: 'array', items: { type: 'string' } },
    effectivePermissions: { type: 'array', items: { type: 'string' } },
  },
} as const;
const roleResponse = { 200: { description: 'The role', content: { 'application/json': { schema: { type: 'object', properties: { role: roleSchema } } } } } } as const;
const listResponse = { description: 'Roles', content: { 'application/json': { schema: { type: 'object', properties: { roles: { type: 'array', items: roleSchema } } } } } } as const;
const AUTHORITY_NOTE = ' Only within your own authority: 403 ROLE_ESCALATION, SYSTEM_ROLE or LAST_ADMIN otherwise (docs/authority.md).';
const openapi = (operationId: string, summary: string, description: string, guarded = true) => ({ openapi: { operationId, summary, description: guarded ? description + AUTHORITY_NOTE : description, responses: roleResponse } });

/** CRUD of roles and their permissions; every call needs the `manage` (or `read`) permission. */
export function roleEndpoints(deps: RolesEndpointDependencies) {
  const { roles, events, permissions, access } = deps;
  const userSessionMiddleware = deps.guards.userSession;
  /** The caller, who must hold `permission` (the access core decides). */
  const actorWith = async (session: { session: object; user: { id: string } }, permission: string) => {
    const principal = await principalOfSession(access, session);
    await assertPermission(access, principal, permission);
    return principal;
  };

  const existing = async (roleId: string) => {
    const role = await roles.findById(roleId);
    if (!role) throw new APIError('NOT_FOUND', ROLE_ERROR_CODES.ROLE_NOT_FOUND);
    return role;
  };

  async function view(role: Role) {
    const own = await roles.findById(role.id, { include: { permissions: true } });
    return {
      ...role,
      permissions: ((own as Role | null)?.permissions ?? []).map((p) => p.permission).sort(),
      effectivePermissions: await roles.getEffectivePermissions(role.id),
    };
  }
  // Role definitions change what every holder may do: the actor's trail records each change.
  const record = (actorId: string, eventType: string, role: Role, extra: Record<string, string | number | string[]> = {}) =>
    events.append({ userId: actorId, eventType, metadata: { roleId: role.id, roleName: role.name, version: role.version, ...extra } }).catch(() => undefined);

  return {
    createRole: createAuthEndpoint(
      '/roles/create',
      { method: 'POST', body: createRoleBodySchema, use: [userSessionMiddleware], metadata: openapi('createRole', 'Create a role', 'With a parent (inherits its permissions), category, level and permissions.') },
      async (ctx) => {
        const actor = await actorWith(ctx.context.session, permissions.manage);
        const entries = permissionStrings<PermissionEntry>(ctx.body.permissions ?? []);
        await assertAuthority(access.mayChangeRole(actor, { action: 'role.create', role: null, parentRoleId: ctx.body.parentRoleId ?? null, adds: entriesAsGrants(entries) }));
        const role = await mapRoleErrors(() => roles.create({ ...ctx.body, permissions: entries }));
        await record(actor.user.id, 'ROLE_CREATED', role);
        return ctx.json({ role: await view(role) });
      },
    ),

    updateRole: createAuthEndpoint(
      '/roles/update',
      { method: 'POST', body: updateRoleBodySchema, use: [userSessionMiddleware], metadata: openapi('updateRole', 'Update a role', 'A parent that would form a cycle is refused (ROLE_CYCLE); version is bumped.') },
      async (ctx) => {
        const actor = await actorWith(ctx.context.session, permissions.manage);
        const { roleId, ...changes } = ctx.body;
        // Any change (a rename included) needs the role's authority; a new parent brings its permissions to every holder.
        const change: RoleChange = { action: 'role.update', role: await existing(roleId), parentRoleId: changes.parentRoleId, disables: disables(changes) };
        await assertAuthority(access.mayChangeRole(actor, change));
        // Deactivating, expiring or re-parenting a system role: LAST_ADMIN again, under the admin-change lock.
        const role = await mapRoleErrors(() => access.writeKeepingAnAdmin({ roleChange: change }, (locked) => locked.roles.update(roleId, changes)));
        await record(actor.user.id, 'ROLE_UPDATED', role, { fields: Object.keys(changes) });
        return ctx.json({ role: await view(role) });
      },
    ),

    deleteRole: createAuthEndpoint(
      '/roles/delete',
      { method: 'POST', body: roleIdBodySchema, use: [userSessionMiddleware], metadata: openapi('deleteRole', 'Delete a role', 'Refused while users hold it or when it is a system role; its children move to the top.') },
      async (ctx) => {
        const actor = await actorWith(ctx.context.session, permissions.manage);
        const role = await existing(ctx.body.roleId);
        // System roles are never deleted (below), so a deletion cannot take the last admin's role.
        await assertAuthority(access.mayChangeRole(actor, { action: 'role.delete', role }));
        if (role.isSystem) throw new APIError('BAD_REQUEST', ROLE_ERROR_CODES.SYSTEM_ROLE);
        if ((await deps.users.count({ roleId: role.id })) > 0) throw new APIError('CONFLICT', ROLE_ERROR_CODES.ROLE_IN_USE);
        await mapRoleErrors(() => roles.delete(role.id));
        await record(actor.user.id, 'ROLE_DELETED', role);
        return ctx.json({ success: true });
      },
    ),

    addRolePermissions: createAuthEndpoint(
      '/roles/add-permissions',
      { method: 'POST', body: addRolePermissionsBodySchema, use: [userSessionMiddleware], metadata: openapi('addRolePermissions', 'Grant permissions to a role', 'Inherited by every descendant; visible on every instance on the next request.') },
      async (ctx) => {
        const actor = await actorWith(ctx.context.session, permissions.manage);
        const entries = permissionStrings<PermissionEntry>(ctx.body.permissions);
        const names = entries.map(entryName);
        await assertAuthority(access.mayChangeRole(actor, { action: 'role.addPermissions', role: await existing(ctx.body.roleId), adds: entriesAsGrants(entries) }));
        const role = await mapRoleErrors(() => roles.addPermissions(ctx.body.roleId, entries));
        await record(actor.user.id, 'ROLE_PERMISSIONS_ADDED', role, { permissions: names });
        return ctx.json({ role: await view(role) });
      },
    ),

    removeRolePermissions: createAuthEndpoint(
      '/roles/remove-permissions',
      { method: 'POST', body: rolePermissionsBodySchema, use: [userSessionMiddleware], metadata: openapi('removeRolePermissions', 'Take permissions from a role', 'Visible on every instance on the next request.') },
      async (ctx) => {
        const actor = await actorWith(ctx.context.session, permissions.manage);
        const removes = permissionStrings(ctx.body.permissions);
        const change: RoleChange = { action: 'role.removePermissions', role: await existing(ctx.body.roleId), removes };
        await assertAuthority(access.mayChangeRole(actor, change));
        const role = await mapRoleErrors(() => access.writeKeepingAnAdmin({ roleChange: change }, (locked) => locked.roles.removePermissions(ctx.body.roleId, removes)));
        await record(actor.user.id, 'ROLE_PERMISSIONS_REMOVED', role, { permissions: removes });
        return ctx.json({ role: await view(role) });
      },
    ),

    getRole: createAuthEndpoint(
      '/roles/get',
      { method: 'GET', query: roleIdQuerySchema, use: [userSessionMiddleware], metadata: openapi('getRole', 'Read a role', 'With its own and effective (inherited) permissions.', false) },
      async (ctx) => {
        await actorWith(ctx.context.session, permissions.read);
        const role = await roles.findById(ctx.query.roleId);
        if (!role) throw new APIError('NOT_FOUND', ROLE_ERROR_CODES.ROLE_NOT_FOUND);
        return ctx.json({ role: await view(role) });
      },
    ),

    listRoles: createAuthEndpoint(
      '/roles/list',
      { method: 'GET', use: [userSessionMiddleware], metadata: { openapi: { operationId: 'listRoles', summary: 'List roles', description: 'Ordered by level, then name.', responses: { 200: listResponse } } } },
      async (ctx) => {
        await actorWith(ctx.context.session, permissions.read);
        return ctx.json({ roles: await roles.findMany({ orderBy: [{ level: 'asc' }, { name: 'asc' }], take: 1_000 }) });
      },
    ),
  };
}
