import { APIError } from 'better-auth/api';
import type { IUserEventRepository, IUserRepository } from '@libs/database/postgress/repositories';
import type { FastifyBaseLogger } from 'fastify';
import type { AccessCore } from '@libs/better-auth';
import { requestInfo, sessionFingerprint } from './requestInfo';

export interface HookContext {
  request?: Request;
  headers?: Headers;
}

export interface AccountStatusDependencies {
  users: IUserRepository;
  events: IUserEventRepository;
  logger: FastifyBaseLogger;
  access: Pick<AccessCore, 'decideUser'>;
}

/**
 * `databaseHooks.session.create.before`: only users who may act (the access core's `canAct`:
 * ACTIVE, or a temporary ban that has lapsed) get a session. Anyone else gets the same answer as
 * a wrong password, and a `sign_in_blocked` event is recorded. Also stamps the fingerprint.
 */
export function beforeSessionCreate({ users, events, logger, access }: AccountStatusDependencies) {
  return async (session: { userId: string } & Record<string, unknown>, ctx: HookContext | null) => {
    const user = await users.findById(session.userId);
    const decision = access.decideUser(user);
    if (!decision.ok) {
      if (user) {
        const info = requestInfo(ctx?.request, ctx?.headers);
        await events
          .create({ userId: user.id, eventType: 'sign_in_blocked', isError: true, errorMsg: `ACCOUNT_${decision.reason}`, ...info })
          .catch((error: unknown) => logger.warn({ err: (error as Error)?.name, code: (error as { code?: string })?.code, op: 'events.create' }, 'could not record event'));
      }
      throw APIError.from('UNAUTHORIZED', { code: 'INVALID_EMAIL_OR_PASSWORD', message: 'Invalid email or password' });
    }
    return { data: { ...session, fingerprint: sessionFingerprint(ctx?.headers ?? ctx?.request?.headers) } };
  };
}
