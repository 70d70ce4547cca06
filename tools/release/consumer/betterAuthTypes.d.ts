// Better-Auth 1.7's own declarations name `Database` of `bun:sqlite` and `DatabaseSync` of
// `node:sqlite` (its SQLite adapters). A Node project without Bun's types and with @types/node
// before 22 has neither; with `skipLibCheck: false` (the consumer test checks our declarations
// too) these stand in.
declare module 'bun:sqlite' {
  export class Database {}
}
declare module 'node:sqlite' {
  export class DatabaseSync {}
}
