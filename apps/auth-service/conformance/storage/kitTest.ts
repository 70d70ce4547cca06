import { test } from 'vitest';
import type { StorageTarget } from './storageTargets';

declare module '@vitest/runner' {
  interface TaskMeta {
    /** Why this test does not apply to the target (it is reported, never run). */
    notApplicable?: string;
    /** Why the target is known to fail this test (it runs and must fail; reported). */
    knownFailure?: string;
  }
}

/** Registers one kit test for `target`: run, run as a known failure, or listed as not applicable. */
export function kitTest(target: StorageTarget, name: string, fn: () => Promise<void>, needsSharing = false): void {
  const knownFailure = target.knownFailures?.[name];
  if (needsSharing && !target.shared) {
    test(name, { skip: true, meta: { notApplicable: 'two memory-only instances share nothing by design (each counts and stores for itself)' } }, fn);
  } else if (knownFailure) test(name, { fails: true, meta: { knownFailure } }, fn);
  else test(name, fn);
}

/** Polls `check` until it holds; fails after `timeoutMs` (a deadline, never a fixed sleep). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
