import { createAuthMiddleware, isAPIError } from 'better-auth/api';
import type { BetterAuthPlugin } from 'better-auth';
import type { ISessionRepository, IUserEventRepository, IUserRepository } from '@libs/database/postgress/repositories';
import type { FastifyBaseLogger } from 'fastify';
import type { BackgroundTasks } from '../../backgroundTasks';
import type { CredentialReader } from '@libs/better-auth';
import { requestInfo } from './requestInfo';

export interface AuthEventDependencies {
  users: IUserRepository;
  sessions: ISessionRepository;
  events: IUserEventRepository;
  logger: FastifyBaseLogger;
  /** Event writes run here, off the answer's critical path. */
  background: BackgroundTasks;
  /** Reads the signed-out session's token (the access core's reader). */
  credentials: CredentialReader;
}

/**
 * Writes `UserEvent` rows for sign-in (success and failure, with `isError` and a code — never a
 * message that could echo input), sign-out and password change; updates `lastLoginAt`; and makes
 * a password change end every other session. Event writes run in the background and never fail the request.
 */
export function authEvents(deps: AuthEventDependencies) {
  const record = (event: Parameters<IUserEventRepository['create']>[0]) => deps.background.run('events.create', () => deps.events.create(event));
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
                record({ userId: newSession.user.id, sessionId: newSession.session.id, eventType: 'sign_in', ...info });
                deps.background.run('users.updateLastLogin', () => deps.users.updateLastLogin(newSession.user.id));
                return;
              }
              const email = typeof (ctx.body as { email?: unknown })?.email === 'string' ? (ctx.body as { email: string }).email : undefined;
              const code = failed ? String((ctx.context.returned as { body?: { code?: string } }).body?.code ?? 'SIGN_IN_FAILED') : 'SIGN_IN_FAILED';
              // Off the answer's path, so a known and an unknown email take the same time. An
              // unknown email has no user to attach the event to, so it leaves no row.
              if (email && email.length <= 254) {
                deps.background.run('events.signInFailed', async () => {
                  const user = await deps.users.findByEmail(email.toLowerCase());
                  if (user) await deps.events.create({ userId: user.id, eventType: 'sign_in_failed', isError: true, errorMsg: code, ...info });
                });
              }
              return;
            }
            if (ctx.path === '/sign-out') {
              // Which session ended is read after the answer, with the event's write: the sign-out
              // waits for neither (the session was ended, and its invalidation applied, before this).
              const presented = { cookie: ctx.headers?.get('cookie') ?? undefined, authorization: ctx.headers?.get('authorization') ?? undefined };
              deps.background.run('events.signOut', async () => {
                const credential = await deps.credentials.sessionToken(presented);
                const session = credential.kind === 'token' ? await deps.sessions.findFirst({ where: { token: credential.token } }) : null;
                if (session) await deps.events.create({ userId: session.userId, sessionId: session.id, eventType: 'sign_out', ...info });
              });
              return;
            }
            if (ctx.path === '/change-password' && !failed) {
              const userId = (ctx.context.returned as { user?: { id?: string } } | undefined)?.user?.id ?? ctx.context.session?.user.id;
              if (userId) record({ userId, eventType: 'password_changed', ...info });
            }
          }),
        },
      ],
    },
  } satisfies BetterAuthPlugin;
}
