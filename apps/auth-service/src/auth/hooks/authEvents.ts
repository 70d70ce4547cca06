import { createAuthMiddleware, isAPIError } from 'better-auth/api';
import type { BetterAuthPlugin } from 'better-auth';
import type { SessionRepository, UserEventRepository, UserRepository } from '@libs/database/postgress/repositories';
import type { FastifyBaseLogger } from 'fastify';
import { requestInfo } from './requestInfo';

export interface AuthEventDependencies {
  users: UserRepository;
  sessions: SessionRepository;
  events: UserEventRepository;
  logger: FastifyBaseLogger;
}

const SESSION_COOKIE = /(?:^|;\s*)(?:__Secure-)?better-auth\.session_token=([^;.]+)/;

/**
 * Writes `UserEvent` rows for sign-in (success and failure, with `isError` and a code — never a
 * message that could echo input), sign-out and password change; updates `lastLoginAt`; and makes
 * a password change end every other session. Event writes never fail the request.
 */
export function authEvents(deps: AuthEventDependencies) {
  const record = async (event: Parameters<UserEventRepository['create']>[0]) => {
    await deps.events.create(event).catch((error: unknown) => deps.logger.warn({ err: (error as Error)?.name, code: (error as { code?: string })?.code, op: 'events.create' }, 'could not record event'));
  };
  return {
    id: 'auth-events',
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === '/change-password',
          handler: createAuthMiddleware(async (ctx) => ({ context: { body: { ...(ctx.body as object), revokeOtherSessions: true } } })),
        },
      ],
      after: [
        {
          matcher: (ctx) => ctx.path !== undefined && ['/sign-in/email', '/sign-out', '/change-password'].includes(ctx.path),
          handler: createAuthMiddleware(async (ctx) => {
            const info = requestInfo(ctx.request, ctx.headers);
            const failed = isAPIError(ctx.context.returned);
            if (ctx.path === '/sign-in/email') {
              const newSession = ctx.context.newSession;
              if (!failed && newSession) {
                await record({ userId: newSession.user.id, sessionId: newSession.session.id, eventType: 'sign_in', ...info });
                await deps.users.updateLastLogin(newSession.user.id).catch(() => undefined);
                return;
              }
              const email = typeof (ctx.body as { email?: unknown })?.email === 'string' ? (ctx.body as { email: string }).email : undefined;
              const user = email ? await deps.users.findByEmail(email.toLowerCase()).catch(() => null) : null;
              const code = failed ? String((ctx.context.returned as { body?: { code?: string } }).body?.code ?? 'SIGN_IN_FAILED') : 'SIGN_IN_FAILED';
              // An unknown email has no user to attach the event to; it is counted in metrics only.
              if (user) await record({ userId: user.id, eventType: 'sign_in_failed', isError: true, errorMsg: code, ...info });
              return;
            }
            if (ctx.path === '/sign-out') {
              const token = ctx.headers?.get('cookie')?.match(SESSION_COOKIE)?.[1];
              const session = token ? await deps.sessions.findFirst({ where: { token: decodeURIComponent(token) } }).catch(() => null) : null;
              if (session) await record({ userId: session.userId, sessionId: session.id, eventType: 'sign_out', ...info });
              return;
            }
            if (ctx.path === '/change-password' && !failed) {
              const userId = (ctx.context.returned as { user?: { id?: string } } | undefined)?.user?.id ?? ctx.context.session?.user.id;
              if (userId) await record({ userId, eventType: 'password_changed', ...info });
            }
          }),
        },
      ],
    },
  } satisfies BetterAuthPlugin;
}
