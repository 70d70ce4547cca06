import { CircuitState } from 'cockatiel';
import type { CircuitBreakerStateName } from '@libs/monitoring';
import type { BreakerOptions } from '../breaker/BreakerOptions';
import { ManagedBreaker } from '../breaker/ManagedBreaker';
import { PinningLru } from '../registry/PinningLru';

/** Options of a WebSocket connection registry. */
export interface ConnectionRegistryOptions {
  /**
   * Most idle connections tracked; past it the least recently used is dropped. A connection with
   * work in flight, a refresh running or a breaker not closed is never dropped (its limits and
   * breakers would silently reset).
   * @default 10_000
   */
  maxConnections?: number;
  /**
   * A connection not used for this long is forgotten (same exceptions as above).
   * Call `releaseConnection(id)` when a socket closes instead of waiting for this.
   * @default 900_000 (15 minutes)
   */
  connectionTtlMs?: number;
}

export const defaultConnectionRegistryOptions: Readonly<Required<ConnectionRegistryOptions>> = Object.freeze({
  maxConnections: 10_000,
  connectionTtlMs: 15 * 60_000,
});

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
  breaker(kind: string, options: BreakerOptions, onCreate?: (breaker: ManagedBreaker) => void): ManagedBreaker {
    let breaker = this.#breakers.get(kind);
    if (breaker === undefined) {
      // Key names the kind only: connection ids must not become metric labels.
      breaker = new ManagedBreaker(`websocket:${kind}`, options);
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

  /** Work in flight or a breaker not closed: forgetting this connection would lose state that matters. */
  get busy(): boolean {
    if (this.inFlight > 0 || this.refresh !== undefined) return true;
    for (const breaker of this.#breakers.values()) if (breaker.policy.state !== CircuitState.Closed) return true;
    return false;
  }
}

/** A connection's operations in flight and breaker states. */
export interface ConnectionStatus {
  inFlight: number;
  refreshing: boolean;
  breakers: Record<string, CircuitBreakerStateName>;
}

/** The WebSocket connection states of one app context. */
export class ConnectionRegistry {
  #connections: PinningLru<string, ConnectionState>;

  constructor(options: ConnectionRegistryOptions = {}) {
    this.#connections = ConnectionRegistry.#createCache(options);
  }

  static #createCache(options: ConnectionRegistryOptions): PinningLru<string, ConnectionState> {
    return new PinningLru<string, ConnectionState>({
      max: options.maxConnections ?? defaultConnectionRegistryOptions.maxConnections,
      ttlMs: options.connectionTtlMs ?? defaultConnectionRegistryOptions.connectionTtlMs,
      isPinned: (state) => state.busy,
    });
  }

  /** The state for `connectionId`, created on first use. */
  get(connectionId: string): ConnectionState {
    let state = this.#connections.get(connectionId);
    if (state === undefined) {
      state = new ConnectionState(connectionId);
      this.#connections.set(connectionId, state);
    }
    return state;
  }

  /** Forgets a connection (call it when the socket closes). True when it was tracked. */
  release(connectionId: string): boolean {
    return this.#connections.delete(connectionId);
  }

  /** A connection's operations in flight and breaker states, or undefined when not tracked. */
  status(connectionId: string): ConnectionStatus | undefined {
    const state = this.#connections.peek(connectionId);
    if (state === undefined) return undefined;
    return { inFlight: state.inFlight, refreshing: state.refresh !== undefined, breakers: state.breakerStates() };
  }

  /** Connections currently tracked. */
  get size(): number {
    return this.#connections.size;
  }

  /** Resizes the registry (drops every connection). Call at start-up. */
  configure(options: ConnectionRegistryOptions = {}): void {
    this.#connections = ConnectionRegistry.#createCache(options);
  }

  /** Drops every connection's state. Meant for tests. */
  reset(): void {
    this.#connections.clear();
  }
}
