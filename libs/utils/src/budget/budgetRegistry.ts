import { LRUCache } from 'lru-cache';
import { RetryBudget, type RetryBudgetOptions } from './RetryBudget';

/** Most budgets kept (one per breaker key); the least recently used is dropped past it. */
export const DEFAULT_MAX_RETRY_BUDGETS = 1_000;

let budgets = new LRUCache<string, RetryBudget>({ max: DEFAULT_MAX_RETRY_BUDGETS });

/** The budget shared by every call with this key; the first call fixes its settings. */
export function getRetryBudget(key: string, options: RetryBudgetOptions): RetryBudget {
  let budget = budgets.get(key);
  if (budget === undefined) {
    budget = new RetryBudget(options);
    budgets.set(key, budget);
  }
  return budget;
}

/** Number of budgets held (for tests and health). */
export function retryBudgetCount(): number {
  return budgets.size;
}

/** Resizes (and empties) the budget registry. */
export function configureRetryBudgets(options: { maxBudgets?: number } = {}): void {
  budgets = new LRUCache<string, RetryBudget>({ max: Math.max(1, Math.floor(options.maxBudgets ?? DEFAULT_MAX_RETRY_BUDGETS)) });
}

/** Drops every budget. Meant for tests. */
export function resetRetryBudgets(): void {
  budgets.clear();
}
