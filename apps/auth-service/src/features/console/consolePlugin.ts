import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { buildConsole, type ConsoleAssets } from './buildConsole';

/**
 * `script-src 'self'`: no inline script, no eval, no other origin; styles from the stylesheet only
 * (the SVG chart sets attributes, not `style`); the page may only call its own origin.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  html: 'text/html; charset=utf-8',
  map: 'application/json; charset=utf-8',
};

/** Prebuilt assets next to the bundled `main.js` (the build target writes them), else built from the sources now. */
export async function loadConsoleAssets(prebuiltDir = join(__dirname, 'console')): Promise<ConsoleAssets> {
  if (existsSync(join(prebuiltDir, 'app.js'))) {
    const names = await readdir(prebuiltDir);
    return new Map(await Promise.all(names.map(async (name) => [name, await readFile(join(prebuiltDir, name))] as const)));
  }
  return buildConsole();
}

function secured(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('cross-origin-opener-policy', 'same-origin');
}

/**
 * The admin console (under `/admin`): one HTML page and its bundled assets under `/admin/assets/`,
 * every answer with the CSP above. The page holds no data: it signs in through Better-Auth and
 * calls the same admin API as anyone else.
 */
export function registerConsole(app: FastifyInstance, options: { assets?: () => Promise<ConsoleAssets> } = {}): void {
  // Loaded (or built) on the first request, so servers that never serve the console pay nothing.
  let loading: Promise<ConsoleAssets> | undefined;
  const assets = () => (loading ??= (options.assets ?? loadConsoleAssets)().catch((error: unknown) => {
    loading = undefined;
    throw error;
  }));
  const page = async (_request: unknown, reply: FastifyReply) => {
    const index = (await assets()).get('index.html');
    if (!index) throw new Error('console assets without index.html');
    return secured(reply).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(index);
  };
  // Under the `/admin` prefix: `/admin` and `/admin/`, each one route.
  app.get('/', { prefixTrailingSlash: 'no-slash' }, page);
  app.get('/', { prefixTrailingSlash: 'slash' }, page);
  app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
    const contents = (await assets()).get(request.params.file);
    const type = TYPES[request.params.file.split('.').pop() ?? ''];
    if (!contents || !type || request.params.file === 'index.html') return secured(reply).code(404).send({ error: { code: 'NOT_FOUND', message: 'No such console asset' } });
    return secured(reply).header('cache-control', 'no-cache').type(type).send(contents);
  });
}
