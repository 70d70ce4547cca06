import { BreakerRegistry, type BreakerRegistryOptions } from '../breaker/BreakerRegistry';
import { BudgetRegistry, type BudgetRegistryOptions } from '../budget/BudgetRegistry';
import { ConnectionRegistry, type ConnectionRegistryOptions } from '../websocket/ConnectionRegistry';

/** Options of a `ResilienceRegistry`: those of its three parts. */
export interface ResilienceRegistryOptions extends BreakerRegistryOptions, BudgetRegistryOptions, ConnectionRegistryOptions {}

/**
 * Everything the retry family shares between calls — circuit breakers and retry budgets by key,
 * WebSocket connection state by id — owned by one app context. Pass it as `registry` in the
 * options of any `execute…WithRetry`; calls without one share `defaultResilienceRegistry`, so two
 * contexts in one process (tests, a multi-tenant host) only stay apart when each owns one.
 */
export class ResilienceRegistry {
  readonly breakers: BreakerRegistry;
  readonly budgets: BudgetRegistry;
  readonly connections: ConnectionRegistry;

  constructor(options: ResilienceRegistryOptions = {}) {
    this.breakers = new BreakerRegistry(options);
    this.budgets = new BudgetRegistry(options);
    this.connections = new ConnectionRegistry(options);
  }

  /** At shutdown: stops the breakers' recovery checks (nothing else holds a timer). */
  close(): void {
    this.breakers.stopRecoveryWatches();
  }

  /** Drops every breaker, budget and connection (all start afresh). Meant for tests. */
  reset(): void {
    this.breakers.reset();
    this.budgets.reset();
    this.connections.reset();
  }
}

/** The registry of calls that name none (the seed's calls, the module-level functions). */
export const defaultResilienceRegistry = new ResilienceRegistry();
