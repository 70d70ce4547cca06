import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** The console's sources: `index.html`, `app.css` and the `main.ts` entry. */
export const CONSOLE_SOURCE_DIR = join(__dirname, 'app');

/** File name → contents, as served under `/admin/assets/` (`index.html` is served at `/admin`). */
export type ConsoleAssets = Map<string, Buffer>;

/**
 * Bundles the console with esbuild (the tool `npm start` already builds the app with): one ES
 * module for the browser with `better-auth/client` and our plugin clients inside, plus the static
 * HTML and CSS. Nothing is fetched from a CDN.
 */
export async function buildConsole(options: { minify?: boolean } = {}): Promise<ConsoleAssets> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [join(CONSOLE_SOURCE_DIR, 'main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: options.minify ?? true,
    sourcemap: 'linked',
    write: false,
    outdir: 'out',
    entryNames: 'app',
    logLevel: 'silent',
    legalComments: 'none',
  });
  const assets: ConsoleAssets = new Map();
  for (const file of result.outputFiles) assets.set(basename(file.path), Buffer.from(file.contents));
  for (const name of ['index.html', 'app.css']) assets.set(name, await readFile(join(CONSOLE_SOURCE_DIR, name)));
  return assets;
}
