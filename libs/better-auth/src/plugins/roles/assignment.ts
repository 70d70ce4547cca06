import { APIError, createAuthEndpoint } from 'better-auth/api';
import { permissionStrings } from '@libs/database/models';
import { isRepositoryError } from '@libs/database/postgress/repositories';
import type { Principal } from '../../access/Principal';
import { principalOfSession } from '../shared/sessionGuard';
import { ROLE_ERROR_CODES } from './error-codes';
import { assertAuthority, assertPermission, authorityApiError, type RolesEndpointDependencies } from './guard';
import type { UserAction } from '../../access/authorityCheck';
import { assignRoleBodySchema, hasPermissionBodySchema } from './schema';

/** Role assignment (audited on the user and as a UserEvent) and permission checks. */
export function assignmentEndpoints(deps: RolesEndpointDependencies) {
  const { roles, users, events, permissions, access } = deps;
  const { anySession: anySessionMiddleware, userSession: userSessionMiddleware } = deps.guards;
  return {
    assignRole: createAuthEndpoint(
      '/roles/assign',
      {
        method: 'POST',
        body: assignRoleBodySchema,
        use: [userSessionMiddleware],
        metadata: { openapi: { operationId: 'assignRole', summary: 'Assign a role to a user', description: 'Optional expiry (an expired assignment grants nothing); recorded in the user auditLog and as a UserEvent; cached permissions dropped on every instance. You must hold what the user holds now (403 TARGET_OUTRANKS_ACTOR) and what the role grants (403 ROLE_ESCALATION); the last system admin stays (403 LAST_ADMIN).', responses: { 200: { description: 'The assignment' } } } },
      },
      async (ctx) => {
        const principal = await principalOfSession(access, ctx.context.session);
        await assertPermission(access, principal, permissions.assign);
        const actor = principal.user.id;
        const { userId, roleId, expiresAt, reason } = ctx.body;
        if (roleId && !(await roles.findById(roleId))) throw new APIError('NOT_FOUND', ROLE_ERROR_CODES.ROLE_NOT_FOUND);
        const before = await users.findById(userId);
        if (!before) throw new APIError('NOT_FOUND', ROLE_ERROR_CODES.USER_NOT_FOUND);
        // The role taken away (the target's own authority) and the role given, both within the actor's.
        const action: UserAction = { action: 'user.role', userIds: [userId], assigns: { roleId, expiresAt: expiresAt ?? null } };
        await assertAuthority(access.mayActOnUsers(principal, action));
        let user;
        try {
          // Under the admin-change lock (LAST_ADMIN again); one statement: role, roleAssignedAt/By, roleExpiresAt and the auditLog entry (from → to).
          user = await access.writeKeepingAnAdmin({ userAction: action }, (locked) => locked.users.updateRole(userId, roleId, actor, { expiresAt: expiresAt ?? null, reason }));
        } catch (error) {
          if (isRepositoryError(error, 'NOT_FOUND')) throw new APIError('NOT_FOUND', ROLE_ERROR_CODES.USER_NOT_FOUND);
          throw authorityApiError(error);
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
        metadata: { openapi: { operationId: 'hasPermission', summary: 'Does a user hold a permission?', description: 'Effective permissions: the role, its ancestors, expiries honoured; through an API key, narrowed to its grant. Another user needs the read permission. `permissions` (strings or the permission map) asks for several: granted when all are, `missing` lists the rest.', responses: { 200: { description: '{ granted, permission } or { granted, permissions, missing }' } } } },
      },
      async (ctx) => {
        const self = await principalOfSession(access, ctx.context.session);
        const targetId = ctx.body.userId ?? self.user.id;
        const asked = ctx.body.permission === undefined ? permissionStrings(ctx.body.permissions ?? []) : [ctx.body.permission];
        const echo = ctx.body.permission === undefined ? { permissions: asked } : { permission: ctx.body.permission };
        const answer = async (principal: Principal | null) => {
          const missing: string[] = [];
          for (const permission of asked) if (!principal || !(await access.authorize(principal, permission)).granted) missing.push(permission);
          return ctx.json({ granted: missing.length === 0, ...echo, ...(ctx.body.permission === undefined ? { missing } : {}) });
        };
        if (targetId === self.user.id) return answer(self);
        await assertPermission(access, self, permissions.read);
        return answer(await access.principalOfUser(targetId));
      },
    ),

    myPermissions: createAuthEndpoint(
      '/roles/my-permissions',
      {
        method: 'GET',
        use: [anySessionMiddleware],
        metadata: {
          openapi: {
            operationId: 'myPermissions',
            summary: 'Your effective permissions',
            description: 'Role and ancestors, narrowed to an API key\'s grant; empty when the assignment expired. `grants` lists each with its conditions (null: unconditional).',
            responses: { 200: { description: '{ permissions, grants }' } },
          },
        },
      },
      async (ctx) => {
        const grants = await access.effectiveGrants(await principalOfSession(access, ctx.context.session));
        return ctx.json({ permissions: [...new Set(grants.map((g) => g.permission))], grants });
      },
    ),
  };
}
