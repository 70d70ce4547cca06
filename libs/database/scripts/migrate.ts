/**
 * `npx nx run database:migrate` (= `tsx libs/database/scripts/migrate.ts`): applies the committed
 * migrations to DATABASE_URL, or to the app's embedded Postgres when DATABASE_URL is unset.
 * Idempotent: a second run applies nothing.
 */
import { migrate } from '../src/migrations/migrate';
import { redactUrl } from '../src/client/options';

const logger = {
  info: (obj: Record<string, unknown>, msg?: string) => console.log(`[database:migrate] ${msg ?? ''}`, JSON.stringify(obj)),
  warn: (obj: Record<string, unknown>, msg?: string) => console.warn(`[database:migrate] ${msg ?? ''}`, JSON.stringify(obj)),
};

async function main(): Promise<void> {
  const url = process.env['DATABASE_URL'];
  let stop: (() => Promise<void>) | undefined;
  let target: string = url ?? '';
  if (!target) {
    const { startEmbeddedPostgres } = await import('../src/client/embeddedPostgres.js');
    const server = await startEmbeddedPostgres({}, logger);
    target = server.url;
    stop = server.stop;
  }
  try {
    const result = await migrate(target, { logger });
    console.log(
      `[database:migrate] ${redactUrl(target)}: applied ${result.applied.length} (${result.applied.join(', ') || 'none'}), already applied ${result.alreadyApplied.length}`,
    );
  } finally {
    await stop?.();
  }
}

main().catch((error: unknown) => {
  console.error('[database:migrate] failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
