import type { FastifyBaseLogger } from 'fastify';
import { bootstrapAdmin, type BootstrapAdminInput, type BootstrapAdminResult } from './identity/bootstrapAdmin';
import type { AppContext } from './context';
import { outageOf } from './http/httpError';

/** The first admin from `BOOTSTRAP_ADMIN_*`, through the context's repositories and Better-Auth's sign-up. */
export function runBootstrapAdmin(context: Pick<AppContext, 'repositories' | 'auth'>, input: BootstrapAdminInput): Promise<BootstrapAdminResult> {
  const { users, roles, events } = context.repositories;
  return bootstrapAdmin(
    { users, roles, events, signUp: (body) => context.auth.api.signUpEmail({ body }) },
    input,
  );
}

/** One line per outcome; a refusal is a warn naming the reason (never the password). */
export function logBootstrap(log: Pick<FastifyBaseLogger, 'info' | 'warn'>, result: BootstrapAdminResult): void {
  switch (result.status) {
    case 'no-user':
      log.warn({ role: result.role.name, reason: 'no-user' }, 'bootstrap admin refused: no user with BOOTSTRAP_ADMIN_EMAIL; set BOOTSTRAP_ADMIN_PASSWORD to create it');
      break;
    case 'unverified-account':
      log.warn({ role: result.role.name, reason: 'unverified-account', userId: result.user?.id }, 'bootstrap admin refused: the account with BOOTSTRAP_ADMIN_EMAIL has no verified email and was not made by the bootstrap or create-admin; nothing changed');
      break;
    case 'admin-exists':
      log.info({ role: result.role.name, reason: 'admin-exists' }, 'bootstrap admin: an active system admin exists; BOOTSTRAP_ADMIN_EMAIL changes nothing');
      break;
    default:
      log.info({ userId: result.user.id, role: result.role.name, status: result.status, created: result.created }, 'bootstrap admin');
  }
}

export interface BootstrapLoop {
  /** Settles when the bootstrap has run (or been stopped). */
  readonly done: Promise<BootstrapAdminResult | undefined>;
  stop(): void;
}

/**
 * Runs the bootstrap at start-up without holding the server back: while the database is
 * unreachable it is retried (every `retryMs`) until it succeeds or the server stops — the server
 * itself starts and reports not-ready meanwhile. Logs what it did, never the password.
 */
export function startBootstrapAdmin(context: Pick<AppContext, 'repositories' | 'auth' | 'config'>, log: FastifyBaseLogger, retryMs = 2_000): BootstrapLoop | undefined {
  const { BOOTSTRAP_ADMIN_EMAIL: email, BOOTSTRAP_ADMIN_PASSWORD: password, BOOTSTRAP_ADMIN_NAME: name } = context.config;
  if (!email) return undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const done = (async () => {
    while (!stopped) {
      try {
        const result = await runBootstrapAdmin(context, { email, password, name, source: 'bootstrap' });
        logBootstrap(log, result);
        return result;
      } catch (error) {
        if (!outageOf(error)) {
          log.error({ code: (error as { code?: string })?.code, err: (error as Error)?.name }, 'bootstrap admin failed');
          return undefined;
        }
        log.warn({ retryMs }, 'bootstrap admin: database unavailable; retrying');
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, retryMs);
          timer.unref();
        });
      }
    }
    return undefined;
  })();
  return {
    done,
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      wake?.();
    },
  };
}
