import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { waitFor } from '@tools/test-harness';
import { CIRCUIT_BREAKER_STATES } from '@libs/monitoring';
import { startTestApp, type TestApp } from './testing/testApp';

/**
 * Every metric the Grafana dashboard and the Prometheus alerts (deploy/) query exists in a real
 * `/metrics` scrape of the app, after a few requests. Metrics of the Postgres exporter (`pg_*`)
 * and Prometheus' own `up` are not the app's; they are listed here so that nothing else slips by.
 */
const root = join(__dirname, '..', '..', '..');
const NOT_THE_APP = new Set(['up', 'pg_replication_lag_seconds', 'pg_up']);
/** Patroni's and the Postgres HAProxy's metrics: checked against their real scrape in tools/stack/stackHa.test.ts. */
const PATRONI_OR_HAPROXY = /^(patroni|haproxy)_/;
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

/** Every PromQL expression of the dashboard and the alerts, with where it is. */
function queries(): Array<{ expr: string; where: string }> {
  const dashboard = JSON.parse(readFileSync(join(root, 'deploy/grafana/dashboards/auth-service.json'), 'utf8')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
  const alerts = parse(readFileSync(join(root, 'deploy/prometheus/alerts.yml'), 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
  return [
    ...dashboard.panels.flatMap((panel) => panel.targets.map(({ expr }) => ({ expr, where: `panel "${panel.title}"` }))),
    ...alerts.groups.flatMap((g) => g.rules).map((rule) => ({ expr: rule.expr, where: `alert ${rule.alert}` })),
  ];
}

function queriedMetrics(): Map<string, string> {
  const where = new Map<string, string>();
  for (const query of queries()) for (const name of metricNames(query.expr)) where.set(name, query.where);
  return where;
}

/** `metric{label="value", …}` selectors of a PromQL expression: metric name and each matcher. */
export function selectors(expr: string): Array<{ metric: string; label: string; op: string; value: string }> {
  const found: Array<{ metric: string; label: string; op: string; value: string }> = [];
  for (const [, metric, body] of expr.matchAll(/([a-zA-Z_:][\w:]*)\{([^}]*)\}/g)) {
    for (const [, label, op, value] of body.matchAll(/(\w+)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)) found.push({ metric, label, op, value });
  }
  return found;
}

/** The metric table of docs/metrics.md: name, type and label names per family. */
function documentedFamilies(): Map<string, { type: string; labels: string[] }> {
  const doc = readFileSync(join(root, 'docs/metrics.md'), 'utf8');
  const table = doc.slice(doc.indexOf('<!-- metrics-table:start -->'), doc.indexOf('<!-- metrics-table:end -->'));
  const families = new Map<string, { type: string; labels: string[] }>();
  for (const [, name, type, labels] of table.matchAll(/^\| `([a-z_:]+)` \| (\w+) \| ([^|]*) \|/gm)) {
    families.set(name, { type, labels: [...labels.matchAll(/^`(\w+)`|, `(\w+)`/g)].map((m) => m[1] ?? m[2]) });
  }
  return families;
}

/** Event names of docs/metrics.md as patterns (`<reason>` stands for one dot-free segment). */
function documentedEvents(): RegExp[] {
  const doc = readFileSync(join(root, 'docs/metrics.md'), 'utf8');
  const table = doc.slice(doc.indexOf('<!-- events-table:start -->'), doc.indexOf('<!-- events-table:end -->'));
  const names = table.split('\n').flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]));
  return names.map((name) => new RegExp(`^${name.replace(/[.]/g, '\\.').replace(/<[^>]+>/g, '[^.]+')}$`));
}

/** Series labels of each family in a scrape (histogram series under their family's name). */
function scrapedLabels(text: string): Map<string, Set<string>> {
  const families = scrapedFamilies(text);
  const labels = new Map<string, Set<string>>();
  for (const [, series, body] of text.matchAll(/^([a-zA-Z_:][\w:]*)\{([^}]*)\}/gm)) {
    const family = families.has(series) ? series : series.replace(/_(bucket|sum|count)$/, '');
    const set = labels.get(family) ?? new Set<string>();
    for (const [, label] of body.matchAll(/(\w+)="/g)) set.add(label);
    labels.set(family, set);
  }
  return labels;
}

function scrapedFamilies(text: string): Map<string, string> {
  return new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name, type]) => [name, type]));
}

