import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startTestApp, type TestApp } from './testing/testApp';

/**
 * Every metric the Grafana dashboard and the Prometheus alerts (deploy/) query exists in a real
 * `/metrics` scrape of the app, after a few requests. Metrics of the Postgres exporter (`pg_*`)
 * and Prometheus' own `up` are not the app's; they are listed here so that nothing else slips by.
 */
const root = join(__dirname, '..', '..', '..');
const NOT_THE_APP = new Set(['up', 'pg_replication_lag_seconds', 'pg_up']);
const PROMQL_WORDS = new Set([
  'sum', 'max', 'min', 'avg', 'count', 'by', 'without', 'rate', 'irate', 'increase', 'histogram_quantile', 'on', 'ignoring',
  'group_left', 'group_right', 'and', 'or', 'unless', 'offset', 'bool', 'topk', 'bottomk', 'abs', 'clamp_min', 'clamp_max',
]);

/** Metric names in a PromQL expression: identifiers outside label matchers, strings and ranges, not functions or keywords. */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '[]')
    // `by (le, route)` / `without (...)`: label names, not metrics.
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![\w$.])([a-zA-Z_:][\w:]*)(\s*\()?/g)) {
    if (!match[2] && !PROMQL_WORDS.has(match[1])) names.add(match[1]);
  }
  return [...names];
}

function queriedMetrics(): Map<string, string> {
  const where = new Map<string, string>();
  const dashboard = JSON.parse(readFileSync(join(root, 'deploy/grafana/dashboards/auth-service.json'), 'utf8')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
  for (const panel of dashboard.panels) for (const { expr } of panel.targets) for (const name of metricNames(expr)) where.set(name, `panel "${panel.title}"`);
  const alerts = parse(readFileSync(join(root, 'deploy/prometheus/alerts.yml'), 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
  for (const rule of alerts.groups.flatMap((g) => g.rules)) for (const name of metricNames(rule.expr)) where.set(name, `alert ${rule.alert}`);
  return where;
}

/** Names a scrape exposes: every `# TYPE` family (present even before its first sample) and its histogram series. */
function scrapedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
  }
  return names;
}

describe('deploy/ queries only metrics the app exports', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ redis: true });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('extracts metric names from PromQL', () => {
    expect(metricNames('histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{route!="/metrics"}[5m]))) > 0.5').sort()).toEqual(['http_request_duration_seconds_bucket']);
    expect(metricNames('sum(rate(a_total{event="x"}[$__rate_interval])) / sum by (instance) (b)').sort()).toEqual(['a_total', 'b']);
    expect(metricNames('up{job="auth-service"} == 0')).toEqual(['up']);
  });

  it('every metric of a dashboard panel or an alert is in a real scrape', async () => {
    const email = `metrics-${Date.now()}@example.com`;
    const signUp = await fetch(`${app.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.url },
      body: JSON.stringify({ email, password: 'a long password 123', name: 'Metrics' }),
    });
    expect(signUp.status).toBe(200);
    const token = (await signUp.json()) as { token: string };
    expect((await fetch(`${app.url}/api/auth/get-session`, { headers: { authorization: `Bearer ${token.token}` } })).status).toBe(200);
    expect((await fetch(`${app.url}/health/ready`)).status).toBe(200);
    expect((await fetch(`${app.url}/no/such/route`)).status).toBe(404);

    const scrape = await fetch(`${app.url}/metrics`);
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    const exported = scrapedNames(text);
    const queried = queriedMetrics();
    expect(queried.size).toBeGreaterThan(5);
    const missing = [...queried].filter(([name]) => !exported.has(name) && !NOT_THE_APP.has(name)).map(([name, where]) => `${name} (${where})`);
    expect(missing).toEqual([]);
    // The requests above are in the HTTP histogram, by route pattern.
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/api\/auth\/\*"[^}]*status_code="200"/);
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="unmatched"[^}]*status_code="404"/);
  });
});
