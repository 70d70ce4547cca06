import { randomBytes, randomUUID } from 'node:crypto';
import { promoteVerifiedToSystemAdmin } from '../systemAdmin';
import { postJson, signUp } from '../../features/betterAuth/testing/users';
import type { TestApp } from '../testApp';
import { PRINCIPALS, type PrincipalName } from './expectations';

export const MATRIX_PASSWORD = 'correct horse battery';

/** The lower-rank admin role: user and role administration, not `*:*` (and not `metrics:read`). */
export const LOWER_ADMIN_PERMISSIONS = ['users:read', 'users:manage', 'roles:*'] as const;

export interface Actor {
  name: PrincipalName;
  /** The user behind the caller (a key's owner); none for anonymous. */
  userId?: string;
  email?: string;
  /** Credential headers plus `Origin` = the app's own (CSRF-valid for cookie callers). */
  headers: Record<string, string>;
  /** A new session of the same user (a new sign-in): its headers and raw token; the same headers for the others. */
  fresh(): Promise<{ headers: Record<string, string>; token?: string }>;
}

export interface Target {
  id: string;
  email: string;
  /** A live session of the target (with `withSession`). */
  sessionId?: string;
}

type Rank = 'higher' | 'peer' | 'lower';

/**
 * Whom each caller acts on: a user of higher rank than a lower-rank admin (the interesting case:
 * 403 TARGET_OUTRANKS_ACTOR), a peer with the same role for the same-rank admin, a lower-rank
 * admin for the super-admin. Callers refused anyway get the highest-ranked target.
 */
export const TARGET_RANK: Record<PrincipalName, Rank> = { anonymous: 'higher', plain: 'higher', underScopedKey: 'higher', lowerAdmin: 'higher', sameRankAdmin: 'peer', superAdmin: 'lower' };

export interface MatrixWorld {
  app: TestApp;
  actors: Record<PrincipalName, Actor>;
  roles: { superAdmin: string; lowerAdmin: string; viewer: string };
  /** A user that only signs in (the sign-in row's credentials). */
  signInOnly: { email: string };
  /** A valid key (the under-scoped one), for the verify row. */
  someKey: string;
  target(rank: Rank, options?: { withSession?: boolean; deleted?: boolean }): Promise<Target>;
  roleTarget(rank: Rank): Promise<{ id: string }>;
  /** A fresh key of this user, for the key-management rows. */
  keyOf(userId: string): Promise<{ id: string }>;
}

async function signIn(baseUrl: string, email: string): Promise<{ cookie: string; token: string }> {
  const res = await postJson(`${baseUrl}/api/auth/sign-in/email`, { email, password: MATRIX_PASSWORD });
  if (res.status !== 200) throw new Error(`sign-in of ${email} answered ${res.status}`);
  const cookie = (res.headers.getSetCookie().find((c) => c.includes('session_token=')) ?? '').split(';')[0];
  return { cookie, token: String(res.body['token']) };
}

/** Seeds the roles, the five signed-in callers and the under-scoped key (owned by the super-admin). */
export async function seedWorld(app: TestApp): Promise<MatrixWorld> {
  const { repositories } = app.context;
  const origin = new URL(app.url).origin;
  const [superUser, lowerUser, peerUser, plainUser, signInOnly] = await Promise.all(['Super', 'Lower', 'Peer', 'Plain', 'SignInOnly'].map((n) => signUp(app.url, n)));
  const bootstrapped = await promoteVerifiedToSystemAdmin(app.context, superUser);
  if (bootstrapped.status !== 'assigned') throw new Error(`bootstrap answered ${bootstrapped.status}`);
  const lowerRole = await repositories.roles.create({ name: 'matrix-user-admin', level: 10, permissions: [...LOWER_ADMIN_PERMISSIONS] });
  const viewerRole = await repositories.roles.create({ name: 'matrix-viewer', level: 1, permissions: ['users:read'] });
  for (const user of [lowerUser, peerUser]) await repositories.users.updateRole(user.id, lowerRole.id, 'matrix');
  const keyRes = await postJson(`${app.url}/api/auth/api-key/create`, { name: 'under-scoped', scopes: ['orders:read'] }, { cookie: superUser.cookie, origin });
  if (keyRes.status !== 200) throw new Error(`key creation answered ${keyRes.status}`);
  const key = String(keyRes.body['key']);

  const signedIn = (name: PrincipalName, user: { id: string; email: string; cookie: string }): Actor => ({
    name,
    userId: user.id,
    email: user.email,
    headers: { cookie: user.cookie, origin },
    fresh: async () => {
      const session = await signIn(app.url, user.email);
      return { headers: { cookie: session.cookie, origin }, token: session.token };
    },
  });
  const actors: Record<PrincipalName, Actor> = {
    anonymous: { name: 'anonymous', headers: { origin }, fresh: async () => ({ headers: { origin } }) },
    plain: signedIn('plain', plainUser),
    underScopedKey: { name: 'underScopedKey', userId: superUser.id, email: superUser.email, headers: { 'x-api-key': key, origin }, fresh: async () => ({ headers: { 'x-api-key': key, origin } }) },
    lowerAdmin: signedIn('lowerAdmin', lowerUser),
    sameRankAdmin: signedIn('sameRankAdmin', peerUser),
    superAdmin: signedIn('superAdmin', superUser),
  };
  if (Object.keys(actors).length !== PRINCIPALS.length) throw new Error('every principal needs an actor');

  const roleOfRank: Record<Rank, string | null> = { higher: bootstrapped.role.id, peer: lowerRole.id, lower: lowerRole.id };
  const rolePermissions: Record<Rank, string[]> = { higher: ['*:*'], peer: [...LOWER_ADMIN_PERMISSIONS], lower: ['users:read'] };
  return {
    app,
    actors,
    roles: { superAdmin: bootstrapped.role.id, lowerAdmin: lowerRole.id, viewer: viewerRole.id },
    signInOnly,
    someKey: key,
    async target(rank, options = {}) {
      const email = `target-${randomUUID()}@example.com`;
      const user = await repositories.users.create({ email, name: `Target ${rank}` });
      await repositories.users.updateRole(user.id, roleOfRank[rank], 'matrix');
      let sessionId: string | undefined;
      if (options.withSession) {
        const session = await repositories.sessions.create({ userId: user.id, token: randomBytes(24).toString('hex'), expiresAt: new Date(Date.now() + 3_600_000) });
        sessionId = session.id;
      }
      if (options.deleted) await repositories.users.softDelete(user.id, 'matrix');
      return { id: user.id, email, sessionId };
    },
    async roleTarget(rank) {
      // A role of its own per row (not the live system role): a wrongly allowed change harms no later row.
      return repositories.roles.create({ name: `matrix-${rank}-${randomUUID()}`, permissions: rolePermissions[rank] });
    },
    async keyOf(userId) {
      const { apiKey } = await repositories.apiKeys.createKey({ name: 'matrix', userId, scopes: [], permissions: null, expiresAt: null, metadata: {}, createdBy: userId, prefix: 'sk' });
      return { id: apiKey.id };
    },
  };
}
