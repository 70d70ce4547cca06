/**
 * The package.json a lib is published with, derived from its workspace package.json, so the
 * subpaths a consumer imports are declared once (the workspace `exports` map).
 *
 * In the workspace every export points at TypeScript sources (`./src/x.ts`) so tests and `tsx`
 * run the code as written. The build (`tsc -p tsconfig.lib.json`) compiles `src/` to
 * `dist/libs/<lib>/src/` keeping the folder layout, and this turns each export into its compiled
 * pair `{ types: './src/x.d.ts', default: './src/x.js' }`. An export whose file the build does not
 * emit (test helpers under `src/testing`) is workspace-only and left out.
 *
 * One module format, CommonJS: see docs/publishing.md for why.
 */
export interface WorkspaceManifest {
  name: string;
  version: string;
  description?: string;
  license?: string;
  exports: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, unknown>;
  files?: string[];
  keywords?: string[];
  [field: string]: unknown;
}

export interface PublishOptions {
  /** Is this compiled file (relative to the package root, e.g. `src/index.js`) in the build? */
  emitted: (relativePath: string) => boolean;
  /** The monorepo's `repository` (root package.json); the lib's folder is added as `directory`. */
  repository?: { type: string; url: string };
  /** The lib's folder in the monorepo, e.g. `libs/utils`. */
  directory: string;
}

export interface Entry {
  types: string;
  default: string;
}

/** `./src/a/b.ts` → `{ types: './src/a/b.d.ts', default: './src/a/b.js' }`; other files unchanged. */
export function compiledEntry(source: string): Entry | string {
  if (!source.endsWith('.ts') || source.endsWith('.d.ts')) return source;
  const stem = source.slice(0, -'.ts'.length);
  return { types: `${stem}.d.ts`, default: `${stem}.js` };
}

const relative = (path: string) => path.replace(/^\.\//, '');

export function publishManifest(source: WorkspaceManifest, options: PublishOptions): Record<string, unknown> {
  const exports: Record<string, Entry | string> = {};
  for (const [subpath, target] of Object.entries(source.exports)) {
    const entry = compiledEntry(target);
    if (typeof entry !== 'string' && !options.emitted(relative(entry.default))) continue;
    exports[subpath] = entry;
  }
  const root = exports['.'];
  if (!root || typeof root === 'string') throw new Error(`${source.name}: the "." export must point at a TypeScript entry the build emits`);
  // Workspace-only fields never reach the registry.
  const { private: _private, scripts: _scripts, devDependencies: _dev, nx: _nx, ...kept } = source;
  return {
    ...kept,
    main: root.default,
    types: root.types,
    exports,
    files: ['src', ...(source.files ?? []).filter((file) => file !== 'src'), 'README.md', 'LICENSE'],
    ...(options.repository ? { repository: { ...options.repository, directory: options.directory } } : {}),
    engines: { node: '>=20.19' },
  };
}
