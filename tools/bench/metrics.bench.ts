/**
 * `npm run bench -- metrics`: the cost of recording one operation with MetricsCollector (with
 * its Prometheus export on) against prom-client alone, side by side in one process.
 *
 * Baseline: the prom-client calls a service would write to get the same export itself — a
 * Histogram labelled `operation`/`outcome` and `histogram.observe({ operation, outcome }, s)`.
 * Also measured: an unlabelled `observe(s)` (prom-client's floor), the collector without an
 * export, and the cost of a scrape of 200 operations (ours vs the prom-client Histogram and
 * Counter holding the same data). Same operation names, outcomes and durations for all.
 *
 * The collector's histogram is prom-client's own `Histogram`. A copy of its internals that counted
 * buckets in place was measured against it side by side (commit 68f38bd, see docs/benchmarks.md):
 * the copy cost 0.15x a bare observe(), prom-client's class 1.16-1.26x, inside the 1.5x target,
 * so the copy was deleted.
 */
import { MetricsCollector } from '@libs/monitoring';
import { Counter, Histogram, Registry } from 'prom-client';
import { compare, writeReport } from './report';

const OPERATIONS = ['user.findById', 'user.findByEmail', 'session.get', 'cache.get'];
// Durations in ms spread over the default buckets, so bucket search costs what it would in use.
const DURATIONS_MS = [0.3, 0.8, 1.2, 2, 3.5, 4, 6, 9, 14, 20, 40, 75, 150, 400, 900, 3000];
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function recordCandidates(): Record<string, () => void> {
  const collector = new MetricsCollector({ registry: new Registry() });
  const bare = new MetricsCollector();
  const registry = new Registry();
  const labelled = new Histogram({
    name: 'operation_duration_seconds',
    help: 'baseline',
    labelNames: ['operation', 'outcome'],
    buckets: BUCKETS,
    registers: [registry],
  });
  const unlabelled = new Histogram({ name: 'unlabelled_seconds', help: 'baseline', buckets: BUCKETS, registers: [registry] });
  // One counter per candidate, so each walks the same sequence of inputs.
  const step = { record: 0, promclient: 0, unlabelled: 0, noExport: 0 };
  const input = (i: number) => ({ operation: OPERATIONS[i & 3], ms: DURATIONS_MS[i & 15], success: i % 20 !== 0 });
  return {
    record: () => {
      const { operation, ms, success } = input(step.record++);
      collector.recordOperation(operation, ms, success, success ? undefined : 'TIMEOUT');
    },
    promclient: () => {
      const { operation, ms, success } = input(step.promclient++);
      labelled.observe({ operation, outcome: success ? 'success' : 'failure' }, ms / 1000);
    },
    promclient_unlabelled: () => {
      const { ms } = input(step.unlabelled++);
      unlabelled.observe(ms / 1000);
    },
    record_no_export: () => {
      const { operation, ms, success } = input(step.noExport++);
      bare.recordOperation(operation, ms, success, success ? undefined : 'TIMEOUT');
    },
  };
}

async function scrapeCandidates(): Promise<Record<string, () => Promise<string>>> {
  const ours = new Registry();
  const collector = new MetricsCollector({ registry: ours });
  const theirs = new Registry();
  const histogram = new Histogram({
    name: 'operation_duration_seconds',
    help: 'baseline',
    labelNames: ['operation', 'outcome'],
    buckets: BUCKETS,
    registers: [theirs],
  });
  const counter = new Counter({ name: 'operations_total', help: 'baseline', labelNames: ['operation', 'outcome'], registers: [theirs] });
  for (let op = 0; op < 200; op++) {
    for (let i = 0; i < 20; i++) {
      const operation = `repo.op${op}`;
      const success = i !== 0;
      const ms = DURATIONS_MS[i & 15];
      collector.recordOperation(operation, ms, success, success ? undefined : 'TIMEOUT');
      const labels = { operation, outcome: success ? 'success' : 'failure' };
      histogram.observe(labels, ms / 1000);
      counter.inc(labels);
    }
  }
  return { scrape: () => ours.metrics(), scrape_promclient: () => theirs.metrics() };
}

export async function run(): Promise<void> {
  const ns = await compare(recordCandidates(), { iterations: 200_000, rounds: 9, warmup: 50_000 });
  const scrapeNs = await compare(await scrapeCandidates(), { iterations: 20, rounds: 7, warmup: 10 });
  const metrics = {
    record_ns: ns.record,
    promclient_observe_ns: ns.promclient,
    promclient_unlabelled_observe_ns: ns.promclient_unlabelled,
    record_no_export_ns: ns.record_no_export,
    scrape_200_operations_us: scrapeNs.scrape / 1000,
    promclient_scrape_200_operations_us: scrapeNs.scrape_promclient / 1000,
    record_vs_promclient_ratio: ns.record / ns.promclient,
    record_vs_promclient_unlabelled_ratio: ns.record / ns.promclient_unlabelled,
    record_no_export_vs_promclient_ratio: ns.record_no_export / ns.promclient,
    scrape_vs_promclient_ratio: scrapeNs.scrape / scrapeNs.scrape_promclient,
    target: 'record_vs_promclient_ratio <= 1.5',
  };
  writeReport('metrics', metrics, [
    { measure: 'MetricsCollector.recordOperation (export on)', ns_per_call: ns.record.toFixed(1) },
    { measure: 'prom-client histogram.observe({operation, outcome}, s)', ns_per_call: ns.promclient.toFixed(1) },
    { measure: 'prom-client histogram.observe(s), no labels', ns_per_call: ns.promclient_unlabelled.toFixed(1) },
    { measure: 'MetricsCollector.recordOperation (no registry)', ns_per_call: ns.record_no_export.toFixed(1) },
    { measure: 'scrape, 200 operations: ours', ns_per_call: scrapeNs.scrape.toFixed(0) },
    { measure: 'scrape, 200 operations: prom-client', ns_per_call: scrapeNs.scrape_promclient.toFixed(0) },
  ]);
}
