import type { InvalidationEvent } from '../invalidationEvent';
import { decodeEvents } from './busMessage';

/**
 * A change on the Postgres bus: one NOTIFY per announced change, with everything the receiver
 * drops (full logical keys and tags) and the typed events. `messageId` is the one the Redis bus
 * message of the same change carries, so a receiver applies it once.
 */
export interface ChangeMessage {
  instanceId: string;
  messageId: string;
  publishedAt?: number;
  keys: string[];
  tags: string[];
  events: InvalidationEvent[];
}

/** pg_notify refuses payloads of 8000 bytes or more; ours stay well under. */
export const MAX_NOTIFY_PAYLOAD_BYTES = 7_900;

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/**
 * Compact JSON `{ i, m, t, k, g, e }`. A change too large for one NOTIFY (ending thousands of
 * sessions at once) is sent as `may-have-missed`: receivers drop every security-relevant entry.
 */
export function encodeChangeMessage(message: ChangeMessage): string {
  const t = message.publishedAt ?? Date.now();
  const text = JSON.stringify({ i: message.instanceId, m: message.messageId, t, k: message.keys, g: message.tags, e: message.events });
  if (Buffer.byteLength(text) < MAX_NOTIFY_PAYLOAD_BYTES) return text;
  return JSON.stringify({ i: message.instanceId, m: message.messageId, t, k: [], g: [], e: [{ kind: 'may-have-missed' }] });
}

/** Parses a NOTIFY payload; anything malformed is `undefined`. */
export function decodeChangeMessage(text: string): ChangeMessage | undefined {
  let raw: { i?: unknown; m?: unknown; t?: unknown; k?: unknown; g?: unknown; e?: unknown };
  try {
    raw = JSON.parse(text) as typeof raw;
  } catch {
    return undefined;
  }
  if (raw === null || typeof raw !== 'object' || typeof raw.i !== 'string' || typeof raw.m !== 'string' || !isStringArray(raw.k) || !isStringArray(raw.g)) return undefined;
  const events = decodeEvents(raw.e);
  if (events === undefined) return undefined;
  const publishedAt = typeof raw.t === 'number' && Number.isFinite(raw.t) && raw.t > 0 ? raw.t : undefined;
  return { instanceId: raw.i, messageId: raw.m, keys: raw.k, tags: raw.g, events, ...(publishedAt === undefined ? {} : { publishedAt }) };
}
