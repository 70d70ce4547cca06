import fp from 'fastify-plugin';
import type { AccessCore, PrincipalLimit } from '@libs/better-auth';
import type { CredentialFailureGuard } from './credentialFailures';

export interface IdentityPluginOptions {
  /** Who is calling and what they may do: the access core of `@libs/better-auth`. */
  access: AccessCore;
  /** Per-user / per-address buckets of authenticated callers; undefined when AUTH_RATE_LIMIT is off. */
  principalLimit?: PrincipalLimit;
  /** Per-address limit on unknown credentials (CREDENTIAL_FAILURE_LIMIT); undefined when off. */
  credentialFailures?: CredentialFailureGuard;
}

/**
 * The identity module's Fastify side, on the root instance (fastify-plugin: not encapsulated, so
 * every feature sees it): `app.access`, `app.principalLimit`, `request.principal` (set by
 * `requirePermission`, fastifyGuards.ts) and, when on, the early refusal of an address that keeps
 * presenting unknown credentials. Register it before the features.
 */
export const identityPlugin = fp<IdentityPluginOptions>(
  async (app, { access, principalLimit, credentialFailures }) => {
    app.decorate('access', access);
    app.decorate('principalLimit', principalLimit);
    app.decorateRequest('principal', null);
    credentialFailures?.register(app);
  },
  { name: 'identity', fastify: '5.x' },
);
