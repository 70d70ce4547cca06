import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { withDatabase } from './databaseUrl';
import { LocalPostgres } from './localPostgres';
import { LocalRedis } from './localRedis';
import { requireBinary } from './requireBinary';

export { LocalPostgres, type LocalPostgresOptions, type StopMode } from './localPostgres';
export { startPostgresWithReplica, type PostgresWithReplica, type PostgresWithReplicaOptions } from './localReplica';
export { LocalRedis, redisCommand, type LocalRedisOptions } from './localRedis';
export { startRedisWithSentinel, type RedisSentinelOptions, type RedisSentinelSetup, type SentinelAddress } from './localSentinel';
export { freePort, waitFor } from './ports';
export { processAlive } from './processAlive';
export { PATRONI_PG_BIN_DIR, startPatroniCluster, type PatroniCluster, type PatroniClusterOptions, type PatroniMemberState, type PatroniNode } from './localPatroni';
export { PATRONI_TIMINGS, patroniHaproxyConfig } from './patroniConfig';
export { withDatabase } from './databaseUrl';
export { HAPROXY_BACKEND, haproxyConfig, startLocalHaproxy, type HaproxyConfigOptions, type LocalHaproxy } from './localHaproxy';
export { findBinary, INSTALL_SCRIPT, requireBinary } from './requireBinary';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run this test through a Jest config that uses tools/test-harness/jest.harness.js`);
  }
  return value;
}

/** The shared run's Postgres (admin URL, database `postgres`). */
export function harnessPostgresUrl(): string {
  return required('HARNESS_PG_URL');
}

/** The shared run's Redis URL. */
export function harnessRedisUrl(): string {
  return required('HARNESS_REDIS_URL');
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface CreateTestDatabaseOptions {
  /** Clone this template (`templateDatabase`) instead of starting empty. @default template1 (empty) */
  template?: string;
}

/** A fresh database on the run's Postgres, for one test file: empty, or a clone of `template`. */
export async function createTestDatabase(prefix = 't', options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const base = harnessPostgresUrl();
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(5).toString('hex')}`;
  await admin(base, (c) => c.query(`CREATE DATABASE "${name}"${options.template ? ` TEMPLATE "${options.template}"` : ''}`));
  return {
    name,
    url: withDatabase(base, name),
    drop: () => admin(base, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

export { templateDatabase } from './templateDatabase';

/**
 * A Postgres server of the test's own, which the test may stop and restart (outage tests).
 * Always local binaries: a shared or containerised server cannot be stopped by one test.
 */
export function startDedicatedPostgres(): Promise<LocalPostgres> {
  return LocalPostgres.create();
}

/** A redis-server of the test's own, which the test may stop and restart. */
export function startDedicatedRedis(): Promise<LocalRedis> {
  return LocalRedis.create(requireBinary('redis-server'));
}

/** Jest's globalSetup / globalTeardown, for runners configured in code (the vitest conformance suites). */
export { default as startHarnessServices } from './globalSetup';
export { default as stopHarnessServices } from './globalTeardown';
export { HarnessOidcProvider, startOidcProvider, type OidcProviderCounts, type OidcProviderOptions } from './oidcProvider';
export { Browser } from './browser';
export { startLocalSmtp, type LocalSmtp, type LocalSmtpOptions, type ReceivedMail } from './localSmtp';
