/**
 * `tsx tools/release/packLib.ts libs/<lib>`: after `tsc -p libs/<lib>/tsconfig.lib.json` has
 * compiled the lib into `dist/libs/<lib>/src`, writes the package.json it is published with
 * (publishManifest.ts) and copies its README, the licence and the extra `files` it ships (the
 * database lib's Prisma schema and migrations). The lib's `build` target runs it.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { publishManifest, type WorkspaceManifest } from './publishManifest';

const workspace = resolve(__dirname, '..', '..');
const libDir = process.argv[2];
if (!libDir) {
  console.error('usage: tsx tools/release/packLib.ts libs/<lib>');
  process.exit(2);
}
const sourceRoot = join(workspace, libDir);
const outDir = join(workspace, 'dist', libDir);
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
const source = readJson(join(sourceRoot, 'package.json')) as WorkspaceManifest;
const rootManifest = readJson(join(workspace, 'package.json'));

const manifest = publishManifest(source, {
  emitted: (path) => existsSync(join(outDir, path)),
  repository: rootManifest['repository'] as { type: string; url: string } | undefined,
  directory: libDir,
});
writeFileSync(join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
cpSync(join(sourceRoot, 'README.md'), join(outDir, 'README.md'));
cpSync(join(workspace, 'LICENSE'), join(outDir, 'LICENSE'));
for (const file of source.files ?? []) {
  if (file !== 'src') cpSync(join(sourceRoot, file), join(outDir, file), { recursive: true });
}
console.log(`[packLib] ${source.name}@${source.version} → dist/${libDir}`);
