import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { patroniHaproxyConfig, requireBinary } from '@tools/test-harness';
import { appConfigVariables } from './appSources';

/**
 * The static half of the compose stack (issue 15): no container runtime here, so each config is
 * checked by its own engine (promtool, haproxy -c) and the compose file is cross-checked against
 * the app's configuration schema, HAProxy's backends and Prometheus' targets. That every metric
 * the dashboard and the alerts query exists in a real scrape is checked beside the app
 * (apps/auth-service/src/deployMetrics.e2e.test.ts): tools may not import the app.
 */
const root = join(__dirname, '..', '..');
const deploy = join(root, 'deploy');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface ComposeService {
  image?: string;
  command?: string[] | string;
  entrypoint?: string[] | string;
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
const services = compose.services;
const appServices = Object.keys(services).filter((name) => /^auth-service-\d+$/.test(name)).sort();

function run(command: string, args: string[], env: Record<string, string> = {}): { status: number | null; output: string } {
  const result = spawnSync(requireBinary(command), args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.error) throw new Error(`${command} could not run: ${result.error.message}`);
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

describe('deploy/: each config passes its own engine', () => {
  it('promtool check config (which also loads alerts.yml)', () => {
    const { status, output } = run('promtool', ['check', 'config', join(deploy, 'prometheus', 'prometheus.yml')]);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it('promtool check rules', () => {
    const { status, output } = run('promtool', ['check', 'rules', join(deploy, 'prometheus', 'alerts.yml')]);
    expect(output).toMatch(/SUCCESS: \d+ rules found/);
    expect(status).toBe(0);
  });

  it.each([
    ['haproxy.cfg', /could not resolve address 'auth-service-\d'/],
    ['haproxy-postgres.cfg', /could not resolve address 'patroni-\d'/],
  ])('haproxy -c %s (service names resolve at run time, so only resolution warnings are allowed)', (file, warningShape) => {
    // The stats credentials come from the environment, as in compose.
    const { status, output } = run('haproxy', ['-c', '-f', join(deploy, file)], { HAPROXY_STATS_USER: 'check', HAPROXY_STATS_PASSWORD: 'check-password' });
    expect(output).toContain('Configuration file is valid');
    expect(status).toBe(0);
    const warnings = output.split('\n').filter((line) => line.includes('[WARNING]') && !line.includes('Warnings were found'));
    for (const warning of warnings) expect(warning).toMatch(warningShape);
  });
});

/** What compose would pass for a value with `${…}` interpolations (each replaced by `X`). */
const substituted = (value: string) => value.replace(/\$\{[^}]+\}/g, 'X');

/** `${NAME:?…}`: compose refuses to start while NAME is unset or empty in the environment / .env. */
const REQUIRED_FROM_ENV = /^\$\{([A-Z][A-Z0-9_]*):\?[^}]+\}$/;
const SECRET_NAME = /PASSWORD|SECRET|TOKEN_KEY|_PASS$|_USER$|USERNAME$/;

describe('no shipped secrets', () => {
  it('every secret in docker-compose.yml is read from .env, never a literal value', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [variable, value] of Object.entries(service.environment ?? {})) {
        if (SECRET_NAME.test(variable) && !['POSTGRES_USER', 'REPLICATION_USER', 'DATA_SOURCE_USER', 'PGUSER'].includes(variable)) expect({ name, variable, value }).toEqual({ name, variable, value: expect.stringMatching(REQUIRED_FROM_ENV) });
        if (/^postgres(ql)?:\/\//.test(String(value))) {
          for (const url of String(value).split(',')) expect({ name, variable, password: decodeURIComponent(new URL(url.replace(/\$\{[^}]+\}/, 'X')).password) }).toEqual({ name, variable, password: 'X' });
          expect(String(value)).toMatch(/:\$\{POSTGRES_PASSWORD:\?[^}]+\}@/);
        }
      }
    }
    // The values once committed here are gone from the file.
    for (const literal of ['compose-dev-secret', 'auth-service-dev-secret', 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY', 'PASSWORD: admin', 'PASSWORD: auth', 'auth:auth@']) expect(read('docker-compose.yml')).not.toContain(literal);
    expect(read('docker/keycloak/realm-app.json')).toContain('"secret": "${OIDC_CLIENT_SECRET}"');
  });

  it('.env.example names every variable compose requires, with a command that generates it, and holds no value', () => {
    const required = new Set([...read('docker-compose.yml').matchAll(/\$\{([A-Z][A-Z0-9_]*):\?/g)].map((m) => m[1]));
    const example = read('.env.example');
    const assigned = new Map([...example.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    expect([...required].sort()).toEqual([...assigned.keys()].sort());
    for (const [variable, value] of assigned) expect({ variable, value }).toEqual({ variable, value: '' });
    for (const variable of required) {
      if (/_USER$/.test(variable)) continue;
      // The comment block right above the variable says how to generate it.
      const before = example.slice(0, example.indexOf(`\n${variable}=`)).split('\n').slice(-3).join('\n');
      expect({ variable, generated: /openssl rand -(base64|hex) 32/.test(before) }).toEqual({ variable, generated: true });
    }
    expect(read('.gitignore')).toMatch(/^\.env$/m);
  });

  it('Redis requires a password and is not published on the host', () => {
    for (const name of ['redis', 'redis-replica', 'redis-sentinel']) expect({ name, ports: services[name].ports }).toEqual({ name, ports: undefined });
    expect(String(services.redis.command)).toContain('--requirepass "$$REDIS_PASSWORD"');
    expect(String(services['redis-replica'].command)).toMatch(/--requirepass "\$\$REDIS_PASSWORD" --masterauth "\$\$REDIS_PASSWORD"/);
    expect(services.redis.healthcheck!.test.join(' ')).toContain('REDISCLI_AUTH');
    const app = services[appServices[0]].environment!;
    expect(app.REDIS_PASSWORD).toBe(services.redis.environment!.REDIS_PASSWORD);
  });

  it('HAProxy stats ask for credentials from the environment; /metrics is not answered on the public frontend', () => {
    const cfg = read('deploy/haproxy.cfg');
    const section = (name: string) => cfg.split(/^(?=frontend |backend |defaults|global)/m).find((block) => block.startsWith(name))!;
    expect(section('frontend stats')).toMatch(/^\s+stats auth "\$\{HAPROXY_STATS_USER\}:\$\{HAPROXY_STATS_PASSWORD\}"$/m);
    expect(services.haproxy.environment).toEqual({ HAPROXY_STATS_USER: expect.stringMatching(REQUIRED_FROM_ENV), HAPROXY_STATS_PASSWORD: expect.stringMatching(REQUIRED_FROM_ENV) });
    expect(section('frontend http')).toMatch(/^\s+http-request deny deny_status 404 if \{ path -m beg \/metrics \}$/m);
    // Prometheus reaches /metrics on each instance's internal port, which is exposed, not published.
    for (const name of appServices) expect(services[name].ports).toBeUndefined();
  });

  it('Grafana admin credentials come from the environment', () => {
    const env = services.grafana.environment!;
    expect(env.GF_SECURITY_ADMIN_USER).toMatch(REQUIRED_FROM_ENV);
    expect(env.GF_SECURITY_ADMIN_PASSWORD).toMatch(REQUIRED_FROM_ENV);
  });
});

describe('docker-compose.yml, cross-checked', () => {
  it('has the whole topology, every image pinned to a version', () => {
    for (const name of ['etcd', 'patroni-1', 'patroni-2', 'patroni-3', 'haproxy-postgres', 'postgres-create-db', 'redis', 'redis-sentinel', 'keycloak', 'mailpit', 'haproxy', 'prometheus', 'grafana', 'migrate']) {
      expect(services[name]).toBeDefined();
    }
    expect(appServices).toEqual(['auth-service-1', 'auth-service-2', 'auth-service-3']);
    for (const [name, service] of Object.entries(services)) {
      expect({ name, image: service.image }).toEqual({ name, image: expect.stringMatching(/^[\w./-]+:[\w.-]+$/) });
      expect(service.image).not.toMatch(/:latest$/);
    }
    // An image with Patroni in it, the operator's choice, said so beside it.
    expect(services['patroni-1'].image).toMatch(/^ghcr\.io\/zalando\/spilo-\d+:/);
    expect(read('docker-compose.yml')).toMatch(/Any image with Patroni and Postgres will do — the operator's choice/);
    expect(services.redis.image).toMatch(/^redis:7/);
  });

  it('every depends_on names a service, with a condition the target can meet', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [target, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect({ name, target, exists: target in services }).toEqual({ name, target, exists: true });
        if (condition === 'service_healthy') expect({ target, healthcheck: Boolean(services[target].healthcheck) }).toEqual({ target, healthcheck: true });
        expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(condition);
      }
    }
  });

  it('no two services publish the same host port', () => {
    const published = Object.values(services).flatMap((service) => (service.ports ?? []).map((port) => port.split(':')[0]));
    expect(new Set(published).size).toBe(published.length);
  });

  it('every mounted file or directory exists in the repository', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('.')) expect({ name, source, exists: existsSync(join(root, source)) }).toEqual({ name, source, exists: true });
      }
    }
    expect(existsSync(join(root, 'docker', 'keycloak', 'realm-app.json'))).toBe(true);
  });

  it('the app instances: same image and environment, every variable known to the config schema, URLs pointing at compose services', () => {
    const known = appConfigVariables();
    expect(known.has('DATABASE_URL') && known.has('OIDC_ISSUER') && known.has('WS_MAX_CONNECTIONS')).toBe(true);
    const first = services[appServices[0]];
    for (const name of appServices) {
      const service = services[name];
      expect(service.image).toBe(first.image);
      expect(service.environment).toEqual(first.environment);
      for (const variable of Object.keys(service.environment ?? {})) expect({ name, variable, known: known.has(variable) }).toEqual({ name, variable, known: true });
      expect(service.depends_on).toMatchObject({ migrate: { condition: 'service_completed_successfully' }, 'haproxy-postgres': { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    }
    const env = first.environment!;
    // Several instances must sign and verify with one secret, and production requires it.
    expect(env.NODE_ENV).toBe('production');
    expect(env.BETTER_AUTH_SECRET).toMatch(/^\$\{BETTER_AUTH_SECRET:\?/);
    expect(env.HOST).toBe('0.0.0.0');
    // Writes through HAProxy's write port (the Patroni primary), reads through its read port.
    expect(new URL(substituted(env.DATABASE_URL)).host).toBe('haproxy-postgres:5000');
    // Redis through the compose Sentinel, under the name it monitors (REDIS_URL would pin one node).
    expect(env.REDIS_URL).toBeUndefined();
    const [sentinelHost, sentinelPort] = env.REDIS_SENTINELS.split(':');
    expect(sentinelHost).toBe('redis-sentinel');
    expect(read('deploy/redis/sentinel.conf')).toMatch(new RegExp(`^port ${sentinelPort}$`, 'm'));
    expect(read('deploy/redis/sentinel.conf')).toMatch(new RegExp(`^sentinel monitor ${env.REDIS_SENTINEL_MASTER} redis 6379 \\d+$`, 'm'));
    // The public URL is HAProxy's published port.
    expect(services.haproxy.ports).toContain(`${new URL(env.BETTER_AUTH_URL).port}:8000`);
    expect(first.expose).toContain(env.PORT);
    const [user, password, db] = [services['patroni-1'].environment!.PGUSER_SUPERUSER, services['patroni-1'].environment!.PGPASSWORD_SUPERUSER, 'auth'];
    expect(env.DATABASE_URL).toBe(`postgresql://${user}:${password}@haproxy-postgres:5000/${db}`);
    expect(services.migrate.environment).toEqual({ DATABASE_URL: env.DATABASE_URL });
    // Lag-tolerant reads on the replica: same role and database as the primary (a physical copy).
    const replicaUrl = new URL(substituted(env.DATABASE_REPLICA_URLS));
    expect(replicaUrl.host).toBe('haproxy-postgres:5001');
    expect(`${replicaUrl.username}:${replicaUrl.password}${replicaUrl.pathname}`).toBe(`${user}:${substituted(password)}/${db}`);
    // Production sends mail: through Mailpit's SMTP port on the network; its UI is published.
    const smtp = new URL(env.SMTP_URL);
    expect({ protocol: smtp.protocol, host: smtp.hostname, port: smtp.port }).toEqual({ protocol: 'smtp:', host: 'mailpit', port: '1025' });
    expect(services.mailpit.image).toMatch(/^axllent\/mailpit:v\d/);
    expect(services.mailpit.expose).toContain('1025');
    expect(services.mailpit.ports).toContain('8025:8025');
    expect(first.depends_on).toMatchObject({ mailpit: { condition: 'service_started' } });
  });

  it('the Patroni members: one image and environment, etcd as the DCS, synchronous_mode, health-checked on the REST API', () => {
    const members = Object.keys(services).filter((name) => /^patroni-\d+$/.test(name)).sort();
    expect(members).toEqual(['patroni-1', 'patroni-2', 'patroni-3']);
    for (const name of members) {
      expect(services[name].image).toBe(services['patroni-1'].image);
      expect(services[name].environment).toEqual(services['patroni-1'].environment);
      expect(services[name].healthcheck!.test.join(' ')).toContain('http://127.0.0.1:8008/health');
      expect(services[name].depends_on).toEqual({ etcd: { condition: 'service_healthy' } });
      expect(services[name].expose).toEqual(expect.arrayContaining(['5432', '8008']));
    }
    const env = services['patroni-1'].environment!;
    expect(env.ETCD3_HOSTS).toBe("'etcd:2379'");
    expect(services.etcd.command).toEqual(expect.arrayContaining(['--advertise-client-urls=http://etcd:2379']));
    const dcs = (parse(env.SPILO_CONFIGURATION) as { bootstrap: { dcs: Record<string, unknown> } }).bootstrap.dcs;
    expect(dcs).toMatchObject({ synchronous_mode: true, primary_start_timeout: 0, postgresql: { use_pg_rewind: true } });
    expect(read('docker-compose.yml')).toMatch(/production runs 3 or\s+#\s+5 etcd members on separate hosts/);
    // The app's database is created once on the primary, before the migration.
    expect(services['postgres-create-db'].environment).toMatchObject({ PGHOST: 'haproxy-postgres', PGPORT: '5000' });
    expect(services.migrate.depends_on).toEqual({ 'postgres-create-db': { condition: 'service_completed_successfully' } });
  });

  it('the Postgres HAProxy: the write port on GET /primary, the read port on GET /replica, each member checked on its REST API, with the checks the local cluster runs', () => {
    const cfg = read('deploy/haproxy-postgres.cfg');
    const section = (name: string) => cfg.split(/^(?=listen |frontend |backend |defaults|global|resolvers)/m).find((block) => block.startsWith(name))!;
    const members = Object.keys(services).filter((name) => /^patroni-\d+$/.test(name)).sort();
    for (const [name, port, path] of [['listen primary', '5000', '/primary'], ['listen replicas', '5001', '/replica']]) {
      const block = section(name);
      expect(block).toMatch(new RegExp(`^\\s+bind :${port}$`, 'm'));
      expect(block).toContain(`http-check send meth GET uri ${path}`);
      expect(block).toContain('http-check expect status 200');
      expect([...block.matchAll(/^\s+server (\S+) (\S+):5432 check port 8008$/gm)].map((m) => m[2]).sort()).toEqual(members);
      // The same check timings and connection cut as tools/test-harness/patroniConfig.ts.
      const local = patroniHaproxyConfig({ write: 1, read: 2, stats: 3 }, [{ name: 'pg0', restPort: 4, pgPort: 5, dir: '/x' }]);
      const localDefault = /default-server (.*)$/m.exec(local)![1];
      expect(block).toContain(`default-server ${localDefault}`);
    }
    expect(section('listen stats')).toMatch(/^\s+stats auth "\$\{HAPROXY_STATS_USER\}:\$\{HAPROXY_STATS_PASSWORD\}"$/m);
    expect(section('frontend metrics')).toContain('http-request use-service prometheus-exporter');
    expect(services['haproxy-postgres'].healthcheck!.test.join(' ')).toContain('haproxy_backend_active_servers');
    expect(services['haproxy-postgres'].volumes).toContain('./deploy/haproxy-postgres.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro');
  });

  it('Sentinel monitors the compose Redis, which has a replica to promote', () => {
    const sentinel = read('deploy/redis/sentinel.conf');
    expect(sentinel).toMatch(/^sentinel monitor mymaster redis 6379 \d+$/m);
    expect(String(services['redis-replica'].command)).toContain('--replicaof redis 6379');
    expect(services['redis-sentinel'].command).toEqual(['sh', '-c', expect.stringContaining('sentinel auth-pass mymaster $$REDIS_PASSWORD')]);
  });

  it('HAProxy balances exactly the app instances, health-checked on /health/ready', () => {
    const cfg = read('deploy/haproxy.cfg');
    const servers = [...cfg.matchAll(/^\s*server (\S+) (\S+):(\d+)/gm)].map(([, name, host, port]) => ({ name, host, port }));
    expect(servers.map((s) => s.host).sort()).toEqual(appServices);
    for (const server of servers) expect(server.port).toBe(services[server.host].environment!.PORT);
    expect(cfg).toMatch(/http-check send meth GET uri \/health\/ready/);
    expect(cfg).toMatch(/http-check expect status 200/);
    expect(cfg).toMatch(/default-server .*\bcheck\b/);
    expect(cfg).toMatch(/^\s*bind :8000$/m);
    expect(Object.keys(services.haproxy.depends_on ?? {}).sort()).toEqual(appServices);
  });

  it('Prometheus scrapes every app instance directly, and the exporter; Grafana reads that Prometheus', () => {
    const prometheus = parse(read('deploy/prometheus/prometheus.yml')) as { rule_files: string[]; scrape_configs: Array<{ job_name: string; metrics_path?: string; static_configs: Array<{ targets: string[] }> }> };
    const job = (name: string) => prometheus.scrape_configs.find((c) => c.job_name === name)!;
    const appTargets = job('auth-service').static_configs.flatMap((c) => c.targets).sort();
    expect(appTargets).toEqual(appServices.map((name) => `${name}:${services[name].environment!.PORT}`));
    expect(job('auth-service').metrics_path ?? '/metrics').toBe('/metrics');
    const [exporterHost, exporterPort] = job('postgres').static_configs[0].targets[0].split(':');
    expect(services[exporterHost].expose).toContain(exporterPort);
    expect(services[exporterHost].environment!.DATA_SOURCE_URI).toMatch(/^haproxy-postgres:5001\//);
    // Patroni's own /metrics on every member, and the Postgres HAProxy's exporter.
    expect(job('patroni').static_configs.flatMap((c) => c.targets).sort()).toEqual(['patroni-1:8008', 'patroni-2:8008', 'patroni-3:8008']);
    expect(job('haproxy-postgres').static_configs[0].targets).toEqual(['haproxy-postgres:8406']);
    expect(prometheus.rule_files).toEqual(['alerts.yml']);
    expect(services.prometheus.volumes).toContain('./deploy/prometheus:/etc/prometheus:ro');

    const datasource = parse(read('deploy/grafana/provisioning/datasources/prometheus.yml')) as { datasources: Array<{ uid: string; url: string }> };
    expect(datasource.datasources[0].url).toBe('http://prometheus:9090');
    const dashboard = JSON.parse(read('deploy/grafana/dashboards/auth-service.json')) as { panels: Array<{ datasource: { uid: string }; targets: Array<{ expr: string }> }> };
    for (const panel of dashboard.panels) expect(panel.datasource.uid).toBe(datasource.datasources[0].uid);
    const provider = parse(read('deploy/grafana/provisioning/dashboards/auth-service.yml')) as { providers: Array<{ options: { path: string } }> };
    expect(services.grafana.volumes).toContain(`./deploy/grafana/dashboards:${provider.providers[0].options.path}:ro`);
  });

  it('the alerts the issue asks for are there: breaker open, 5xx rate, p99, replica lag', () => {
    const alerts = parse(read('deploy/prometheus/alerts.yml')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
    const exprs = alerts.groups.flatMap((g) => g.rules).map((r) => r.expr).join('\n');
    expect(exprs).toContain('auth_circuit_breaker_state{state="open"}');
    expect(exprs).toMatch(/status_code=~"5\.\."/);
    expect(exprs).toContain('histogram_quantile(0.99');
    expect(exprs).toContain('pg_replication_lag_seconds');
    const names = alerts.groups.flatMap((g) => g.rules).map((r) => r.alert);
    expect(names).toEqual(expect.arrayContaining(['PostgresNoPrimary', 'PostgresFailoverHappened', 'AuthDatabaseBreakerOpen']));
  });
});
