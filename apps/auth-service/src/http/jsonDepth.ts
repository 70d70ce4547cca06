import type { FastifyInstance } from 'fastify';

/**
 * Deepest nesting a JSON body may have. Sign-up, sign-in and API-key bodies are a few levels
 * deep; a body nested thousands deep is an attack on recursive code (the bridge to Better-Auth
 * serialises the body again, and `JSON.stringify` overflows the stack on it).
 */
export const MAX_JSON_DEPTH = 64;

/** Nesting depth of a JSON text ('{' and '[' outside strings), stopping early past `limit`. */
export function jsonDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max && (max = depth) > limit) return max;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** A 400 with a code, answered by the error handler. */
class JsonTooDeepError extends Error {
  readonly statusCode = 400;
  readonly code = 'JSON_TOO_DEEP';
  constructor() {
    super(`JSON body nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
}

/**
 * Fastify's own JSON parser (secure-json-parse, prototype poisoning rejected), preceded by a
 * depth check: a body nested deeper than `MAX_JSON_DEPTH` is a 400 `JSON_TOO_DEEP` before it
 * is parsed, so no recursive code downstream ever meets it.
 */
export function registerBoundedJsonParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (jsonDepth(body as string, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) return done(new JsonTooDeepError(), undefined);
    return parse(request, body as string, done);
  });
}
