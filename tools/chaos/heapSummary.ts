import { readFileSync } from 'node:fs';

/**
 * Self size of a V8 heap snapshot by constructor (objects, closures by function name) and by
 * kind (strings, code, arrays, hidden): `npx tsx tools/chaos/heapSummary.ts <a.heapsnapshot> [b.heapsnapshot]`.
 * With two snapshots it prints b − a per row, which is what the cached sessions added.
 */
interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

function summarise(file: string): Map<string, { bytes: number; count: number }> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const rows = new Map<string, { bytes: number; count: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]];
    const name = snap.strings[snap.nodes[i + nameAt]];
    const key = type === 'object' || type === 'closure' || type === 'native' ? `${type} ${name.slice(0, 60)}` : type === 'hidden' || type === 'array' ? `${type} ${name.slice(0, 40)}` : `(${type})`;
    const row = rows.get(key) ?? { bytes: 0, count: 0 };
    row.bytes += snap.nodes[i + sizeAt];
    row.count++;
    rows.set(key, row);
  }
  return rows;
}

const [first, second] = process.argv.slice(2);
if (!first) throw new Error('usage: heapSummary.ts <a.heapsnapshot> [b.heapsnapshot]');
const a = summarise(first);
const b = second ? summarise(second) : undefined;
const total = (m: Map<string, { bytes: number }>) => [...m.values()].reduce((s, r) => s + r.bytes, 0);
const MB = 2 ** 20;
console.log(`${first}: ${(total(a) / MB).toFixed(1)} MB${b ? `; ${second}: ${(total(b) / MB).toFixed(1)} MB` : ''}`);
const keys = new Set([...a.keys(), ...(b?.keys() ?? [])]);
const delta = (k: string) => (b?.get(k)?.bytes ?? 0) - (b ? (a.get(k)?.bytes ?? 0) : -(a.get(k)?.bytes ?? 0));
const sorted = [...keys].sort((x, y) => Math.abs(delta(y)) - Math.abs(delta(x))).slice(0, Number(process.env['TOP'] ?? 30));
console.log(b ? '| constructor / kind | MB a | MB b | Δ MB | Δ count |\n|---|---:|---:|---:|---:|' : '| constructor / kind | MB | count |\n|---|---:|---:|');
for (const k of sorted) {
  const ra = a.get(k) ?? { bytes: 0, count: 0 };
  if (!b) console.log(`| ${k} | ${(ra.bytes / MB).toFixed(2)} | ${ra.count} |`);
  else {
    const rb = b.get(k) ?? { bytes: 0, count: 0 };
    console.log(`| ${k} | ${(ra.bytes / MB).toFixed(2)} | ${(rb.bytes / MB).toFixed(2)} | ${((rb.bytes - ra.bytes) / MB).toFixed(2)} | ${rb.count - ra.count} |`);
  }
}
