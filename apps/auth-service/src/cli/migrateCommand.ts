import { migrate, redactUrl } from '@libs/database';
import { ConfigError } from '../config';
import { url } from '../configFields';

const databaseUrl = url(['postgres:', 'postgresql:']);

/**
 * `main.js migrate` (in the image: `docker run … auth-service node dist/apps/auth-service/main.js migrate`):
 * applies the committed migrations to DATABASE_URL once and exits. Needs only DATABASE_URL — no
 * secret — so a migration job carries nothing else. Idempotent, and instances or jobs that run it
 * together serialise on Postgres' advisory lock.
 */
export async function runMigrateCommand(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): Promise<void> {
  const checked = databaseUrl.safeParse(env.DATABASE_URL || undefined);
  if (!checked.success) {
    throw new ConfigError([{ variable: 'DATABASE_URL', message: env.DATABASE_URL ? checked.error.issues[0]?.message ?? 'is invalid' : 'is required by migrate (the embedded Postgres is migrated when the app starts)' }]);
  }
  const logger = {
    info: (obj: Record<string, unknown>, msg?: string) => log(JSON.stringify({ level: 'info', msg, ...obj })),
    warn: (obj: Record<string, unknown>, msg?: string) => log(JSON.stringify({ level: 'warn', msg, ...obj })),
  };
  const result = await migrate(checked.data, { logger });
  log(JSON.stringify({ level: 'info', msg: 'migrations done', database: redactUrl(checked.data), applied: result.applied, alreadyApplied: result.alreadyApplied.length }));
}
