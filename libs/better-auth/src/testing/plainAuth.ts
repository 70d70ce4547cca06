import { betterAuth } from 'better-auth';
import { createAuthClient } from 'better-auth/client';
import { migratedTestDatabase, type MigratedTestDatabase } from '@libs/database/testing';
import { createBetterAuthPlatform, type BetterAuthPlatform } from '../createBetterAuthPlatform';

const baseURL = 'http://localhost:3000';
const secret = 'plain-auth-test-secret-0123456789abcdef';

const makeAuth = (platform: BetterAuthPlatform) => betterAuth({ baseURL, secret, emailAndPassword: { enabled: true }, ...platform.options });
export type PlainAuth = ReturnType<typeof makeAuth>;

/** A plain `betterAuth({...platform.options})` on a fresh migrated database, for the library's own tests. */
export interface PlainAuthWorld {
  t: MigratedTestDatabase;
  platform: BetterAuthPlatform;
  auth: PlainAuth;
  /** A `fetch` that sends a client's requests to `auth.handler`, and the base URL it answers. */
  fetchOptions: { customFetchImpl: (url: string | URL | Request, init?: RequestInit) => Promise<Response> };
  clientBaseURL: string;
  /** Signs a new user up and in; their cookie header and id. */
  signedIn(email: string): Promise<{ headers: Record<string, string>; userId: string }>;
  close(): Promise<void>;
}

export async function plainAuthWorld(name: string): Promise<PlainAuthWorld> {
  const t = await migratedTestDatabase(name);
  const platform = createBetterAuthPlatform({ db: t.client, secret, baseURL });
  const auth = makeAuth(platform);
  const fetchOptions = { customFetchImpl: (url: string | URL | Request, init?: RequestInit) => auth.handler(new Request(url, init)) };
  const clientBaseURL = `${baseURL}/api/auth`;
  return {
    t,
    platform,
    auth,
    fetchOptions,
    clientBaseURL,
    async signedIn(email) {
      const c = createAuthClient({ baseURL: clientBaseURL, fetchOptions });
      const signUp = await c.signUp.email({ email, password: 'correct horse battery', name: 'Plain' });
      if (signUp.error) throw new Error(`sign-up of ${email}: ${signUp.error.message}`);
      let cookie = '';
      const signIn = await c.signIn.email({ email, password: 'correct horse battery' }, { onResponse: ({ response }) => void (cookie = response.headers.get('set-cookie')?.split(';')[0] ?? '') });
      if (!signIn.data) throw new Error(`sign-in of ${email} failed`);
      return { headers: { cookie }, userId: signIn.data.user.id };
    },
    async close() {
      await platform.close();
      await t.close();
    },
  };
}
