import type { BetterAuthOptions } from 'better-auth';
import type { IApiKeyRepository } from '@libs/database/postgress/repositories';
import type { Repositories } from '../repositories';
import type { ApiKeyVerifierOptions } from '../plugins/api-key/ApiKeyVerifier';
import type { RateLimiter } from '../plugins/shared/RateLimiter';
import { AccessCore, type BackgroundRunner } from './AccessCore';
import { CredentialReader } from './credentials';

export interface CreateAccessCoreOptions {
  /** Better-Auth's secret: cookie and bearer signatures are checked with it. */
  secret: string;
  /** Lapsed-ban lifts run here. */
  background: BackgroundRunner;
  /** The Better-Auth options that name the cookies (`baseURL`, `advanced`, `session`). @default { baseURL: 'http://127.0.0.1' } */
  cookies?: Pick<BetterAuthOptions, 'baseURL' | 'advanced' | 'session'>;
  /** Where key rate limits count. Without it the core has no key verifier (`access.keys` throws). */
  rateLimiter?: RateLimiter;
  /** Key lookup (the data layer's `findApiKeyWithRetry`). @default the repository's `findPresented` */
  findApiKey?: IApiKeyRepository['findPresented'];
  apiKeys?: ApiKeyVerifierOptions;
  /** @default Date.now */
  now?: () => number;
}

/**
 * The access core over the app's repositories. The bearer plugin is installed without
 * `requireSignature` (the lean route's settings refuse a configuration that differs).
 */
export function createAccessCore(repositories: Pick<Repositories, 'users' | 'sessions' | 'roles' | 'events' | 'apiKeys'>, options: CreateAccessCoreOptions): AccessCore {
  const credentials = new CredentialReader(options.cookies ?? { baseURL: 'http://127.0.0.1' }, { secret: options.secret, bearer: { enabled: true, requireSignature: false } });
  const { users, sessions, roles, events } = repositories;
  const keys = repositories.apiKeys;
  const keyRows = options.findApiKey ? { findPresented: options.findApiKey, recordUse: (id: string) => keys.recordUse(id), expireSweep: () => keys.expireSweep() } : keys;
  const apiKeys = options.rateLimiter && { apiKeys: keyRows, rateLimiter: options.rateLimiter, options: options.apiKeys };
  return new AccessCore({ users, sessions, roles, events, credentials, authority: { roles, users, events }, adminWrites: { users, roles }, apiKeys, background: options.background, now: options.now });
}
