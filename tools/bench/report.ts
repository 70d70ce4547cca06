import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { join } from 'node:path';

export interface MachineInfo {
  cpu: string;
  cores: number;
  node: string;
  os: string;
}

export function machineInfo(): MachineInfo {
  return { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, os: `${platform()} ${release()}` };
}

/**
 * Writes `bench/results/<name>.json` with the raw figures, the machine and every
 * `<measure>_vs_<baseline>_ratio`, and prints a table. Benchmarks compare side by side in
 * one run; absolute numbers on shared 2-core machines are noise, ratios are the result.
 */
export function writeReport(name: string, metrics: Record<string, unknown>, table: Record<string, unknown>[]): string {
  const dir = join(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  const body = { benchmark: name, date: new Date().toISOString(), machine: machineInfo(), metrics };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  console.table(table);
  for (const [key, value] of Object.entries(metrics)) {
    if (key.endsWith('_ratio')) console.log(`${key}: ${typeof value === 'number' ? value.toFixed(3) : String(value)}`);
  }
  console.log(`wrote ${file}`);
  return file;
}

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `fn` `iterations` times and returns nanoseconds per call. */
export async function nsPerCall(fn: () => unknown, iterations: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const result = fn();
    if (result instanceof Promise) await result;
  }
  return Number(process.hrtime.bigint() - start) / iterations;
}

/**
 * Interleaves rounds of each candidate (A, B, A, B …) so drift on a shared machine hits both,
 * and returns the median ns/call of each.
 */
export async function compare(
  candidates: Record<string, () => unknown>,
  { iterations = 100_000, rounds = 7, warmup = 20_000 } = {},
): Promise<Record<string, number>> {
  for (const fn of Object.values(candidates)) await nsPerCall(fn, warmup);
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(candidates).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [key, fn] of Object.entries(candidates)) samples[key].push(await nsPerCall(fn, iterations));
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}