/** Labels Prometheus or the registry add to every series. */
const ADDED_LABELS = new Set(['instance', 'job', 'service', 'le']);

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
    // Debug logging and a short snapshot interval: the periodic snapshot is checked below.
    app = await startTestApp({ redis: true, env: { LOG_LEVEL: 'debug', METRICS_SNAPSHOT_INTERVAL_MS: '100' } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('extracts metric names and label matchers from PromQL', () => {
    expect(selectors('max by (breaker) (a_state{state="half-open", breaker=~"db\\\\..*"}) + b{x!="1"}')).toEqual([
      { metric: 'a_state', label: 'state', op: '=', value: 'half-open' },
      { metric: 'a_state', label: 'breaker', op: '=~', value: 'db\\\\..*' },
      { metric: 'b', label: 'x', op: '!=', value: '1' },
    ]);
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
    const missing = [...queried].filter(([name]) => !exported.has(name) && !NOT_THE_APP.has(name) && !PATRONI_OR_HAPROXY.test(name)).map(([name, where]) => `${name} (${where})`);
    expect(missing).toEqual([]);
    // The requests above are in the HTTP histogram, by route pattern.
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/api\/auth\/\*"[^}]*status_code="200"/);
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="unmatched"[^}]*status_code="404"/);
    // A raw URL never becomes a label value.
    expect(text).not.toContain('/no/such/route');

    // docs/metrics.md lists exactly the families of the scrape, with their type and labels.
    const documented = documentedFamilies();
    const families = scrapedFamilies(text);
    expect([...families.keys()].sort()).toEqual([...documented.keys()].sort());
    const labels = scrapedLabels(text);
    for (const [name, { type, labels: names }] of documented) {
      expect([name, families.get(name)]).toEqual([name, type]);
      const unexpected = [...(labels.get(name) ?? [])].filter((label) => !ADDED_LABELS.has(label) && !names.includes(label));
      expect([name, unexpected]).toEqual([name, []]);
    }
    // Every event in the scrape is documented.
    const events = documentedEvents();
    const scrapedEvents = [...text.matchAll(/auth_events_total\{[^}]*event="([^"]+)"/g)].map((m) => m[1]);
    expect(scrapedEvents.length).toBeGreaterThan(0);
    expect(scrapedEvents.filter((event) => !events.some((pattern) => pattern.test(event)))).toEqual([]);
    // Panels and alerts filter on labels the metric has, and breaker states it can take.
    const wrongLabels: string[] = [];
    for (const { expr, where } of queries()) {
      for (const { metric, label, op, value } of selectors(expr)) {
        const family = [...documented.keys()].find((name) => metric === name || metric.replace(/_(bucket|sum|count)$/, '') === name);
        if (family === undefined) continue; // not the app's (up, pg_*)
        if (!ADDED_LABELS.has(label) && !documented.get(family)!.labels.includes(label)) wrongLabels.push(`${where}: ${metric} has no label ${label}`);
        if (family === 'auth_circuit_breaker_state' && label === 'state' && op === '=' && !CIRCUIT_BREAKER_STATES.includes(value as never)) {
          wrongLabels.push(`${where}: state="${value}" is never exported`);
        }
      }
    }
    expect(wrongLabels).toEqual([]);
  });

  it('logs a compact metrics snapshot at debug on its interval, without secrets', async () => {
    const password = 'snapshot password 123';
    const email = `snapshot-${Date.now()}@example.com`;
    const signUp = await fetch(`${app.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.url },
      body: JSON.stringify({ email, password, name: 'Snapshot' }),
    });
    expect(signUp.status).toBe(200);
    const signIn = await fetch(`${app.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.url },
      body: JSON.stringify({ email, password }),
    });
    expect(signIn.status).toBe(200);
    const { token } = (await signIn.json()) as { token: string };
    // The session token, the password and the e-mail must never reach the line.
    const secrets = [token, password, email];
    expect(typeof token).toBe('string');
    const snapshotLines = () => app.logs.map((line) => JSON.parse(line) as { msg?: string; level: number; metrics?: { operationCount: number } }).filter((line) => line.msg === 'metrics snapshot');
    // One line written after the sign-up was recorded.
    const before = snapshotLines().length;
    await waitFor(async () => {
      if (snapshotLines().length <= before) throw new Error('no snapshot line yet');
    }, 10_000, 'a metrics snapshot line');
    const raw = app.logs.filter((line) => line.includes('"metrics snapshot"')).at(-1)!;
    const line = snapshotLines().at(-1)!;
    expect(line.level).toBe(20); // debug
    expect(line.metrics!.operationCount).toBeGreaterThan(0);
    expect(raw.length).toBeLessThan(16_384);
    for (const secret of secrets) expect(raw).not.toContain(secret);
  });
});
