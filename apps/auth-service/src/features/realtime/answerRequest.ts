import type { FastifyBaseLogger } from 'fastify';
import type { AccessCore } from '@libs/better-auth';
import type { IMetricsCollector } from '@libs/monitoring';
import { executeWebSocketWithRetry, isConcurrencyLimitError, isRetryableWebSocketError, CircuitOpenError, WebSocketError } from '@libs/utils';
import type { LiveConnection } from './ConnectionIndex';
import { OperationError, type OperationRegistry } from './operations';
import { errorFrame, OPERATION_ERRORS, resultFrame, type ClientRequest } from './protocol';

export interface OperationLimits {
  maxConcurrent: number;
  graceMs: number;
}

export interface AnswerDependencies {
  access: AccessCore;
  operations: OperationRegistry;
  metrics: IMetricsCollector;
  logger: FastifyBaseLogger;
  limits: OperationLimits;
  /** Whether the socket may still run work (open, credential not revoked): the operations' health check. */
  usable: (connection: LiveConnection) => boolean;
}

function operationErrorOf(error: unknown): OperationError | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++, e = (e as { cause?: unknown }).cause) if (e instanceof OperationError) return e;
  return undefined;
}

/**
 * Answers one request on one socket: the access core decides the operation's permission, then
 * the operation runs through `executeWebSocketWithRetry` keyed by the connection — its own
 * breaker, at most `maxConcurrent` at once (one more answers `TOO_MANY_OPERATIONS`), the socket's
 * health checked before each retry, no retry later than `graceMs` after the start. Always
 * resolves to the frame to send (a `result` or a typed `error`), never throws.
 */
export async function answerRequest(deps: AnswerDependencies, connection: LiveConnection, request: ClientRequest): Promise<string> {
  const { id } = request;
  const operation = deps.operations.get(request.op);
  if (!operation) return errorFrame(id, OPERATION_ERRORS.UNKNOWN_OPERATION, `There is no operation "${request.op.slice(0, 64)}".`);
  if (!deps.usable(connection)) return errorFrame(id, OPERATION_ERRORS.ACCESS_ENDED, 'This connection is closing: its access ended.');
  try {
    if (operation.permission) {
      const decision = await deps.access.authorize(connection.principal, operation.permission);
      if (!decision.granted) return errorFrame(id, decision.code, `"${request.op}" needs ${operation.permission}.`);
    }
    const data = await executeWebSocketWithRetry(
      async (context) => operation.run({ connectionId: connection.id, principal: connection.principal, data: request.data, attempt: context.attempt }),
      undefined,
      connection.id,
      {
        operationName: 'ws_operation',
        maxRetries: operation.maxRetries ?? 2,
        maxConcurrentOperations: deps.limits.maxConcurrent,
        isRealTime: true,
        gracePeriod: deps.limits.graceMs,
        healthCheck: () => deps.usable(connection),
        isRetryable: (error) => !(error instanceof OperationError) && isRetryableWebSocketError(error),
      },
      deps.metrics,
    );
    deps.metrics.incrementEvent('ws.operation.ok');
    return resultFrame(id, data);
  } catch (error) {
    return failureFrame(deps, connection, request, error);
  }
}

function failureFrame(deps: AnswerDependencies, connection: LiveConnection, request: ClientRequest, error: unknown): string {
  const { id } = request;
  if (isConcurrencyLimitError(error)) {
    deps.metrics.incrementEvent('ws.operation.refused_concurrency');
    return errorFrame(id, OPERATION_ERRORS.TOO_MANY_OPERATIONS, `At most ${deps.limits.maxConcurrent} operations may run at once on one connection.`);
  }
  deps.metrics.incrementEvent('ws.operation.failed');
  const known = operationErrorOf(error);
  if (known) return errorFrame(id, known.code as never, known.message);
  if (error instanceof CircuitOpenError) return errorFrame(id, OPERATION_ERRORS.OPERATION_UNAVAILABLE, 'Operations keep failing on this connection; try again later.', Number.isFinite(error.retryAfterMs) ? error.retryAfterMs : undefined);
  if (error instanceof WebSocketError && error.type === 'CONNECTION_CLOSED') return errorFrame(id, OPERATION_ERRORS.ACCESS_ENDED, 'This connection is closing.');
  deps.logger.warn({ component: 'ws', connectionId: connection.id, op: request.op, err: error }, 'ws operation failed');
  return errorFrame(id, OPERATION_ERRORS.OPERATION_FAILED, 'The operation failed.');
}
