import { api, errorText } from '../api';
import { badge, h, notice, replace, table, when } from '../dom';
import type { Page, Viewer } from '../viewer';

/** How often the page refreshes itself. */
export const HEALTH_POLL_MS = 2_000;

interface Ready {
  status: string;
  dependencies: Record<string, { healthy: boolean; latencyMs?: number; errorCode?: string; required?: boolean; mode?: string }>;
  openBreakers: string[];
}
interface Summary {
  breakers: Array<{ key: string; state: string }>;
  errorRate: number;
  requests: number;
  routes: Array<{ route: string; count: number; errors: number; errorRate: number; p50Ms: number | null; p99Ms: number | null }>;
  at: string;
}

const percent = (rate: number) => `${(rate * 100).toFixed(rate > 0 && rate < 0.01 ? 2 : 1)}%`;
const ms = (value: number | null) => (value === null ? '—' : `${value} ms`);

/** Dependencies (`/health/ready`), breakers and per-route p50 / p99 / error rate, polled live. */
export function healthPage(_v: Viewer): Page {
  const readiness = h('section', { 'aria-label': 'Readiness' });
  const summary = h('section', { 'aria-label': 'Traffic' });
  const updated = h('p', { class: 'muted', role: 'status', 'data-testid': 'health-updated' });
  let stopped = false;

  async function readyNow(): Promise<void> {
    try {
      const response = await fetch('/health/ready', { credentials: 'same-origin', cache: 'no-store', signal: AbortSignal.timeout(HEALTH_POLL_MS * 5) });
      const ready = (await response.json()) as Ready;
      const rows = Object.entries(ready.dependencies).map(([name, d]) => [name, badge(d.healthy ? 'healthy' : 'unhealthy'), d.latencyMs === undefined ? '—' : `${Math.round(d.latencyMs)} ms`, d.errorCode ?? '—', d.required === false ? 'no' : 'yes']);
      replace(
        readiness,
        h('h2', {}, 'Readiness ', badge(ready.status)),
        table('Dependencies', ['Dependency', 'Status', 'Latency', 'Error', 'Required'], rows, { testid: 'dependencies' }),
        h('h3', {}, 'Open breakers'),
        h('ul', { 'data-testid': 'open-breakers' }, ready.openBreakers.length ? ready.openBreakers.map((key) => h('li', {}, h('code', {}, key), ' ', badge('open'))) : h('li', { class: 'muted' }, 'None')),
      );
    } catch (error) {
      replace(readiness, notice('error', `Readiness unavailable: ${errorText(error)}`));
    }
  }

  async function summaryNow(): Promise<void> {
    try {
      const figures = await api<Summary>('/api/admin/health/summary');
      const routes = figures.routes.map((r) => [h('code', {}, r.route), String(r.count), ms(r.p50Ms), ms(r.p99Ms), percent(r.errorRate)]);
      replace(
        summary,
        h('h2', {}, 'Circuit breakers'),
        table('Circuit breakers', ['Breaker', 'State'], figures.breakers.map((b) => [h('code', {}, b.key), badge(b.state)]), { testid: 'breakers' }),
        h('h2', {}, 'Requests'),
        h('p', {}, `${figures.requests} requests since start, error rate ${percent(figures.errorRate)} (5xx answers).`),
        table('Latency per route', ['Route', 'Requests', 'p50', 'p99', 'Errors'], routes, { testid: 'routes' }),
      );
    } catch (error) {
      replace(summary, notice('error', `Traffic figures unavailable: ${errorText(error)}`));
    }
  }

  /** Each source polls on its own, so a slow answer from one (an outage) never holds the other back. */
  const timers = new Set<ReturnType<typeof setTimeout>>();
  function poll(load: () => Promise<void>, after?: () => void): void {
    void load().then(() => {
      after?.();
      if (stopped) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        poll(load, after);
      }, HEALTH_POLL_MS);
      timers.add(timer);
    });
  }

  poll(readyNow, () => replace(updated, `Updated ${when(new Date())}; refreshed every ${HEALTH_POLL_MS / 1000} s.`));
  poll(summaryNow);
  return {
    element: h('div', {}, h('h1', {}, 'Health'), updated, readiness, summary),
    leave: () => {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
    },
  };
}
