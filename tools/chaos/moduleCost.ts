import { execFileSync } from 'node:child_process';
import { REPO_ROOT } from '../bench/auth/childServer';

/**
 * What loading each of the built server's dependencies costs on its own: a fresh `node` loads
 * only that module (after a full GC) and reports RSS and V8 heap used, minus an empty `node`.
 * Not additive (shared pieces count once per module), but it says which packages an idle server
 * pays for. `npx tsx tools/chaos/moduleCost.ts [module …]`.
 */
const DEFAULT_MODULES = [
  'fastify',
  'better-auth',
  'better-auth/plugins',
  '@better-auth/passkey',
  '@prisma/client/runtime/client',
  '@prisma/client/runtime/query_compiler_fast_bg.postgresql.wasm-base64.js',
  '@prisma/adapter-pg',
  'pg',
  'ioredis',
  'nodemailer',
  'prom-client',
  'zod',
  'jose',
  'pino',
  'rate-limiter-flexible',
  'cockatiel',
  'lru-cache',
  '@fastify/websocket',
];

interface Sample {
  rssMb: number;
  heapMb: number;
}

function sample(module: string | null): Sample {
  const load = module === null ? '' : `require(${JSON.stringify(module)});`;
  const script = `${load} global.gc(); global.gc(); const m = process.memoryUsage(); console.log(JSON.stringify({ rss: m.rss, heap: m.heapUsed }));`;
  const out = execFileSync(process.execPath, ['--expose-gc', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
  const { rss, heap } = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { rss: number; heap: number };
  return { rssMb: rss / 2 ** 20, heapMb: heap / 2 ** 20 };
}

const modules = process.argv.slice(2).length ? process.argv.slice(2) : DEFAULT_MODULES;
const empty = sample(null);
console.log(`empty node: RSS ${empty.rssMb.toFixed(1)} MB, heap ${empty.heapMb.toFixed(1)} MB`);
console.log('| module | RSS + MB | heap + MB |\n|---|---:|---:|');
for (const module of modules) {
  const s = sample(module);
  console.log(`| ${module} | ${(s.rssMb - empty.rssMb).toFixed(1)} | ${(s.heapMb - empty.heapMb).toFixed(1)} |`);
}
