/**
 * Child process: stock Better-Auth 1.7 with `@better-auth/api-key` on its own database (its
 * default Kysely/pg adapter and tables, created by Better-Auth's `getMigrations`), on plain
 * node:http. Env: PORT, DATABASE_URL, BETTER_AUTH_SECRET, BENCH_KEYS (keys to seed, default 50).
 * The plugin's verify endpoint is server-only, so `POST /api/auth/api-key/verify` calls
 * `auth.api.verifyApiKey` in process — the plugin's own documented way, and cheaper than its
 * router. `GET /bench/keys` hands the seeded keys to the benchmark. Prints `READY` when listening.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { apiKey } from '@better-auth/api-key';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { toNodeHandler } from 'better-auth/node';
import { Pool } from 'pg';
import { requiredEnv, stopOnSignals } from './serverProcess';

async function readJson(request: IncomingMessage): Promise<{ key?: unknown }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { key?: unknown };
}

async function main(): Promise<void> {
  const port = Number(requiredEnv('PORT'));
  // Pool of 10 like the app's; Better-Auth builds its Kysely pg dialect on it.
  const pool = new Pool({ connectionString: requiredEnv('DATABASE_URL'), max: 10, application_name: 'bench-stock-keys' });
  pool.on('error', () => undefined);
  const options = {
    secret: requiredEnv('BETTER_AUTH_SECRET'),
    baseURL: `http://127.0.0.1:${port}`,
    database: pool,
    emailAndPassword: { enabled: true },
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    // Per-key rate limiting on, like ours, with a limit the load never reaches.
    plugins: [apiKey({ rateLimit: { enabled: true, timeWindow: 60_000, maxRequests: 1_000_000_000 } })],
  };
  const { runMigrations } = await getMigrations(options);
  await runMigrations();
  const auth = betterAuth(options);

  const signUp = await auth.api.signUpEmail({ body: { email: `keys-${Date.now()}@bench.local`, password: 'bench-password-123', name: 'Bench' } });
  const keys: string[] = [];
  for (let i = 0; i < Number(process.env['BENCH_KEYS'] ?? 50); i++) {
    const created = await auth.api.createApiKey({ body: { userId: signUp.user.id, name: `bench-${i}` } });
    keys.push(created.key);
  }

  const handler = toNodeHandler(auth);
  const server = createServer((request, response) => {
    if (request.method === 'POST' && request.url === '/api/auth/api-key/verify') {
      readJson(request)
        .then((body) => auth.api.verifyApiKey({ body: { key: String(body.key ?? '') } }))
        .then((result) => {
          response.writeHead(result.valid ? 200 : 401, { 'content-type': 'application/json' });
          response.end(JSON.stringify(result));
        })
        .catch((error: unknown) => {
          response.writeHead(500, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ error: (error as Error).message }));
        });
      return;
    }
    if (request.method === 'GET' && request.url === '/bench/keys') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys }));
      return;
    }
    void handler(request, response);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  stopOnSignals(server, () => pool.end());
  console.log(`READY ${port}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
