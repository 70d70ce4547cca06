import type { Reporter, TestModule } from 'vitest/node';
import { NOT_APPLICABLE, plain, testKey } from './notApplicable';

interface Counts {
  passed: number;
  failed: number;
  notApplicable: number;
}

const line = (label: string, c: Counts) => `${label}: ${c.passed} passed, ${c.failed} failed, ${c.notApplicable} not applicable`;

/**
 * Prints what Better-Auth's adapter suites gave, per suite and in total: passed, failed and not
 * applicable (with the reason from `notApplicable.ts`). A test skipped for any other reason
 * counts as failed, so nothing is ever skipped silently.
 */
export class CountsReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const total: Counts = { passed: 0, failed: 0, notApplicable: 0 };
    const suites = new Map<string, Counts>();
    const reasons = new Map<string, number>();
    const problems: string[] = [];
    let suite = '?';
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const name = plain(test.name);
        // Each suite opens with a set-up step whose name is a line of dashes around "[suite]".
        if (name.startsWith('\n')) {
          suite = /\[([^\]]+)\]/.exec(name)?.[1] ?? '?';
          continue;
        }
        const counts = suites.get(suite) ?? { passed: 0, failed: 0, notApplicable: 0 };
        suites.set(suite, counts);
        const key = testKey(test.name);
        const reason = NOT_APPLICABLE[key];
        const state = test.result().state;
        const bucket: keyof Counts = state === 'passed' ? 'passed' : state === 'skipped' && reason ? 'notApplicable' : 'failed';
        counts[bucket]++;
        total[bucket]++;
        if (bucket === 'notApplicable') reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        if (bucket === 'failed') problems.push(`${state === 'skipped' ? 'skipped without a reason' : state}: [${suite}] ${key}`);
      }
    }
    const lines = [
      '',
      "Better-Auth's adapter suites (@better-auth/test-utils/adapter) on the app's repository adapter:",
      ...[...suites].map(([name, counts]) => `  ${line(name, counts)}`),
      ...[...reasons].map(([why, count]) => `  not applicable ×${count}: ${why}`),
      ...problems.map((p) => `  ✗ ${p}`),
      line('adapter-suites', total),
      '',
    ];
    process.stdout.write(lines.join('\n'));
    if (total.failed > 0) process.exitCode = 1;
  }
}
