import type { Principal } from '@libs/better-auth';
import type { OperationErrorCode } from './protocol';

/** What an operation sees: the socket's principal as last re-decided, and the request's data. */
export interface OperationContext {
  connectionId: string;
  principal: Principal;
  data: unknown;
  /** 1 for the first attempt (operations run through `executeWebSocketWithRetry`). */
  attempt: number;
}

/** One `/ws` operation. Its answer (`run`'s value) is sent as `{ type: 'result', id, data }`. */
export interface Operation {
  /** The permission the socket's principal must hold (decided by the access core before `run`); none: any socket. */
  permission?: string;
  /** Retries after a retryable failure (an `OperationError` is never retried). @default 2 */
  maxRetries?: number;
  run(context: OperationContext): Promise<unknown> | unknown;
}

/** Thrown by an operation to answer `{ type: 'error', error: { code, message } }` (not retried). */
export class OperationError extends Error {
  readonly code: OperationErrorCode | (string & {});

  constructor(code: OperationErrorCode | (string & {}), message: string) {
    super(message);
    this.name = 'OperationError';
    this.code = code;
  }
}

const NAME = /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)*$/;

/**
 * The operations `/ws` answers: the built-ins (`ping`, `session.status`, `session.refresh`) and
 * whatever the app or an embedder defines (`realtime.operations.define('orders.watch', { permission: 'orders:read', run })`).
 */
export class OperationRegistry {
  readonly #operations = new Map<string, Operation>();

  define(name: string, operation: Operation): this {
    if (!NAME.test(name)) throw new Error(`operation name "${name}" must be dotted lowerCamel words (e.g. orders.watch)`);
    if (this.#operations.has(name)) throw new Error(`operation "${name}" is already defined`);
    this.#operations.set(name, operation);
    return this;
  }

  get(name: string): Operation | undefined {
    return this.#operations.get(name);
  }

  names(): string[] {
    return [...this.#operations.keys()];
  }
}
