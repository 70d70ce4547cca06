import { BlockList, isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';

/**
 * Which peers may tell us who the client is (`X-Forwarded-For`): nobody (`off`), the first
 * `hops` peers whoever they are, or the peers inside a list of addresses and CIDR ranges.
 */
export type ProxyTrust = { kind: 'off' } | { kind: 'hops'; hops: number } | { kind: 'list'; entries: readonly string[]; list: BlockList };

/** The header our bridge sets to the resolved client address for Better-Auth (its `ipAddressHeaders`). */
export const CLIENT_ADDRESS_HEADER = 'x-forwarded-for';

/** Names proxy-addr (Express, Fastify) also understands, for the usual private ranges. */
const NAMED_RANGES: Record<string, readonly string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** `::ffff:10.0.0.1` → `10.0.0.1`; other addresses unchanged (lower case). */
export function canonicalAddress(address: string): string {
  const lower = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(lower);
  return mapped ? mapped[1] : lower;
}

function addEntry(list: BlockList, entry: string): string | null {
  const [address, prefix, extra] = entry.split('/');
  const canonical = canonicalAddress(address ?? '');
  const family = isIP(canonical);
  if (!family || extra !== undefined) return `"${entry}" is not an address or CIDR range`;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (prefix === undefined) {
    list.addAddress(canonical, type);
    return null;
  }
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  if (!(bits >= 0 && bits <= (family === 4 ? 32 : 128))) return `"${entry}" has an invalid prefix length`;
  list.addSubnet(canonical, bits, type);
  return null;
}

/** Parses `TRUST_PROXY`: unset / `off` / `false`; a hop count (`1`); or a comma list of addresses, CIDRs, `loopback`, `linklocal`, `uniquelocal`. */
export function parseProxyTrust(value: string | undefined): { trust: ProxyTrust } | { error: string } {
  const text = (value ?? '').trim().toLowerCase();
  if (text === '' || text === 'off' || text === 'false' || text === '0') return { trust: { kind: 'off' } };
  if (text === 'true' || text === '*') return { error: 'may not trust every peer: name the proxies (addresses, CIDRs) or a hop count' };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops <= 32 ? { trust: { kind: 'hops', hops } } : { error: 'hop count must be at most 32' };
  }
  const entries = text.split(',').map((entry) => entry.trim()).filter(Boolean);
  if (entries.length > 64) return { error: 'may list at most 64 entries' };
  const list = new BlockList();
  for (const entry of entries) {
    const error = NAMED_RANGES[entry] ? NAMED_RANGES[entry].map((range) => addEntry(list, range)).find(Boolean) : addEntry(list, entry);
    if (error) return { error };
  }
  return { trust: { kind: 'list', entries, list } };
}

/** `TRUST_PROXY` in the app's config schema. */
export const clientAddressConfigShape = {
  /**
   * Proxies whose `X-Forwarded-For` names the client (docs/client-identity.md): a comma list of
   * addresses / CIDRs (`127.0.0.1`, `10.0.0.0/8`, `loopback`), or a hop count. Unset: the socket
   * address is the client, whatever the request's headers say.
   */
  TRUST_PROXY: z
    .string()
    .max(4_096)
    .optional()
    .transform((value, ctx) => {
      const parsed = parseProxyTrust(value);
      if ('trust' in parsed) return parsed.trust;
      ctx.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    }),
};

/** Whether the peer `address`, `hop` steps from us (0: the socket), may name the one before it. */
export function isTrustedHop(trust: ProxyTrust, address: string, hop: number): boolean {
  if (trust.kind === 'off') return false;
  if (trust.kind === 'hops') return hop < trust.hops;
  const canonical = canonicalAddress(address);
  const family = isIP(canonical);
  return family !== 0 && trust.list.check(canonical, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Fastify's `trustProxy`: the same trust rule, so `request.ip` (its request logs) names the same
 * client in the usual case. It is not the resolver: proxy-addr returns an entry as written (junk
 * past a trusted hop, `::ffff:` forms), so every decision keyed on an address uses `clientAddress`.
 */
export function fastifyTrustProxy(trust: ProxyTrust | undefined): false | ((address: string, hop: number) => boolean) {
  return !trust || trust.kind === 'off' ? false : (address, hop) => isTrustedHop(trust, address, hop);
}

/**
 * The client of a connection from `peer` that carried `forwardedFor`: walk from the socket
 * towards the client while the current hop is trusted; the first untrusted hop is the client. An
 * entry that is not an address (a client can write anything left of what its proxy appends)
 * stops the walk at the last real address.
 */
export function resolveClientAddress(trust: ProxyTrust, peer: string, forwardedFor: string | string[] | undefined): string {
  let client = canonicalAddress(peer);
  if (trust.kind === 'off' || forwardedFor === undefined) return client;
  const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map((entry) => entry.trim()).filter(Boolean);
  for (let hop = 0; hop < chain.length && isTrustedHop(trust, client, hop); hop++) {
    const next = canonicalAddress(chain[chain.length - 1 - hop] ?? '');
    if (!isIP(next)) break;
    client = next;
  }
  return client;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Which peers may name the client (`TRUST_PROXY`), decorated by `createFastify`. */
    proxyTrust: ProxyTrust;
  }
}

/**
 * The client address of a request: the one answer rate limits, session rows, events and audit
 * use (Better-Auth gets it through our bridge, in `CLIENT_ADDRESS_HEADER`).
 */
export function clientAddress(request: Pick<FastifyRequest, 'server' | 'headers' | 'socket'>): string {
  const trust = request.server.proxyTrust ?? { kind: 'off' };
  return resolveClientAddress(trust, request.socket?.remoteAddress ?? '', request.headers['x-forwarded-for']);
}
