import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { NOT_APPLICABLE, plain, testKey } from './notApplicable';

interface Counts {
  passed: number;
  failed: number;
  notApplicable: number;
  knownFailures: number;
}

type Bucket = keyof Counts;

const empty = (): Counts => ({ passed: 0, failed: 0, notApplicable: 0, knownFailures: 0 });
const line = (label: string, c: Counts) =>
  `${label}: ${c.passed} passed, ${c.failed} failed, ${c.notApplicable} not applicable${c.knownFailures ? `, ${c.knownFailures} known failures` : ''}`;

/** The outermost describe block of a test (the storage kit names it after the target). */
function outermost(test: TestCase): string {
  let name = '?';
  for (let node: TestCase['parent'] = test.parent; node.type === 'suite'; node = node.parent) name = node.name;
  return name;
}

/** Where a test lands, and why when it did not simply pass or fail. */
function classify(test: TestCase): { bucket: Bucket; why?: string } {
  const state = test.result().state;
  const meta = test.meta();
  const notApplicable = meta.notApplicable ?? NOT_APPLICABLE[testKey(test.name)];
  if (state === 'skipped' && notApplicable) return { bucket: 'notApplicable', why: notApplicable };
  if (state === 'passed' && meta.knownFailure) return { bucket: 'knownFailures', why: meta.knownFailure };
  if (state === 'passed') return { bucket: 'passed' };
  return { bucket: 'failed', why: state === 'skipped' ? 'skipped without a reason' : state };
}

/**
 * Prints, per conformance file and per suite or storage: passed, failed, not applicable and known
 * failures, each with its reason (from `notApplicable.ts` or the test's meta). A test skipped for
 * any other reason counts as failed, so nothing is ever skipped silently.
 */
export class CountsReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const lines = [''];
    let failed = 0;
    for (const module of modules) {
      const total = empty();
      const groups = new Map<string, Counts>();
      const reasons = new Map<string, number>();
      let suite: string | undefined;
      for (const test of module.children.allTests()) {
        const name = plain(test.name);
        // Better-Auth's suites open each one with a set-up step named by dashes around "[suite]".
        if (name.startsWith('\n')) {
          suite = /\[([^\]]+)\]/.exec(name)?.[1];
          continue;
        }
        const group = suite ?? outermost(test);
        const counts = groups.get(group) ?? empty();
        groups.set(group, counts);
        const { bucket, why } = classify(test);
        counts[bucket]++;
        total[bucket]++;
        const label = bucket === 'failed' ? `✗ ${why}: [${group}] ${testKey(test.name)}` : bucket === 'knownFailures' ? `known failure of ${group}: ${testKey(test.name)} — ${why}` : `not applicable: ${why}`;
        if (why) reasons.set(label, (reasons.get(label) ?? 0) + 1);
      }
      failed += total.failed;
      lines.push(`${module.moduleId.replace(/^.*\/conformance\//, 'conformance/')}:`);
      for (const [group, counts] of groups) lines.push(`  ${line(group, counts)}`);
      for (const [label, count] of reasons) lines.push(`  ${label}${count > 1 ? ` (×${count})` : ''}`);
      lines.push(line(module.moduleId.includes('adapterSuites') ? 'adapter-suites' : 'storage-kit', total), '');
    }
    process.stdout.write(lines.join('\n'));
    if (failed > 0) process.exitCode = 1;
  }
}
