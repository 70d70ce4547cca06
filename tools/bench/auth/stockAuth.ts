import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { bearer } from 'better-auth/plugins/bearer';

export interface StockAuthOptions {
  /** The Prisma client of `createDatabaseClient({ url }).prisma` (typed loosely: the adapter only indexes it by model). */
  prisma: object;
  /** Signs the session cookie and the bearer token; the app must get the same one to read these sessions. */
  secret: string;
  /** Where the server listens, e.g. `http://127.0.0.1:4000`. */
  baseURL: string;
}

/**
 * Stock Better-Auth 1.7 on OUR schema: only the model names are mapped. The Prisma adapter
 * addresses the client as `prisma[modelName]`, so `session` → `userSession` reaches the
 * `UserSession` model; `user`, `account` and `verification` already match. Everything else is
 * Better-Auth's default, except the rate limiter: it would turn a load test into a 429 test.
 */
export function createStockAuth(options: StockAuthOptions) {
  return betterAuth({
    secret: options.secret,
    baseURL: options.baseURL,
    database: prismaAdapter(options.prisma, { provider: 'postgresql' }),
    emailAndPassword: { enabled: true },
    user: { modelName: 'user' },
    session: { modelName: 'userSession' },
    account: { modelName: 'account' },
    verification: { modelName: 'verification' },
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    plugins: [bearer()],
  });
}

export type StockAuth = ReturnType<typeof createStockAuth>;
