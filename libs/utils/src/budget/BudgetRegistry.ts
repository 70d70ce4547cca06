import { PinningLru } from '../registry/PinningLru';
import { RetryBudget, type RetryBudgetOptions } from './RetryBudget';

/** Options of a retry budget registry. */
export interface BudgetRegistryOptions {
  /**
   * Most budgets kept (one per breaker key); past it the least recently used is dropped (a
   * dropped budget starts counting afresh, which loses nothing that matters).
   * @default 1_000
   */
  maxBudgets?: number;
}

export const defaultBudgetRegistryOptions: Readonly<Required<BudgetRegistryOptions>> = Object.freeze({ maxBudgets: 1_000 });

/** The retry budgets of one app context, shared by key. */
export class BudgetRegistry {
  #budgets: PinningLru<string, RetryBudget>;

  constructor(options: BudgetRegistryOptions = {}) {
    this.#budgets = BudgetRegistry.#createCache(options);
  }

  static #createCache(options: BudgetRegistryOptions): PinningLru<string, RetryBudget> {
    return new PinningLru<string, RetryBudget>({ max: options.maxBudgets ?? defaultBudgetRegistryOptions.maxBudgets });
  }

  /** The budget shared by every call with this key; the first call fixes its settings. */
  get(key: string, options: RetryBudgetOptions): RetryBudget {
    let budget = this.#budgets.get(key);
    if (budget === undefined) {
      budget = new RetryBudget(options);
      this.#budgets.set(key, budget);
    }
    return budget;
  }

  /** The budget for `key` if one exists. */
  peek(key: string): RetryBudget | undefined {
    return this.#budgets.peek(key);
  }

  /** Number of budgets held. */
  get size(): number {
    return this.#budgets.size;
  }

  /** Resizes (and empties) the registry. */
  configure(options: BudgetRegistryOptions = {}): void {
    this.#budgets = BudgetRegistry.#createCache(options);
  }

  /** Drops every budget. Meant for tests. */
  reset(): void {
    this.#budgets.clear();
  }
}
