import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * What the static deploy checks need to know about the app, read from its sources (tools may not
 * import the app): the variables its zod schema knows and the routes it serves.
 */
export const REPO_ROOT = join(__dirname, '..', '..');
const APP_SRC = join(REPO_ROOT, 'apps', 'auth-service', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'console' || entry.name === 'testing' ? [] : sourceFiles(path);
    return /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** config.ts and every `…ConfigShape` it spreads: the files that declare the schema's fields. */
export function configSourceFiles(): string[] {
  return sourceFiles(APP_SRC).filter((file) => file.endsWith(join('src', 'config.ts')) || /export const \w+ConfigShape\b/.test(readFileSync(file, 'utf8')));
}

/** The variables the app's zod schema knows (each `NAME: z…` key of config.ts and the config shapes). */
export function appConfigVariables(): Set<string> {
  const names = new Set<string>();
  for (const file of configSourceFiles()) for (const match of readFileSync(file, 'utf8').matchAll(/^\s+([A-Z][A-Z0-9_]+):\s/gm)) names.add(match[1]);
  return names;
}

/**
 * A feature's prefix: the `…_PREFIX = '/x'` its `<name>Feature.ts` declares (the app registers
 * each feature with it), '' for files outside a feature folder or a feature without one.
 */
function featurePrefix(file: string): string {
  const match = /[/\\]features[/\\]([^/\\]+)[/\\]/.exec(file);
  if (!match) return '';
  const feature = join(APP_SRC, 'features', match[1], `${match[1]}Feature.ts`);
  const declared = /export const [A-Z_]+_PREFIX = '([^']*)'/.exec(readFileSync(feature, 'utf8'));
  return declared ? declared[1] : '';
}

/** `app.get('/path'` under its feature's prefix: the GET routes the app registers, with the file that registers each. */
export function appGetRoutes(): Map<string, string> {
  const routes = new Map<string, string>();
  for (const file of sourceFiles(APP_SRC)) {
    const prefix = featurePrefix(file);
    for (const match of readFileSync(file, 'utf8').matchAll(/\bapp\.get(?:<[^>]*>)?\(\s*'([^']+)'/g)) routes.set(prefix && match[1] === '/' ? prefix : `${prefix}${match[1]}`, relative(REPO_ROOT, file));
  }
  return routes;
}
