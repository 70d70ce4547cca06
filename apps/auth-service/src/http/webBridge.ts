import type { FastifyReply, FastifyRequest } from 'fastify';
import { CLIENT_ADDRESS_HEADER, clientAddress } from './clientAddress';

/**
 * Fastify ⇄ Fetch bridge for Better-Auth's `auth.handler(Request): Promise<Response>`.
 * Fastify has already parsed and size-limited the body; it is re-serialised as JSON (or passed
 * as form data text) so Better-Auth sees exactly what the client sent.
 */
export function toWebRequest(request: FastifyRequest, baseUrl: string): Request {
  const headers = toWebHeaders(request);
  // The resolved client (TRUST_PROXY decides which proxies may name it), one address: whatever
  // the client or an untrusted peer put in X-Forwarded-For never reaches Better-Auth.
  const client = clientAddress(request);
  headers.set(CLIENT_ADDRESS_HEADER, client);
  const method = request.method.toUpperCase();
  const hasBody = method !== 'GET' && method !== 'HEAD' && request.body !== undefined && request.body !== null;
  let body: string | undefined;
  if (hasBody) {
    // A JSON body that is itself a string ("") is still JSON: serialise it, or Better-Auth gets the bare text.
    const isJson = /\bjson\b/i.test(request.headers['content-type'] ?? '');
    body = typeof request.body === 'string' && !isJson ? request.body : JSON.stringify(request.body);
    headers.delete('content-length');
  }
  const webRequest = new Request(new URL(request.url, baseUrl), { method, headers, body });
  bridgedClients.set(webRequest, client);
  return webRequest;
}

/** The client address (http/clientAddress.ts) of each Request the bridge built, for as long as the Request lives. */
const bridgedClients = new WeakMap<Request, string>();

/**
 * The client of a Request the bridge built: the very answer `clientAddress` gave for its Fastify
 * request (the plugin endpoints' per-address budget uses it, so they count the address the
 * Fastify routes count). A Request the bridge did not build (an in-process `auth.handler` call)
 * is `unknown`: no header of it is believed.
 */
export function bridgedClientAddress(request: Request): string {
  return bridgedClients.get(request) ?? 'unknown';
}

/** The request's headers as Fetch `Headers` (repeated headers kept apart). */
export function toWebHeaders(request: FastifyRequest): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, String(value));
  }
  return headers;
}

/** Copies a Fetch `Response` onto the Fastify reply (multiple Set-Cookie headers kept apart). */
export async function sendWebResponse(reply: FastifyReply, response: Response): Promise<FastifyReply> {
  void reply.status(response.status);
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie' && name !== 'content-length') void reply.header(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) void reply.header('set-cookie', cookies);
  const text = response.body ? await response.text() : '';
  return reply.send(text.length ? text : null);
}
