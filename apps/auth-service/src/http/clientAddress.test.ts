import Fastify from 'fastify';
import { loadConfig } from '../config';
import { createFastify } from '../server';
import { clientAddress, parseProxyTrust, resolveClientAddress, type ProxyTrust } from './clientAddress';
import { toWebRequest } from './webBridge';

function trust(value: string): ProxyTrust {
  const parsed = parseProxyTrust(value);
  if (!('trust' in parsed)) throw new Error(parsed.error);
  return parsed.trust;
}

describe('parseProxyTrust (TRUST_PROXY)', () => {
  it.each(['', 'off', 'false', '0', undefined])('%p: off', (value) => {
    expect(parseProxyTrust(value)).toEqual({ trust: { kind: 'off' } });
  });

  it('a number is a hop count', () => {
    expect(parseProxyTrust('2')).toEqual({ trust: { kind: 'hops', hops: 2 } });
  });

  it.each([
    ['true', /may not trust every peer/],
    ['*', /may not trust every peer/],
    ['10.0.0.0/33', /invalid prefix length/],
    ['not-an-ip', /not an address or CIDR/],
    ['10.0.0.1/8/1', /not an address or CIDR/],
    ['99', /at most 32/],
  ])('refuses %p', (value, message) => {
    const parsed = parseProxyTrust(value);
    expect('error' in parsed && parsed.error).toMatch(message);
  });

  it('names the variable when the config is invalid', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY may not trust every peer/);
  });
});

describe('resolveClientAddress', () => {
  it('off: the socket address, whatever X-Forwarded-For says', () => {
    expect(resolveClientAddress(trust('off'), '203.0.113.9', '198.51.100.1')).toBe('203.0.113.9');
  });

  it('a trusted peer names the client: the right-most entry it appended', () => {
    // A client may send its own X-Forwarded-For; the proxy appends the real peer after it.
    expect(resolveClientAddress(trust('127.0.0.1'), '127.0.0.1', 'forged-by-client, 1.2.3.4, 198.51.100.7')).toBe('198.51.100.7');
  });

  it('an untrusted peer is the client even when it forges X-Forwarded-For', () => {
    expect(resolveClientAddress(trust('10.0.0.0/8'), '203.0.113.9', '10.0.0.5, 1.1.1.1')).toBe('203.0.113.9');
  });

  it('walks through every trusted proxy of a CIDR list, stopping at the first untrusted hop', () => {
    const t = trust('10.0.0.0/8, 192.168.1.1');
    expect(resolveClientAddress(t, '10.1.2.3', '6.6.6.6, 198.51.100.7, 192.168.1.1')).toBe('198.51.100.7');
    expect(resolveClientAddress(t, '10.1.2.3', '10.9.9.9, 10.8.8.8')).toBe('10.9.9.9');
  });

  it('hop count: trusts that many peers from the socket, whoever they are', () => {
    expect(resolveClientAddress(trust('1'), '10.0.0.1', '6.6.6.6, 198.51.100.7')).toBe('198.51.100.7');
    expect(resolveClientAddress(trust('2'), '10.0.0.1', '6.6.6.6, 198.51.100.7')).toBe('6.6.6.6');
    expect(resolveClientAddress(trust('3'), '10.0.0.1', '198.51.100.7')).toBe('198.51.100.7');
  });

  it('without X-Forwarded-For, the peer (a trusted proxy called directly) is the client', () => {
    expect(resolveClientAddress(trust('loopback'), '127.0.0.1', undefined)).toBe('127.0.0.1');
  });

  it('IPv6 peers and ranges; IPv4-mapped addresses are IPv4', () => {
    expect(resolveClientAddress(trust('fd00::/8'), 'fd12::1', '2001:db8::42')).toBe('2001:db8::42');
    expect(resolveClientAddress(trust('fd00::/8'), 'fe80::1', '2001:db8::42')).toBe('fe80::1');
    expect(resolveClientAddress(trust('127.0.0.1'), '::ffff:127.0.0.1', '::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(resolveClientAddress(trust('::ffff:127.0.0.1'), '127.0.0.1', '198.51.100.7')).toBe('198.51.100.7');
    expect(resolveClientAddress(trust('off'), '::FFFF:203.0.113.9', undefined)).toBe('203.0.113.9');
    expect(resolveClientAddress(trust('loopback'), '::1', '2001:DB8::42')).toBe('2001:db8::42');
  });

  it('an entry that is not an address stops the walk at the last real one', () => {
    expect(resolveClientAddress(trust('2'), '10.0.0.1', '<script>, 10.0.0.2')).toBe('10.0.0.2');
    expect(resolveClientAddress(trust('127.0.0.1'), '127.0.0.1', 'unknown')).toBe('127.0.0.1');
  });

  it('repeated X-Forwarded-For headers are one chain', () => {
    expect(resolveClientAddress(trust('127.0.0.1'), '127.0.0.1', ['6.6.6.6', '198.51.100.7'])).toBe('198.51.100.7');
  });
});

describe('clientAddress on a request, and what the bridge passes to Better-Auth', () => {
  async function seen(trustProxy: string, remoteAddress: string, forwardedFor?: string) {
    const app = createFastify(loadConfig({ LOG_LEVEL: 'silent', TRUST_PROXY: trustProxy }));
    let result: { resolved: string; fastifyIp: string; bridged: string | null } | undefined;
    app.post('/api/auth/*', async (request) => {
      result = { resolved: clientAddress(request), fastifyIp: request.ip, bridged: toWebRequest(request, 'http://localhost').headers.get('x-forwarded-for') };
      return {};
    });
    await app.inject({ method: 'POST', url: '/api/auth/x', remoteAddress, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}, payload: {} });
    await app.close();
    return result!;
  }

  it('trusted proxy: the client it names, in Fastify and in the bridged header alike', async () => {
    expect(await seen('127.0.0.1', '127.0.0.1', '6.6.6.6, 198.51.100.7')).toEqual({ resolved: '198.51.100.7', fastifyIp: '198.51.100.7', bridged: '198.51.100.7' });
  });

  it('untrusted peer: its forged X-Forwarded-For never reaches Better-Auth', async () => {
    expect(await seen('10.0.0.0/8', '127.0.0.1', '198.51.100.7')).toEqual({ resolved: '127.0.0.1', fastifyIp: '127.0.0.1', bridged: '127.0.0.1' });
    expect(await seen('off', '127.0.0.1', '198.51.100.7')).toEqual({ resolved: '127.0.0.1', fastifyIp: '127.0.0.1', bridged: '127.0.0.1' });
  });

  it('a Fastify instance built without createFastify resolves as off', async () => {
    const app = Fastify();
    let resolved = '';
    app.get('/', async (request) => {
      resolved = clientAddress(request);
      return {};
    });
    await app.inject({ url: '/', remoteAddress: '203.0.113.9', headers: { 'x-forwarded-for': '198.51.100.7' } });
    expect(resolved).toBe('203.0.113.9');
  });
});
