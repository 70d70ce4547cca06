import { LRUCache } from 'lru-cache';
import type { CircuitBreakerStateName } from '@libs/monitoring';
import { ManagedBreaker } from '../breaker/ManagedBreaker';

/** Options of the process-wide WebSocket connection state map. */
export interface ConnectionRegistryOptions {
  /**
   * Most connections tracked; the least recently used is dropped past it.
   * @default 10_000
   */
  maxConnections?: number;
  /**
   * A connection not used for this long is forgotten (its breakers start closed again).
   * Call `releaseConnection(id)` when a socket closes instead of waiting for this.
   * @default 900_000 (15 minutes)
   */
  connectionTtlMs?: number;
}

export const DEFAULT_CONNECTION_REGISTRY_OPTIONS: Required<ConnectionRegistryOptions> = {
  maxConnections: 10_000,
  connectionTtlMs: 15 * 60_000,
};

/** Per-connection state: breakers, operations in flight, the in-flight token refresh. */
export class ConnectionState {
  readonly id: string;
  inFlight = 0;
  /** The single in-flight token refresh shared by concurrent callers. */
  refresh: Promise<unknown> | undefined;
  #breakers = new Map<string, ManagedBreaker>();

  constructor(id: string) {
    this.id = id;
  }

  /** The connection's breaker for `kind`, if one was needed yet. */
  existingBreaker(kind: string): ManagedBreaker | undefined {
    return this.#breakers.get(kind);
  }

  /** The connection's breaker for `kind` (operations, token refresh), created on first call. */
  breaker(kind: string, threshold: number, resetMs: number, onCreate?: (breaker: ManagedBreaker) => void): ManagedBreaker {
    let breaker = this.#breakers.get(kind);
    if (breaker === undefined) {
      // Key names the kind only: connection ids must not become metric labels.
      breaker = new ManagedBreaker(`websocket:${kind}`, threshold, resetMs);
      this.#breakers.set(kind, breaker);
      onCreate?.(breaker);
    }
    return breaker;
  }

  breakerStates(): Record<string, CircuitBreakerStateName> {
    const states: Record<string, CircuitBreakerStateName> = {};
    for (const [kind, breaker] of this.#breakers) states[kind] = breaker.state;
    return states;
  }
}

let connections = createCache(DEFAULT_CONNECTION_REGISTRY_OPTIONS);

function createCache(options: ConnectionRegistryOptions): LRUCache<string, ConnectionState> {
  return new LRUCache<string, ConnectionState>({
    max: Math.max(1, Math.floor(options.maxConnections ?? DEFAULT_CONNECTION_REGISTRY_OPTIONS.maxConnections)),
    ttl: Math.max(1, options.connectionTtlMs ?? DEFAULT_CONNECTION_REGISTRY_OPTIONS.connectionTtlMs),
    updateAgeOnGet: true,
    // No purge timer: expired entries go on access or under LRU pressure, so nothing keeps the process alive.
    ttlAutopurge: false,
    // Read the global clock on each call (lru-cache captures it at import otherwise), so an
    // injected or faked clock applies to the TTL too.
    perf: { now: () => performance.now() },
  });
}

/** The state for `connectionId`, created on first use. */
export function connectionState(connectionId: string): ConnectionState {
  let state = connections.get(connectionId);
  if (state === undefined) {
    state = new ConnectionState(connectionId);
    connections.set(connectionId, state);
  }
  return state;
}

/** Forgets a connection (call it when the socket closes). True when it was tracked. */
export function releaseConnection(connectionId: string): boolean {
  return connections.delete(connectionId);
}

/** A connection's operations in flight and breaker states, or undefined when not tracked. */
export function getWebSocketConnectionState(
  connectionId: string,
): { inFlight: number; refreshing: boolean; breakers: Record<string, CircuitBreakerStateName> } | undefined {
  const state = connections.peek(connectionId);
  if (state === undefined) return undefined;
  return { inFlight: state.inFlight, refreshing: state.refresh !== undefined, breakers: state.breakerStates() };
}

/** Connections currently tracked. */
export function webSocketConnectionCount(): number {
  return connections.size;
}

/** Resizes the registry (drops every connection). Call at start-up. */
export function configureWebSocketConnections(options: ConnectionRegistryOptions = {}): void {
  connections = createCache(options);
}

/** Drops every connection's state. Meant for tests. */
export function resetWebSocketConnections(): void {
  connections.clear();
}
