// Which test files run in which Nx target; each project's jest.config.js (target `test`) and
// jest.e2e.config.js (target `e2e`) read their lists from here, so one file decides.
//
// The rule: a file belongs to `e2e` when it starts processes of its own beyond the run's shared
// Postgres and Redis (a child server, a browser, the whole `npm run stack`, a Sentinel quorum or a
// streaming replica it fails over) or when it alone takes more than ~25 s on the loaded 2-core
// CI machine (Jest's per-file timings; the figures are beside each entry). Everything else —
// in-process apps against the shared servers, fakes, pure functions — is `test`: fast, run with
// the projects in parallel. Files are selected by path; none is moved or renamed for this.
//
// `smoke` is the small set .ci/run runs on the oldest supported Node (20): two whole libs and app
// files that cover sign-in, get-session, API keys, WebSockets and a database outage.
const fs = require('node:fs');
const path = require('node:path');

/** Paths relative to the project's root. */
const E2E = {
  'auth-service': [
    // Seconds: one file alone, 2 Jest workers, on the shared (loaded) 2-core machine.
    'src/features/console/console.e2e.test.ts', // 58 s: headless Chromium (tools/ci/install-system-deps.sh)
    'src/auth/outage.test.ts', // 38 s: a dedicated Postgres stopped and restarted
    'src/oidc/upstreamCallbackOutage.e2e.test.ts', // the harness IdP, a dedicated Postgres stopped and restarted
    'src/redisSentinel.e2e.test.ts', // 35 s: Sentinel quorum, failover
    'src/identity/security.e2e.test.ts', // 31 s
    'src/features/session/getSession.test.ts', // 30 s
    'src/features/betterAuth/api-key/apiKey.e2e.test.ts', // 28 s: two app instances
    'src/auth/pluginTables.e2e.test.ts', // 19 s: two app instances, every optional Better-Auth plugin
    'src/features/admin/adminConsoleRoutes.e2e.test.ts', // 27 s
    'src/features/betterAuth/roles/roles.e2e.test.ts', // 27 s
    'src/deployMetrics.e2e.test.ts', // 12 s: the app as a child process, scraped
    'src/data/replicas.e2e.test.ts', // 9 s: Postgres streaming replica, failover
    'src/data/patroniFailover.e2e.test.ts', // 30 s: Patroni cluster (etcd, 2 members, HAProxy), primary killed under load
    'src/data/replicaAccessReads.e2e.test.ts', // 10 s: Postgres streaming replica, replay paused
    'src/http/clientIdentity.e2e.test.ts', // HAProxy in front of the app (tools/ci/install-system-deps.sh)
    'src/main.e2e.test.ts', // 5 s: the app as a child process (tsx)
  ],
  database: [
    'src/cache/cache.sentinel.test.ts', // Sentinel quorum, failover
    'src/replicas/ReplicaRouter.test.ts', // Postgres streaming replica
  ],
  'test-harness': [
    'localSentinel.test.ts', // Sentinel quorum, failover
    'localReplica.test.ts', // Postgres streaming replica
    'localPatroni.test.ts', // 13 s: etcd, 2 Patroni members, HAProxy; primary killed, replica promoted
  ],
  tools: [
    'stack/stack.test.ts', // the whole local stack: HAProxy, Prometheus, 2 app processes, replicas, Sentinels
    'stack/stackHa.test.ts', // `--ha`: etcd, 2 Patroni members, the Postgres HAProxy, 1 app process; sign-up on the primary, stop leaves nothing
    'chaos/chaos.short.test.ts', // built app as child processes across Postgres crashes
    'bench/auth/childServer.test.ts', // child servers
    'bench/auth/stockServer.test.ts',
    'bench/auth/stockKeyServer.test.ts',
    'bench/auth/idle.test.ts',
    'release/consumer.test.ts', // packs the built libs and installs them into a project outside the workspace
    'release/independentVersions.test.ts', // nx release dry runs, which build the libs first
    'deploy/imageRuntime.e2e.test.ts', // builds the app, `npm ci --omit=dev` into a temp dir, the app from it as a child process
  ],
};

const SMOKE = {
  'auth-service': [
    'src/auth/flows.test.ts', // sign-up, sign-in, sign-out
    'src/features/session/getSession.test.ts', // get-session
    'src/features/betterAuth/api-key/apiKey.e2e.test.ts', // API keys, two instances
    'src/features/realtime/upgrade.e2e.test.ts', // /ws upgrade
    'src/auth/outage.test.ts', // database outage: 503, never 401
  ],
};

// A listed file that is gone (renamed, moved) must fail the run, not drop out of it silently.
const projectRoots = { 'auth-service': 'apps/auth-service', 'better-auth': 'libs/better-auth', database: 'libs/database', 'test-harness': 'tools/test-harness', tools: 'tools' };
for (const [project, files] of [...Object.entries(E2E), ...Object.entries(SMOKE)]) {
  for (const file of files) {
    const full = path.join(__dirname, projectRoots[project], file);
    if (!fs.existsSync(full)) throw new Error(`jest.targets.js lists ${projectRoots[project]}/${file}, which does not exist`);
  }
}

const escape = (file) => file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `testPathIgnorePatterns` for the `test` target: the defaults plus the project's e2e files. */
function unitIgnorePatterns(project, extra = []) {
  return ['/node_modules/', ...extra, ...(E2E[project] ?? []).map((file) => `<rootDir>/${escape(file)}$`)];
}

/** `testMatch` for a list of the project's files (absolute, so nothing else matches). */
function exactly(rootDir, files) {
  return files.map((file) => path.join(rootDir, file));
}

module.exports = {
  E2E,
  SMOKE,
  unitIgnorePatterns,
  /** The `e2e` target's jest config: the `test` config, restricted to the project's e2e files. */
  e2eConfig: (project, base) => ({ ...base, displayName: `${base.displayName}:e2e`, testMatch: exactly(base.rootDir, E2E[project]), testPathIgnorePatterns: ['/node_modules/'] }),
  /** The Node 20 smoke config: the `test` config restricted to the project's smoke files. */
  smokeConfig: (project, base) => ({ ...base, displayName: `${base.displayName}:smoke`, testMatch: exactly(base.rootDir, SMOKE[project]), testPathIgnorePatterns: ['/node_modules/'] }),
};
