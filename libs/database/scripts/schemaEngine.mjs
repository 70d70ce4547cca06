// Runs Prisma's schema engine (WebAssembly build) offline, because the native engine the CLI
// would download is unreachable here. ESM only, and Node 20 needs the wasm-modules flag:
//   node --experimental-wasm-modules libs/database/scripts/schemaEngine.mjs diff --url <pg-url> [--from <old schema.prisma>]
// Prints the SQL that turns the `--from` schema (default: an empty database) into
// prisma/schema.prisma. The engine needs a live database for its SQL connector but does not
// change it. (`--from` a migrations folder would need the engine to introspect a shadow
// database, which fails through the pg adapter: "Column type 'char' could not be deserialized".)
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SchemaEngine } from '@prisma/schema-engine-wasm';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPg } from '@prisma/adapter-pg';

const libRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const schemaPath = join(libRoot, 'prisma', 'schema.prisma');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

async function main() {
  const [command] = process.argv.slice(2);
  const url = arg('url', process.env.DATABASE_URL);
  if (command !== 'diff' || !url) {
    console.error('usage: schemaEngine.mjs diff --url <postgres-url> [--from <old schema.prisma>] [--to <schema.prisma>]');
    process.exit(2);
  }
  const toPath = resolve(arg('to', schemaPath));
  const schema = readFileSync(toPath, 'utf8');
  const fromPath = arg('from', undefined);
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: url }));
  const log = () => undefined;
  const engine = await SchemaEngine.new({ datamodels: [[toPath, schema]] }, log, adapter);
  const from = fromPath
    ? { tag: 'schemaDatamodel', files: [{ path: resolve(fromPath), content: readFileSync(fromPath, 'utf8') }] }
    : { tag: 'empty' };
  const result = await engine.diff({
    from,
    to: { tag: 'schemaDatamodel', files: [{ path: toPath, content: schema }] },
    script: true,
    exitCode: null,
    shadowDatabaseUrl: null,
    filters: { externalTables: [], externalEnums: [] },
  });
  process.stdout.write(result.stdout ?? '');
  engine.free?.();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error?.message ?? error);
    process.exit(1);
  },
);
