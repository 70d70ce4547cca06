import type { FastifyReply, FastifyRequest } from 'fastify';
import { permissionRefusal, sendRefusalReply, type AccessCore, type Refusal } from '@libs/better-auth';
import type { UserAction } from '@libs/better-auth';
import type { ResourceContext } from '@libs/better-auth';
import type { AuditActor, Principal } from '@libs/better-auth';
import type { PrincipalLimit } from '@libs/better-auth';
import { clientAddress } from '../http/clientAddress';
import type { UsersWrite } from '../data/AuthDataLayer';

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's access core (decorated by `identityPlugin`). */
    access: AccessCore;
    /** Per-user / per-address buckets of authenticated callers (decorated with `access`). */
    principalLimit?: PrincipalLimit;
  }
  interface FastifyRequest {
    /** Set by `requirePermission` once the caller is authenticated. */
    principal: Principal | null;
  }
}

/** The app's error shape for a refused caller; 429 carries `Retry-After`. */
export function sendRefusal(reply: FastifyReply, refusal: Refusal): FastifyReply {
  return sendRefusalReply(reply, refusal);
}

async function principalOf(request: FastifyRequest, reply: FastifyReply): Promise<Principal | undefined> {
  if (request.principal) return request.principal;
  const access = request.server.access;
  const outcome = await access.authenticate(request.headers);
  if (!outcome.ok) {
    await sendRefusal(reply, outcome.refusal);
    return undefined;
  }
  const limited = await request.server.principalLimit?.(outcome.principal, clientAddress(request));
  if (limited) {
    await sendRefusal(reply, limited);
    return undefined;
  }
  request.principal = outcome.principal;
  return outcome.principal;
}

export interface RequirePermissionOptions {
  /** What the request acts on, for conditional grants (`own`, `sameStore`). */
  resource?: (request: FastifyRequest) => Promise<ResourceContext | undefined>;
}

/**
 * Fastify preHandler: the caller — a session (cookie or bearer) or an `x-api-key` — must be
 * granted `permission` (for a key: held by its owner and granted to the key). 401 without an
 * identity, 403 PERMISSION_DENIED / INSUFFICIENT_SCOPE naming the missing permission.
 */
export function requirePermission(permission: string, options: RequirePermissionOptions = {}) {
  return async function requirePermissionHandler(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const principal = await principalOf(request, reply);
    if (!principal) return;
    const resource = options.resource ? await options.resource(request) : undefined;
    const decision = await request.server.access.authorize(principal, permission, resource);
    if (!decision.granted) return sendRefusal(reply, permissionRefusal(decision));
  };
}

/** The principal `requirePermission` set (it runs first); a route without one is a wiring bug. */
export function requestPrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('guarded route without an authenticated principal');
  return request.principal;
}

/** The authenticated caller as audit records name them (user id, plus key id for a key caller). */
export function requestActor(request: FastifyRequest): AuditActor {
  return requestPrincipal(request).actor;
}

/**
 * Asks the access core whether the route's principal may act on these users; on a refusal
 * (403 TARGET_OUTRANKS_ACTOR / ROLE_ESCALATION / LAST_ADMIN) answers it and returns true, else
 * false. Routes ask before they write anything.
 */
/**
 * The write of a route's user action, serialised against every other change that could take away
 * a system administrator (`AccessCore.writeKeepingAnAdmin`): LAST_ADMIN is checked again inside
 * the lock; refused there, it throws `AuthorityRefusedError`, which the error handler answers 403
 * `{ error: { code: 'LAST_ADMIN', message } }`, and nothing is written.
 */
export function keepingAnAdmin(request: FastifyRequest, action: UserAction): UsersWrite {
  return (write) => request.server.access.writeKeepingAnAdmin({ userAction: action }, ({ users }) => write(users));
}

export async function refuseUnlessMayActOnUsers(request: FastifyRequest, reply: FastifyReply, action: UserAction): Promise<boolean> {
  const outcome = await request.server.access.mayActOnUsers(requestPrincipal(request), action);
  if (outcome.ok) return false;
  await sendRefusal(reply, outcome.refusal);
  return true;
}
