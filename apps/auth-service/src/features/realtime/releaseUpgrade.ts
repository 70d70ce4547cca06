import type { ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';

/**
 * Lets the upgrade's HTTP objects go once the socket is open. Otherwise every held socket keeps
 * its upgrade request, reply, raw `ServerResponse`, request logger and their listeners (≈3 KiB):
 * the TCP socket references the `ServerResponse` (`assignSocket`) until it closes, and
 * `@fastify/websocket`'s per-socket `error` listener is a closure over the request and reply.
 * Here the response is detached and that listener replaced by one shared listener (log, terminate —
 * what the plugin's default handler does).
 */
export function upgradeReleaser(logger: FastifyBaseLogger): (socket: WebSocket, request: FastifyRequest, response: ServerResponse | undefined) => void {
  function onSocketError(this: WebSocket, error: Error): void {
    logger.warn({ component: 'ws', err: error }, 'websocket error');
    this.terminate();
  }
  return (socket, request, response) => {
    if (response && request.raw.socket) response.detachSocket(request.raw.socket);
    socket.removeAllListeners('error');
    socket.on('error', onSocketError);
  };
}
