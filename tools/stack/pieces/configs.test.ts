import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../stackState';
import { startLocalHaproxy } from '@tools/test-harness';
import { haproxyConfig } from './haproxy';
import { prometheusConfig } from './prometheus';

/** The loopback configs are derived from deploy/: each must pass its own engine's check. */
const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'stack-configs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('haproxyConfig (from deploy/haproxy.cfg)', () => {
  const cfg = haproxyConfig(read('deploy/haproxy.cfg'), {
    port: 17400,
    statsPort: 17401,
    servers: [{ name: 'app-1', port: 17410 }, { name: 'app-2', port: 17411 }],
    adminSocket: join(dir, 'haproxy.sock'),
    statsAuth: { user: 'stack', password: 'run-password' },
  });

  it('binds on loopback, routes to the stack instances only, without Docker resolvers', () => {
    expect(cfg).toContain('bind 127.0.0.1:17400');
    expect(cfg).toContain('bind 127.0.0.1:17401');
    expect(cfg.match(/^\s+server .*$/gm)).toEqual(['    server app-1 127.0.0.1:17410', '    server app-2 127.0.0.1:17411']);
    expect(cfg).not.toMatch(/resolvers|init-addr|auth-service-\d/);
    expect(cfg).toMatch(/^\s+maxconn 4096$/m);
    expect(cfg).toContain(`stats socket ${join(dir, 'haproxy.sock')} mode 600 level admin`);
  });

  it("uses this run's stats credentials instead of the template's environment, and keeps /metrics off the public frontend", () => {
    expect(cfg).toContain('    stats auth stack:run-password');
    expect(cfg).not.toContain('HAPROXY_STATS_');
    expect(cfg).toContain('http-request deny deny_status 404 if { path -m beg /metrics }');
  });

  it('keeps the health check and the retry rules of the template', () => {
    for (const line of ['http-check send meth GET uri /health/ready', 'option redispatch', 'retry-on conn-failure empty-response', 'disable-l7-retry unless METH_GET']) {
      expect(cfg).toContain(line);
    }
  });

  it('leaves the metrics frontend out unless it is given a port, and binds it on loopback when it is', () => {
    expect(cfg).not.toContain('frontend metrics');
    const withMetrics = haproxyConfig(read('deploy/haproxy.cfg'), { port: 17400, statsPort: 17401, metricsPort: 17402, servers: [], adminSocket: join(dir, 'm.sock') });
    expect(withMetrics).toMatch(/frontend metrics\n(?:.*\n)*?\s+bind 127\.0\.0\.1:17402\n/);
    expect(withMetrics).toContain('http-request use-service prometheus-exporter if { path /metrics }');
  });

  (has('haproxy') ? it : it.skip)("serves HAProxy's Prometheus exporter on the metrics port only", async () => {
    const haproxy = await startLocalHaproxy([]);
    try {
      const metrics = await fetch(haproxy.metricsUrl);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/^haproxy_process_start_time_seconds /m);
      const other = await fetch(haproxy.metricsUrl.replace('/metrics', '/'));
      expect(other.status).toBe(404);
      await other.arrayBuffer();
      const publicMetrics = await fetch(`${haproxy.url}/metrics`);
      expect(publicMetrics.status).toBe(404);
      await publicMetrics.arrayBuffer();
    } finally {
      await haproxy.stop();
    }
  });

  (has('haproxy') ? it : it.skip)('passes haproxy -c without warnings', () => {
    writeFileSync(join(dir, 'haproxy.cfg'), cfg);
    const result = spawnSync('haproxy', ['-c', '-f', join(dir, 'haproxy.cfg')], { encoding: 'utf8' });
    const output = `${result.stdout}${result.stderr}`;
    expect(output).toContain('Configuration file is valid');
    expect(output).not.toContain('[WARNING]');
    expect(result.status).toBe(0);
  });
});

describe('prometheusConfig (from deploy/prometheus/prometheus.yml)', () => {
  const { yaml, droppedJobs } = prometheusConfig(read('deploy/prometheus/prometheus.yml'), ['127.0.0.1:17410', '127.0.0.1:17411']);

  it('scrapes every instance in the app job and names the jobs it has no target for', () => {
    const config = parse(yaml) as { scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>; rule_files: string[] };
    expect(config.scrape_configs.map((j) => j.job_name)).toEqual(['auth-service']);
    expect(config.scrape_configs[0].static_configs).toEqual([{ targets: ['127.0.0.1:17410', '127.0.0.1:17411'] }]);
    expect(config.rule_files).toEqual(['alerts.yml']);
    expect(droppedJobs).toEqual(['haproxy', 'patroni', 'haproxy-postgres', 'postgres']);
  });

  it('with `--ha`: the Patroni members and the Postgres HAProxy scraped on their loopback ports', () => {
    const ha = prometheusConfig(read('deploy/prometheus/prometheus.yml'), ['127.0.0.1:17410'], { patroni: ['127.0.0.1:18008', '127.0.0.1:18009'], 'haproxy-postgres': ['127.0.0.1:18406'] });
    const config = parse(ha.yaml) as { scrape_configs: Array<{ job_name: string; metrics_path: string; static_configs: Array<{ targets: string[] }> }> };
    expect(config.scrape_configs.map((j) => [j.job_name, j.metrics_path, j.static_configs[0].targets])).toEqual([
      ['auth-service', '/metrics', ['127.0.0.1:17410']],
      ['patroni', '/metrics', ['127.0.0.1:18008', '127.0.0.1:18009']],
      ['haproxy-postgres', '/metrics', ['127.0.0.1:18406']],
    ]);
    expect(ha.droppedJobs).toEqual(['haproxy', 'postgres']);
    expect(() => prometheusConfig(read('deploy/prometheus/prometheus.yml'), [], { nope: [] })).toThrow(/no "nope" job/);
  });

  (has('promtool') ? it : it.skip)('passes promtool check config with the alert rules beside it', () => {
    writeFileSync(join(dir, 'prometheus.yml'), yaml);
    copyFileSync(join(REPO_ROOT, 'deploy/prometheus/alerts.yml'), join(dir, 'alerts.yml'));
    const result = spawnSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8' });
    expect(`${result.stdout}${result.stderr}`).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});
