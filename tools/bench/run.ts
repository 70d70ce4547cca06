/**
 * `npm run bench -- <name> [more names]`: runs tools/bench/<name>.bench.ts (or every
 * benchmark when no name is given). Each benchmark exports `run(): Promise<void>`.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

async function main(): Promise<void> {
  const available = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.replace(/\.bench\.ts$/, ''));
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const names = wanted.length ? wanted : available;
  for (const name of names) {
    if (!available.includes(name)) {
      console.error(`unknown benchmark "${name}"; available: ${available.join(', ') || '(none)'}`);
      process.exitCode = 2;
      return;
    }
    console.log(`\n=== bench: ${name} ===`);
    const mod = (await import(join(__dirname, `${name}.bench.ts`))) as { run: () => Promise<void> };
    await mod.run();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
