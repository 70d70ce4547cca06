import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../config';
import { createAppContext } from '../context';
import { runBootstrapAdmin } from '../bootstrap';

/**
 * `npx nx run auth-service:create-admin -- --email admin@example.com [--password …] [--name …]`:
 * the first admin, on the database the environment names (DATABASE_URL, or the embedded one in
 * DATA_DIR). The password may also come from BOOTSTRAP_ADMIN_PASSWORD, to keep it out of the
 * shell history. A user it creates is marked `metadata.provisionedBy = 'create-admin'`; an existing
 * account is promoted only when its email is verified or it carries that mark.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } }, strict: true });
  const config = loadConfig();
  const email = values.email ?? config.BOOTSTRAP_ADMIN_EMAIL;
  if (!email) {
    console.error('usage: create-admin --email <email> [--password <password>] [--name <name>]');
    return 2;
  }
  const logger = pino({ level: 'warn' });
  const context = await createAppContext(config, logger);
  try {
    const result = await runBootstrapAdmin(context, { email, password: values.password ?? config.BOOTSTRAP_ADMIN_PASSWORD, name: values.name ?? config.BOOTSTRAP_ADMIN_NAME, source: 'create-admin' });
    if (result.status === 'no-user') {
      console.error(`no user with email ${email}: pass --password to create one`);
      return 1;
    }
    if (result.status === 'unverified-account') {
      console.error(`refused: ${email} has no verified email and was not made by create-admin; verify it first or use another address`);
      return 1;
    }
    if (result.status !== 'assigned' && result.status !== 'already-admin') return 1;
    console.log(`${email} holds ${result.role.name} (${result.status}${result.created ? ', user created' : ''})`);
    return 0;
  } finally {
    await context.background.drain();
    for (const closer of context.closers) await closer.close().catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
