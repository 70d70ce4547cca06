/**
 * A consumer's Better-Auth server: a plain `betterAuth({...})` on `@libs/better-auth`'s platform
 * (repository adapter, API-key and roles plugins) served by node:http, and a stock
 * `createAuthClient` with the library's client plugins talking to it over HTTP. The consumer
 * test compiles and runs it outside the workspace; it prints one JSON line of results.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { betterAuth } from 'better-auth';
import { createAuthClient } from 'better-auth/client';
import { toNodeHandler } from 'better-auth/node';
import { createBetterAuthPlatform } from '@libs/better-auth';
import { apiKeyClient, rolesClient } from '@libs/better-auth/client';
import { createDatabaseClient } from '@libs/database';

async function main(): Promise<void> {
  const { DATABASE_URL } = process.env;
  if (!DATABASE_URL) throw new Error('DATABASE_URL is required');
  const secret = 'consumer-secret-0123456789-0123456789';
  const db = await createDatabaseClient({ url: DATABASE_URL, migrate: true, poolMax: 2 });
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const platform = createBetterAuthPlatform({ db, secret, baseURL });
  const auth = betterAuth({ baseURL, secret, emailAndPassword: { enabled: true }, ...platform.options });
  server.on('request', toNodeHandler(auth));
  try {
    const client = createAuthClient({ baseURL, plugins: [apiKeyClient(), rolesClient()] });
    const email = `server-${process.pid}@example.com`;
    const signUp = await client.signUp.email({ email, password: 'correct horse battery', name: 'Consumer' });
    let cookie = '';
    const signIn = await client.signIn.email(
      { email, password: 'correct horse battery' },
      { onResponse: ({ response }) => void (cookie = response.headers.get('set-cookie')?.split(';')[0] ?? '') },
    );
    const headers = { cookie };
    const session = await client.getSession({ fetchOptions: { headers } });
    const created = await client.apiKey.create({ name: 'consumer' }, { headers });
    const verify = await fetch(`${baseURL}/api/auth/api-key/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: created.data?.key }),
    });
    const permissions = await client.roles.myPermissions({ fetchOptions: { headers } });
    const userRow = await platform.repositories.users.findByEmail(email);
    console.log(
      JSON.stringify({
        signUp: signUp.error ?? 'ok',
        signIn: signIn.error ?? 'ok',
        sessionUser: session.data?.user.email,
        userRowStatus: userRow?.status,
        keyCreated: typeof created.data?.key === 'string',
        verifyStatus: verify.status,
        verifyBody: await verify.json(),
        permissions: permissions.data?.permissions,
      }),
    );
  } finally {
    server.close();
    await platform.close();
    await db.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
