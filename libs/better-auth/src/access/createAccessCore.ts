import type { BetterAuthOptions } from 'better-auth';
import type { Repositories } from '../repositories';
import { AccessCore, type BackgroundRunner } from './AccessCore';
import { CredentialReader } from './credentials';

export interface CreateAccessCoreOptions {
  /** Better-Auth's secret: cookie and bearer signatures are checked with it. */
  secret: string;
  /** Lapsed-ban lifts run here. */
  background: BackgroundRunner;
  /** The Better-Auth options that name the cookies (`baseURL`, `advanced`, `session`). @default { baseURL: 'http://127.0.0.1' } */
  cookies?: Pick<BetterAuthOptions, 'baseURL' | 'advanced' | 'session'>;
  /** @default Date.now */
  now?: () => number;
}

/**
 * The access core over the app's repositories. The bearer plugin is installed without
 * `requireSignature` (the lean route's settings refuse a configuration that differs).
 */
export function createAccessCore(repositories: Pick<Repositories, 'users' | 'sessions' | 'roles' | 'events'>, options: CreateAccessCoreOptions): AccessCore {
  const credentials = new CredentialReader(options.cookies ?? { baseURL: 'http://127.0.0.1' }, { secret: options.secret, bearer: { enabled: true, requireSignature: false } });
  const { users, sessions, roles, events } = repositories;
  return new AccessCore({ users, sessions, roles, events, credentials, authority: { roles, users, events }, adminWrites: { users, roles }, background: options.background, now: options.now });
}
