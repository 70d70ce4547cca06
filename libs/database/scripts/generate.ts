/**
 * `npx nx run database:generate` (= `tsx libs/database/scripts/generate.ts`): generates the Prisma
 * client into src/generated/prisma, offline. Skips the work when the schema has not changed
 * since the last run (postinstall and CI call it every time). `--force` regenerates anyway.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const libRoot = resolve(__dirname, '..');
const schemaPath = join(libRoot, 'prisma', 'schema.prisma');
const outputDir = join(libRoot, 'src', 'generated', 'prisma');
const stampPath = join(outputDir, '.schema-hash');

function schemaHash(): string {
  const prismaVersion = (require('prisma/package.json') as { version: string }).version;
  return createHash('sha256').update(prismaVersion).update(readFileSync(schemaPath)).digest('hex');
}

function main(): void {
  const hash = schemaHash();
  const force = process.argv.includes('--force');
  if (!force && existsSync(join(outputDir, 'client.ts')) && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === hash) {
    console.log('[database:generate] Prisma client is up to date');
    return;
  }
  const cli = require.resolve('prisma/build/index.js');
  const result = spawnSync(process.execPath, [cli, 'generate', '--config', join(libRoot, 'prisma.config.ts')], {
    cwd: libRoot,
    stdio: 'inherit',
    // Offline: no update check, and no schema-engine download (generate does not need one).
    // Never /bin/true here: a "successful" fake engine would let `migrate deploy` apply nothing.
    env: { ...process.env, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1', PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false' },
  });
  if (result.status !== 0) {
    console.error('[database:generate] prisma generate failed');
    process.exit(result.status ?? 1);
  }
  writeFileSync(stampPath, hash);
}

main();
