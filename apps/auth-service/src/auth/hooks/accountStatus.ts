import { APIError } from 'better-auth/api';
import type { IUserEventRepository, IUserRepository } from '@libs/database/postgress/repositories';
import type { FastifyBaseLogger } from 'fastify';
import { ACTIVE_STATUS } from '../adapter/sessionRows';
import { requestInfo, sessionFingerprint } from './requestInfo';

export interface HookContext {
  request?: Request;
  headers?: Headers;
}

export interface AccountStatusDependencies {
  users: IUserRepository;
  events: IUserEventRepository;
  logger: FastifyBaseLogger;
}

/**
 * `databaseHooks.session.create.before`: only ACTIVE users get a session. A BANNED, INACTIVE or
 * PENDING user (soft-deleted ones are not found at all) gets the same answer as a wrong password,
 * and a `sign_in_blocked` event is recorded. Also stamps the session's fingerprint.
 */
export function beforeSessionCreate({ users, events, logger }: AccountStatusDependencies) {
  return async (session: { userId: string } & Record<string, unknown>, ctx: HookContext | null) => {
    const user = await users.findById(session.userId);
    if (!user || user.status !== ACTIVE_STATUS) {
      if (user) {
        const info = requestInfo(ctx?.request, ctx?.headers);
        await events
          .create({ userId: user.id, eventType: 'sign_in_blocked', isError: true, errorMsg: `ACCOUNT_${user.status}`, ...info })
          .catch((error: unknown) => logger.warn({ err: (error as Error)?.name, code: (error as { code?: string })?.code, op: 'events.create' }, 'could not record event'));
      }
      throw APIError.from('UNAUTHORIZED', { code: 'INVALID_EMAIL_OR_PASSWORD', message: 'Invalid email or password' });
    }
    return { data: { ...session, fingerprint: sessionFingerprint(ctx?.headers ?? ctx?.request?.headers) } };
  };
}
