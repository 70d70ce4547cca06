import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildConsole } from './buildConsole';

/** `tsx apps/auth-service/src/features/console/buildConsoleCli.ts <outdir>`: the console's assets for `npm start`. */
async function main(): Promise<void> {
  const outdir = resolve(process.argv[2] ?? 'dist/apps/auth-service/console');
  await mkdir(outdir, { recursive: true });
  for (const [name, contents] of await buildConsole()) await writeFile(join(outdir, name), contents);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
