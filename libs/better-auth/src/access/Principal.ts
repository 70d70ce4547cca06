import type { User, UserSession } from '@libs/database/models';

/** Who acted, as audit records name them: the user, and the key when one was used. */
export interface AuditActor {
  userId: string;
  apiKeyId?: string;
}

/** The API key a principal authenticated with. */
export interface PrincipalKey {
  id: string;
  name: string;
  scopes: string[];
  /** What the key may do (`apiKeyGrant`: scopes and its `permissions` JSON). */
  grant: string[];
  storeId: string | null;
  expiresAt: Date | null;
}

/**
 * Who is calling: a user who may act (see `canAct`), through a session or an API key. What they
 * may do is asked of the access core (`authorize`), which intersects a key's grant with its
 * owner's permissions.
 */
export interface Principal {
  user: User;
  session: UserSession | null;
  apiKey: PrincipalKey | null;
  /** The key's store, else the user's. */
  storeId: string | null;
  actor: AuditActor;
}

export function sessionPrincipal(user: User, session: UserSession | null): Principal {
  return { user, session, apiKey: null, storeId: user.storeId ?? null, actor: { userId: user.id } };
}

/** A principal that authenticated with an API key (what the key verifier answers). */
export type KeyPrincipal = Principal & { apiKey: PrincipalKey };

export function keyPrincipal(user: User, key: PrincipalKey): KeyPrincipal {
  return { user, session: null, apiKey: key, storeId: key.storeId ?? user.storeId ?? null, actor: { userId: user.id, apiKeyId: key.id } };
}
