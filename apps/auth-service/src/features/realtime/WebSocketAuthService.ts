import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { IMetricsCollector } from '@libs/monitoring';
import type { ISessionRepository } from '@libs/database/postgress/repositories';
import type { AccessCore } from '@libs/better-auth';
import type { Principal } from '@libs/better-auth';
import { executeWebSocketTokenRefresh, isRetryableWebSocketError, releaseConnection } from '@libs/utils';
import { IdpUnavailableError } from '../../oidc/discovery';
import { ConnectionIndex, type LiveConnection, type RevalidationFilter } from './ConnectionIndex';
import { credentialVerdict, expiryCloseCode, expiryTimer, type SocketCredential } from './credentialCheck';
import { answerRequest, type AnswerDependencies } from './answerRequest';
import { defineBuiltinOperations } from './builtinOperations';
import { OperationRegistry } from './operations';
import { CLOSE_CODES, endedReasonOf, envelope, errorFrame, isBadFrame, OPERATION_ERRORS, parseRequest, type ClientRequest, type CloseCode } from './protocol';
import { SessionRefresher } from './SessionRefresher';
import type { ExchangeResult, UpstreamTokenStore } from './UpstreamTokenStore';

export type { LiveConnection, RevalidationFilter } from './ConnectionIndex';

export interface WebSocketLimits {
  maxConnections: number;
  maxConnectionsPerUser: number;
  heartbeatMs: number;
  maxBufferedBytes: number;
  /** Operations one socket runs at once (`TOO_MANY_OPERATIONS` past it). */
  maxOperationsPerConnection: number;
  /** Malformed requests before the socket is closed with 1008. */
  maxBadFrames: number;
  maxRequestBytes: number;
  /** Retries of an operation may start until this long after it began. */
  operationGraceMs: number;
}

export interface WebSocketAuthDependencies {
  access: AccessCore;
  sessions: Pick<ISessionRepository, 'findById'>;
  metrics: IMetricsCollector;
  logger: FastifyBaseLogger;
  limits: WebSocketLimits;
  /** Upstream tokens (lock + compare-and-set), when an IdP is configured. */
  tokens?: UpstreamTokenStore;
  /** Retries of one refresh may start until the access token's expiry plus this. */
  refreshGraceMs?: number;
  /** Tokens are refreshed this long before they expire. @default 30_000 */
  refreshSkewMs?: number;
}

const CONNECTION = Symbol('ws.connection');
type TrackedSocket = WebSocket & { [CONNECTION]?: LiveConnection };

function onPong(this: TrackedSocket): void {
  const connection = this[CONNECTION];
  if (connection) connection.alive = true;
}

/** Why an upgrade is refused before the socket opens. */
export type CapRefusal = { status: 429 | 503; code: string; message: string } | null;

/**
 * The seed's `WebSocketAuthService`: the live sockets of this instance by user and session,
 * their caps, heartbeat and back-pressure, the envelope sent to them, and closing them — on
 * revocation (re-decided by the access core), refresh failure or shutdown. Upstream token refresh
 * is the `SessionRefresher`'s (seed Example 4 runs there, through `executeWebSocketTokenRefresh`),
 * which this service builds with callbacks into itself when an IdP is configured. Client requests
 * (`{ id, op, data? }`) are answered by the operations in `operations` (`answerRequest`).
 */
export class WebSocketAuthService {
  readonly #deps: WebSocketAuthDependencies;
  readonly #connections = new ConnectionIndex();
  readonly #heartbeat: NodeJS.Timeout;
  readonly #refresher: SessionRefresher | undefined;
  readonly #answer: AnswerDependencies;
  /** The operations sockets may request: the built-ins, and whatever the app defines. */
  readonly operations = new OperationRegistry();
  #draining = false;
  readonly #onClose: (this: TrackedSocket) => void;
  readonly #onMessage: (this: TrackedSocket, raw: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void;

