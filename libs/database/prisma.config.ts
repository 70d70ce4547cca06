// Prisma CLI configuration. `generate` needs no database, but `env('DATABASE_URL')` throws when
// unset, so a placeholder URL keeps `prisma generate` working on a fresh, offline clone.
import { defineConfig } from 'prisma/config';

const FALLBACK_URL = 'postgresql://postgres:postgres@127.0.0.1:5432/postgres';

export const prismaConfig = defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env['DATABASE_URL'] ?? FALLBACK_URL },
});

// The Prisma CLI reads the default export of prisma.config.ts; it is the one default export here.
export default prismaConfig;
