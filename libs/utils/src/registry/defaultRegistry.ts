import type { BreakerOptions } from '../breaker/BreakerOptions';
import type { BreakerRegistryOptions, BreakerStatus } from '../breaker/BreakerRegistry';
import type { ManagedBreaker } from '../breaker/ManagedBreaker';
import type { RetryBudget, RetryBudgetOptions } from '../budget/RetryBudget';
import type { RetryLogger } from '../logger';
import type { ConnectionRegistryOptions, ConnectionState, ConnectionStatus } from '../websocket/ConnectionRegistry';
import { defaultResilienceRegistry as registry } from './ResilienceRegistry';

// The module-level API of the default registry, kept for callers that own no registry.

/** The default registry's breaker for `key` (see `BreakerRegistry.get`). */
export const getCircuitBreaker = (key: string, options?: BreakerOptions, logger?: RetryLogger): ManagedBreaker => registry.breakers.get(key, options, logger);
/** The default registry's breaker for `key`, if any (does not create or refresh it). */
export const peekCircuitBreaker = (key: string): ManagedBreaker | undefined => registry.breakers.peek(key);
/** Every breaker of the default registry and its state, for metrics and health endpoints. */
export const listCircuitBreakers = (): BreakerStatus[] => registry.breakers.list();
/** Resizes the default breaker registry (drops every breaker). Call at start-up, before traffic. */
export const configureCircuitBreakerRegistry = (options?: BreakerRegistryOptions): void => registry.breakers.configure(options);
/** Drops every breaker of the default registry. Meant for tests. */
export const resetCircuitBreakers = (): void => registry.breakers.reset();

/** The default registry's retry budget for `key`. */
export const getRetryBudget = (key: string, options: RetryBudgetOptions): RetryBudget => registry.budgets.get(key, options);
/** Number of budgets in the default registry. */
export const retryBudgetCount = (): number => registry.budgets.size;
/** Resizes (and empties) the default budget registry. */
export const configureRetryBudgets = (options?: { maxBudgets?: number }): void => registry.budgets.configure(options);
/** Drops every budget of the default registry. Meant for tests. */
export const resetRetryBudgets = (): void => registry.budgets.reset();

/** The default registry's state for `connectionId`, created on first use. */
export const connectionState = (connectionId: string): ConnectionState => registry.connections.get(connectionId);
/** Forgets a connection of the default registry (call it when the socket closes). */
export const releaseConnection = (connectionId: string): boolean => registry.connections.release(connectionId);
/** A connection's operations in flight and breaker states (default registry). */
export const getWebSocketConnectionState = (connectionId: string): ConnectionStatus | undefined => registry.connections.status(connectionId);
/** Connections tracked by the default registry. */
export const webSocketConnectionCount = (): number => registry.connections.size;
/** Resizes the default connection registry (drops every connection). Call at start-up. */
export const configureWebSocketConnections = (options?: ConnectionRegistryOptions): void => registry.connections.configure(options);
/** Drops every connection of the default registry. Meant for tests. */
export const resetWebSocketConnections = (): void => registry.connections.reset();