  constructor(deps: WebSocketAuthDependencies) {
    this.#deps = deps;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the listeners' `this` is the socket
    const service = this;
    this.#onClose = function onClose() {
      const connection = this[CONNECTION];
      if (connection) service.#detach(connection);
    };
    this.#onMessage = function onMessage(raw, isBinary) {
      const connection = this[CONNECTION];
      if (!connection) return;
      connection.alive = true;
      void service.#onRequest(connection, raw, isBinary);
    };
    this.#refresher = deps.tokens
      ? new SessionRefresher({
          refresh: (sessionId, expiresAt) => this.refreshUpstream(sessionId, expiresAt),
          broadcast: (sessionId, frame) => this.broadcastToSession(sessionId, frame),
          close: (sessionId, code, reason, frame) => this.closeSession(sessionId, code, reason, frame),
          metrics: deps.metrics,
          logger: deps.logger,
          skewMs: deps.refreshSkewMs ?? 30_000,
          graceMs: deps.refreshGraceMs ?? 15_000,
        })
      : undefined;
    defineBuiltinOperations(this.operations, this.#refresher);
    const { limits } = deps;
    this.#answer = {
      access: deps.access,
      operations: this.operations,
      metrics: deps.metrics,
      logger: deps.logger,
      limits: { maxConcurrent: limits.maxOperationsPerConnection, graceMs: limits.operationGraceMs },
      usable: (connection) => !connection.ended && connection.socket.readyState === connection.socket.OPEN,
    };
    this.#heartbeat = setInterval(() => this.#beat(), limits.heartbeatMs);
    this.#heartbeat.unref();
  }

  /** Upstream refresh for the sessions with sockets here (when an IdP is configured). */
  get refresher(): SessionRefresher | undefined {
    return this.#refresher;
  }

  get size(): number {
    return this.#connections.size;
  }

  get draining(): boolean {
    return this.#draining;
  }

  /** Sockets of a session on this instance. */
  connectionsOfSession(sessionId: string): LiveConnection[] {
    return this.#connections.ofSession(sessionId);
  }

  /** Whether one more socket may open for `userId` (checked before the upgrade). */
  capRefusal(userId: string): CapRefusal {
    if (this.#draining) return { status: 503, code: 'SERVER_DRAINING', message: 'The server is shutting down.' };
    if (this.#connections.size >= this.#deps.limits.maxConnections) return { status: 503, code: 'WS_CAPACITY', message: 'Too many open connections. Please try again later.' };
    if (this.#connections.countOfUser(userId) >= this.#deps.limits.maxConnectionsPerUser) {
      return { status: 429, code: 'WS_USER_LIMIT', message: 'Too many open connections for this user.' };
    }
    return null;
  }

  /**
   * Registers an upgraded socket; closes it at once (1013) if a cap filled while it upgraded.
   * Arms a timer at the credential's expiry, where the socket is re-decided (and closes, 4001 / 4006).
   */
  attach(socket: WebSocket, principal: Principal, credential: SocketCredential | null): LiveConnection | undefined {
    if (this.capRefusal(principal.user.id)) {
      socket.close(this.#draining ? CLOSE_CODES.SERVER_DRAINING : CLOSE_CODES.TRY_AGAIN_LATER, 'connection limit');
      return undefined;
    }
    const connection: LiveConnection = { id: randomUUID(), socket, principal, credential, alive: true, expiresAt: null, expiry: undefined, badFrames: 0, ended: false };
    this.#connections.add(connection);
    const sessionId = principal.session?.id;
    this.#arm(connection, (principal.session?.expiresAt ?? principal.apiKey?.expiresAt)?.getTime() ?? null);
    this.#deps.metrics.recordWebSocketConnection('opened');
    // One set of listeners for every socket (no closures per socket): the socket carries its connection.
    (socket as TrackedSocket)[CONNECTION] = connection;
    socket.on('pong', onPong);
    socket.once('close', this.#onClose);
    socket.on('message', this.#onMessage);
    const expires = principal.session?.accessTokenExpiresAt ?? null;
    this.send(connection, envelope('welcome', { connectionId: connection.id, userId: principal.user.id, sessionId: sessionId ?? null, accessTokenExpiresAt: expires ? expires.toISOString() : null }));
    if (principal.session) this.#refresher?.track(principal.session);
    return connection;
  }

  /**
   * Answers one client frame: a malformed one (bad JSON, no id, unknown op, too large) with a
   * typed `error` — the socket stays open until `maxBadFrames` of them, then closes with 1008 —
   * and a request with its operation's `result` or `error` (`answerRequest`).
   */
  async #onRequest(connection: LiveConnection, raw: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): Promise<void> {
    const parsed = parseRequest(raw, isBinary, this.#deps.limits.maxRequestBytes);
    if (!isBadFrame(parsed) && this.operations.get(parsed.op)) {
      this.send(connection, await this.answer(connection, parsed));
      return;
    }
    const bad = isBadFrame(parsed) ? parsed : { id: parsed.id, code: OPERATION_ERRORS.UNKNOWN_OPERATION, message: `There is no operation "${parsed.op.slice(0, 64)}".` };
    this.#deps.metrics.incrementEvent('ws.operation.bad_frame');
    this.send(connection, errorFrame(bad.id, bad.code, bad.message));
    if (++connection.badFrames >= this.#deps.limits.maxBadFrames) connection.socket.close(CLOSE_CODES.POLICY_VIOLATION, 'too many malformed requests');
  }

  /** The frame answering `request` on `connection` (a `result` or a typed `error`). */
  answer(connection: LiveConnection, request: ClientRequest): Promise<string> {
    return answerRequest(this.#answer, connection, request);
  }

  /**
   * Seed Example 4, for real: refreshes a session's upstream tokens through
   * `executeWebSocketTokenRefresh`, keyed by the session so every socket of it on this instance
   * shares one call (the token store makes it one across instances). Retries IdP outages until
   * the token's expiry plus the grace period; `invalid_grant` fails at once.
   */
  refreshUpstream(sessionId: string, tokenExpiresAt: number): Promise<ExchangeResult> {
    const { tokens, metrics, logger } = this.#deps;
    if (!tokens) return Promise.reject(new Error('no upstream IdP configured'));
    return executeWebSocketTokenRefresh(
      async () => this.#refreshed(await tokens.exchange(sessionId)),
      (error, context, attempt) => {
        logger.warn({ component: 'ws', sessionId, attempt, errorType: context.errorType, willRetry: context.willRetry }, 'upstream token refresh failed');
      },
      `session:${sessionId}`,
      {
        maxRetries: 3,
        gracePeriod: this.#deps.refreshGraceMs ?? 15_000,
        isRealTime: true,
        tokenExpiresAt,
        breakerKey: 'idp',
        isRetryable: (error) => error instanceof IdpUnavailableError || isRetryableWebSocketError(error),
      },
      metrics,
    );
  }

  /** The session's sockets here go on with the refreshed row (`session.status` shows its expiry). */
  #refreshed(result: ExchangeResult): ExchangeResult {
    for (const c of this.#connections.ofSession(result.session.id)) if (c.principal.session) c.principal = { ...c.principal, session: result.session };
    return result;
  }

  /** Sends one frame unless the client's send buffer is past its bound, which closes it with 1013. */
  send(connection: LiveConnection, frame: string): boolean {
    const { socket } = connection;
    if (socket.readyState !== socket.OPEN) return false;
    if (socket.bufferedAmount + Buffer.byteLength(frame) > this.#deps.limits.maxBufferedBytes) {
      this.#deps.metrics.incrementEvent('ws.backpressure.dropped');
      socket.close(CLOSE_CODES.TRY_AGAIN_LATER, 'slow consumer');
      return false;
    }
    socket.send(frame);
    return true;
  }

  /** One message to every socket of a session on this instance. */
  broadcastToSession(sessionId: string, message: string): number {
    let sent = 0;
    for (const connection of this.connectionsOfSession(sessionId)) if (this.send(connection, message)) sent++;
    return sent;
  }

  /** Closes the session's sockets on this instance, after a final message when given. */
  closeSession(sessionId: string, code: CloseCode, reason: string, message?: string): number {
    const sockets = this.connectionsOfSession(sessionId);
    for (const connection of sockets) {
      connection.ended = true;
      if (message) this.send(connection, message);
      connection.socket.close(code, reason);
    }
    this.#refresher?.untrack(sessionId);
    return sockets.length;
  }

  /**
   * Re-decides the matching sockets with the access core (the only status rule, see
   * `credentialVerdict`): an ended or expired session, a revoked, expired or narrowed key, or a
   * user who may not act any more closes them with the matching code. Called on every session,
   * user, key and role invalidation any instance makes. A check that cannot be answered (an
   * outage) leaves the sockets open. Returns how many closed.
   */
  async revalidate(filter: RevalidationFilter): Promise<number> {
    // One check per credential: the sockets of one session (or one key) share it.
    const closed = await Promise.all(this.#connections.matchingByCredential(filter).map((group) => this.#decide(group, false)));
    return closed.reduce((sum, n) => sum + n, 0);
  }

  /** Re-decides sockets sharing one credential; at expiry, an unanswered check closes them. */
  async #decide(group: LiveConnection[], atExpiry: boolean): Promise<number> {
    const [first] = group;
    const verdict = await credentialVerdict(this.#deps, first.principal, first.credential).catch(() => null);
    let code: CloseCode | null;
    if (verdict === null) {
      // Unanswered (an outage): open sockets stay, but none outlives its credential's known expiry.
      code = atExpiry && first.expiresAt !== null && first.expiresAt <= this.#deps.access.now() ? expiryCloseCode(first.credential) : null;
      if (code === null) for (const c of group) this.#arm(c, c.expiresAt);
    } else if (verdict.stays) {
      code = verdict.expiresAt !== null && verdict.expiresAt <= this.#deps.access.now() ? expiryCloseCode(first.credential) : null;
      if (code === null) {
        for (const c of group) {
          c.principal = verdict.principal;
          this.#arm(c, verdict.expiresAt);
        }
      }
    } else code = verdict.code;
    if (code === null) return 0;
    const frame = envelope('session_ended', { reason: endedReasonOf(code) });
    for (const c of group) {
      c.ended = true;
      this.send(c, frame);
      c.socket.close(code, 'access ended');
    }
    const sessionId = first.principal.session?.id;
    if (sessionId) this.#refresher?.untrack(sessionId);
    return group.length;
  }

  #arm(connection: LiveConnection, expiresAt: number | null): void {
    if (connection.expiry) clearTimeout(connection.expiry);
    connection.expiresAt = expiresAt;
    connection.expiry = expiresAt === null ? undefined : expiryTimer(expiresAt, this.#deps.access.now(), () => void this.#expire(connection));
  }

  async #expire(connection: LiveConnection): Promise<void> {
    connection.expiry = undefined;
    if (!this.#connections.has(connection.id)) return;
    await this.#decide([connection], true);
  }

  /** Graceful shutdown: no new sockets; every open one closes with 1012. */
  async drain(): Promise<void> {
    this.#draining = true;
    clearInterval(this.#heartbeat);
    this.#refresher?.stop();
    const closing = [...this.#connections.values()].map(
      (c) =>
        new Promise<void>((resolve) => {
          c.ended = true;
          if (c.socket.readyState === c.socket.CLOSED) return resolve();
          const timer = setTimeout(() => {
            c.socket.terminate();
            resolve();
          }, 2_000);
          c.socket.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          c.socket.close(CLOSE_CODES.SERVER_DRAINING, 'server draining');
        }),
    );
    await Promise.all(closing);
  }

  #beat(): void {
    for (const connection of this.#connections.values()) {
      if (!connection.alive) {
        this.#deps.metrics.incrementEvent('ws.heartbeat.dropped');
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }

  #detach(connection: LiveConnection): void {
    if (!this.#connections.remove(connection)) return;
    connection.ended = true;
    if (connection.expiry) clearTimeout(connection.expiry);
    releaseConnection(connection.id);
    const sessionId = connection.principal.session?.id;
    if (sessionId && this.#connections.ofSession(sessionId).length === 0) this.#refresher?.untrack(sessionId);
    this.#deps.metrics.recordWebSocketConnection('closed');
  }
}
