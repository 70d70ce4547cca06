import { APIError, createAuthEndpoint } from 'better-auth/api';
import { isRepositoryError, type IRoleRepository, type IUserEventRepository, type IUserRepository } from '@libs/database/postgress/repositories';
import { anySessionMiddleware, userSessionMiddleware } from '../shared/sessionGuard';
import { ROLE_ERROR_CODES } from './error-codes';
import { assertCanGrant, assertPermission, type RoleAdminPermissions } from './guard';
import { assignRoleBodySchema, hasPermissionBodySchema } from './schema';
import { userHasPermission, userPermissions } from './userPermissions';

export interface AssignmentDependencies {
  roles: IRoleRepository;
  users: IUserRepository;
  events: IUserEventRepository;
  permissions: RoleAdminPermissions;
}

/** Role assignment (audited on the user and as a UserEvent) and permission checks. */
export function assignmentEndpoints(deps: AssignmentDependencies) {
  const { roles, users, events, permissions } = deps;
  return {
    assignRole: createAuthEndpoint(
      '/roles/assign',
      {
        method: 'POST',
        body: assignRoleBodySchema,
        use: [userSessionMiddleware],
        metadata: { openapi: { operationId: 'assignRole', summary: 'Assign a role to a user', description: 'Optional expiry (an expired assignment grants nothing); recorded in the user auditLog and as a UserEvent; cached permissions dropped on every instance.', responses: { 200: { description: 'The assignment' } } } },
      },
      async (ctx) => {
        const actor = ctx.context.session.user.id;
        await assertPermission(deps, actor, permissions.assign);
        const { userId, roleId, expiresAt, reason } = ctx.body;
        if (roleId && !(await roles.findById(roleId))) throw new APIError('NOT_FOUND', ROLE_ERROR_CODES.ROLE_NOT_FOUND);
        if (roleId) await assertCanGrant(deps, actor, await roles.getEffectivePermissions(roleId));
        const before = await users.findById(userId);
        if (!before) throw new APIError('NOT_FOUND', ROLE_ERROR_CODES.USER_NOT_FOUND);
        let user;
        try {
          // One statement: role, roleAssignedAt/By, roleExpiresAt and the auditLog entry (from → to).
          user = await users.updateRole(userId, roleId, actor, { expiresAt: expiresAt ?? null, reason });
        } catch (error) {
          if (isRepositoryError(error, 'NOT_FOUND')) throw new APIError('NOT_FOUND', ROLE_ERROR_CODES.USER_NOT_FOUND);
          throw error;
        }
        await events
          .append({
            userId,
            eventType: roleId ? 'ROLE_ASSIGNED' : 'ROLE_REMOVED',
            metadata: { from: before.roleId ?? null, to: roleId, by: actor, expiresAt: expiresAt ? expiresAt.toISOString() : null, ...(reason ? { reason } : {}) },
          })
          .catch(() => undefined);
        return ctx.json({ userId: user.id, roleId: user.roleId, roleAssignedAt: user.roleAssignedAt, roleExpiresAt: user.roleExpiresAt, roleAssignedBy: user.roleAssignedBy });
      },
    ),

    hasPermission: createAuthEndpoint(
      '/roles/has-permission',
      {
        method: 'POST',
        body: hasPermissionBodySchema,
        use: [anySessionMiddleware],
        metadata: { openapi: { operationId: 'hasPermission', summary: 'Does a user hold a permission?', description: 'Effective permissions: the role, its ancestors, expiries honoured. Another user needs the read permission.', responses: { 200: { description: '{ granted }' } } } },
      },
      async (ctx) => {
        const self = ctx.context.session.user.id;
        const target = ctx.body.userId ?? self;
        if (target !== self) await assertPermission(deps, self, permissions.read);
        return ctx.json({ granted: await userHasPermission(deps, target, ctx.body.permission), permission: ctx.body.permission });
      },
    ),

    myPermissions: createAuthEndpoint(
      '/roles/my-permissions',
      {
        method: 'GET',
        use: [anySessionMiddleware],
        metadata: { openapi: { operationId: 'myPermissions', summary: 'Your effective permissions', description: 'Role and ancestors; empty when the assignment expired.', responses: { 200: { description: '{ permissions }' } } } },
      },
      async (ctx) => ctx.json({ permissions: await userPermissions(deps, ctx.context.session.user.id) }),
    ),
  };
}
