import { connect } from 'node:net';
import fc from 'fast-check';
import { jsonPostHeaders, type BenchUser } from '../../bench/auth/seed';
import type { ChaosEnvironment } from '../environment';
import { alive, heapUsedMb, rssMb } from '../processStats';

/** Every user the fuzzer can create carries this in its email, so its rows can be found afterwards. */
export const FUZZ_MARKER = 'fuzzmark';

/** Endpoint families the fuzzer covers (method chosen per request, body generated). */
const AUTH_PATHS = [
  '/api/auth/sign-up/email', '/api/auth/sign-in/email', '/api/auth/get-session', '/api/auth/sign-out', '/api/auth/update-user',
  '/api/auth/change-password', '/api/auth/change-email', '/api/auth/list-sessions', '/api/auth/revoke-session', '/api/auth/revoke-other-sessions',
  '/api/auth/request-password-reset', '/api/auth/reset-password', '/api/auth/verify-email', '/api/auth/ok', '/api/auth/error', '/api/auth/unknown-route',
];
const PLUGIN_PATHS = [
  '/api/auth/api-key/create', '/api/auth/api-key/verify', '/api/auth/api-key/list', '/api/auth/api-key/update', '/api/auth/api-key/revoke', '/api/auth/api-key/rotate',
  '/api/auth/roles/create', '/api/auth/roles/get', '/api/auth/roles/list', '/api/auth/roles/update', '/api/auth/roles/delete', '/api/auth/roles/assign',
  '/api/auth/roles/add-permissions', '/api/auth/roles/remove-permissions', '/api/auth/roles/has-permission', '/api/auth/roles/my-permissions',
];
const ADMIN_PATHS = [
  '/api/admin/users', '/api/admin/users/stats', '/api/admin/users/by-email', '/api/admin/users/status', '/api/admin/health/summary', '/api/admin/metrics',
  '/api/admin/users/:id', '/api/admin/users/:id/sessions', '/api/admin/users/:id/delete', '/api/admin/users/:id/restore',
  '/api/admin/users/:id/sessions/revoke-all', '/api/admin/users/:id/sessions/:id/revoke', '/api/admin/roles/:id/users',
];
const OTHER_PATHS = ['/health/live', '/health/ready', '/metrics', '/', '/admin', '/favicon.ico', '/api', '/api/auth'];
export const FUZZ_FAMILIES = { auth: AUTH_PATHS, plugins: PLUGIN_PATHS, admin: ADMIN_PATHS, other: OTHER_PATHS } as const;
type Family = keyof typeof FUZZ_FAMILIES | 'ws';

interface HttpCase {
  kind: 'http';
  family: Family;
  method: string;
  path: string;
  /** Which credentials: none, a junk token, a fuzz user's session, the fuzz admin's session. */
  auth: 'none' | 'junk' | 'user' | 'admin';
  junkAuth: string;
  contentType: string | null;
  body: string | null;
  origin: boolean;
}
interface WsCase {
  kind: 'ws';
  family: 'ws';
  path: string;
  headers: [string, string][];
  auth: 'none' | 'user';
}
type FuzzCase = HttpCase | WsCase;

const junkText = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constantFrom('', ' ', 'null', '../../etc/passwd', "' OR 1=1 --", '%00', '\u0000', 'a'.repeat(5_000)));
const headerSafe = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_=+/.:;, !?*'.split('')), maxLength: 60 });

/** Emails: valid, almost valid and plain junk, always carrying the marker so created rows are findable. */
const markedEmail = fc.oneof(
  fc.tuple(fc.string({ unit: fc.constantFrom(...'abcdefghij0123456789._+-'.split('')), minLength: 1, maxLength: 20 })).map(([l]) => `${l}.${FUZZ_MARKER}@fuzz.test`),
  junkText.map((j) => `${j}${FUZZ_MARKER}`),
  junkText.map((j) => `${FUZZ_MARKER}@${j}`),
  fc.constant(`${FUZZ_MARKER}@`),
  fc.constant(`UPPER.${FUZZ_MARKER}@FUZZ.TEST`),
);

const anyJson = fc.jsonValue({ maxDepth: 4 });
const fields = fc.record(
  {
    email: fc.oneof(markedEmail, anyJson),
    password: fc.oneof(junkText, fc.string({ minLength: 8, maxLength: 200 }), anyJson),
    name: fc.oneof(junkText, anyJson),
    newPassword: junkText,
    currentPassword: junkText,
    token: junkText,
    key: fc.oneof(junkText, fc.constant('ak_' + 'x'.repeat(64))),
    userIds: fc.array(junkText, { maxLength: 5 }),
    status: fc.oneof(fc.constantFrom('ACTIVE', 'BANNED', 'SUSPENDED', 'DELETED'), junkText),
    roleId: junkText,
    permissions: fc.array(junkText, { maxLength: 5 }),
    rateLimit: anyJson,
    expiresIn: fc.oneof(fc.integer(), fc.double(), junkText),
    image: junkText,
    callbackURL: junkText,
    rememberMe: fc.oneof(fc.boolean(), anyJson),
  },
  { requiredKeys: [] },
);

const deepJson = fc.integer({ min: 1_000, max: 25_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth));
const fieldsBody = fields.map((o) => JSON.stringify(o));
const body: fc.Arbitrary<string> = fc.oneof(
  fieldsBody, fieldsBody, fieldsBody, fieldsBody, fieldsBody, fieldsBody,
  anyJson.map((v) => JSON.stringify(v)), anyJson.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  deepJson,
  fc.constantFrom('{', '{"email":', '\u0000\u0001', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '[]', '""', 'null', '1e999'),
);

function pathArb(paths: readonly string[]) {
  return fc.tuple(fc.constantFrom(...paths), junkText, fc.option(fc.dictionary(headerSafe, headerSafe, { maxKeys: 3 }))).map(([p, id, query]) => {
    const filled = p.replaceAll(':id', encodeURIComponent(id || 'x'));
    const qs = query ? new URLSearchParams(query).toString() : '';
    return qs ? `${filled}?${qs}` : filled;
  });
}

const httpCase = (family: keyof typeof FUZZ_FAMILIES): fc.Arbitrary<FuzzCase> =>
  fc.record({
    kind: fc.constant('http' as const),
    family: fc.constant(family),
    method: fc.constantFrom('GET', 'POST', 'POST', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
    path: pathArb(FUZZ_FAMILIES[family]),
    auth: fc.constantFrom('none', 'junk', 'user', 'user', 'admin'),
    junkAuth: fc.oneof(headerSafe.map((h) => `Bearer ${h}`), headerSafe, fc.constant('Bearer '), fc.constant('Basic Zm9vOmJhcg==')),
    contentType: fc.constantFrom('application/json', 'application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', null),
    body: fc.option(body, { freq: 5, nil: null }),
    origin: fc.boolean(),
  });

const wsCase: fc.Arbitrary<FuzzCase> = fc.record({
  kind: fc.constant('ws' as const),
  family: fc.constant('ws' as const),
  path: fc.tuple(fc.constantFrom('/ws', '/ws/', '/ws?x=1'), fc.option(headerSafe)).map(([p, q]) => (q ? `${p}${p.includes('?') ? '&' : '?'}t=${encodeURIComponent(q)}` : p)),
  headers: fc.array(
    fc.oneof(
      fc.tuple(fc.constantFrom('Upgrade', 'Connection', 'Sec-WebSocket-Key', 'Sec-WebSocket-Version', 'Sec-WebSocket-Protocol', 'Sec-WebSocket-Extensions', 'Origin', 'Authorization', 'Cookie'), headerSafe),
      fc.tuple(fc.constant('Sec-WebSocket-Key'), fc.constant('dGhlIHNhbXBsZSBub25jZQ==')),
      fc.tuple(fc.constant('Sec-WebSocket-Version'), fc.constantFrom('13', '8', '0', '999999999999')),
    ),
    { maxLength: 8 },
  ),
  auth: fc.constantFrom('none', 'user'),
});

/** All families equally likely; `/ws` gets a share too. */
export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof(httpCase('auth'), httpCase('auth'), httpCase('plugins'), httpCase('admin'), httpCase('other'), wsCase);

/** Sends a raw upgrade request with the given headers; the status of the first line (0 = none). */
function sendUpgrade(port: number, c: WsCase, token: string | null): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let buffer = '';
    const done = (status: number) => (socket.destroy(), clearTimeout(timer), resolve(status));
    const timer = setTimeout(() => done(0), 5_000);
    socket.setEncoding('latin1');
    socket.on('connect', () => {
      const headers: [string, string][] = [['Host', `127.0.0.1:${port}`], ['Upgrade', 'websocket'], ['Connection', 'Upgrade'], ...c.headers];
      if (token) headers.push(['Authorization', `Bearer ${token}`]);
      socket.write(`GET ${c.path} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
    });
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const line = buffer.indexOf('\r\n');
      if (line >= 0) done(Number(/^HTTP\/1\.[01] (\d{3})/.exec(buffer.slice(0, line))?.[1] ?? 0));
    });
    socket.on('error', () => done(0));
    socket.on('close', () => done(Number(/^HTTP\/1\.[01] (\d{3})/.exec(buffer)?.[1] ?? 0)));
  });
}

export interface FuzzRun {
  server: 'ours';
  requests: number;
  seed: number;
  byFamily: Record<string, number>;
  byStatus: Record<string, number>;
  /** Answers ≥ 500 (must be 0), with a few examples to reproduce. */
  serverErrors: number;
  serverErrorExamples: { method: string; path: string; status: number; body: string | null }[];
  /** Requests with no answer within 5 s (connection closed or timed out). */
  noAnswer: number;
  /** The process still answered /health/live at the end (0 crashes). */
  alive: boolean;
  /** Users created by the fuzzer (email carries the marker), and those among them with invalid data. */
  markedUsers: number;
  junkRows: number;
  junkExamples: { email: string; name: string }[];
  /** RSS and heap in use after the warm-up (first 10 %) and at the end, and the growth between. */
  rssWarmMb: number | null;
  rssEndMb: number | null;
  heapWarmMb: number | null;
  heapEndMb: number | null;
  heapGrowthPercent: number | null;
  rssGrowthPercent: number | null;
}

const VALID_EMAIL = /^[a-z0-9._+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
/** A row the fuzzer made that a well-behaved server should have refused. */
export const isJunkUser = (u: { email: string; name: string }) => !VALID_EMAIL.test(u.email) || u.email.length > 254 || typeof u.name !== 'string' || u.name.trim() === '' || u.name.length > 255 || CONTROL.test(u.name);

async function signUpOwner(baseUrl: string, i: number): Promise<BenchUser> {
  const email = `owner-${i}-${Date.now().toString(36)}.${FUZZ_MARKER}@fuzz.test`;
  const password = `Fuzz-owner-${Date.now().toString(36)}`;
  const response = await fetch(`${baseUrl}/api/auth/sign-up/email`, { method: 'POST', headers: jsonPostHeaders(baseUrl), body: JSON.stringify({ email, password, name: `Fuzz Owner ${i}` }) });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`fuzz owner sign-up answered ${response.status}`);
  const token = await signIn(baseUrl, email, password);
  if (!token) throw new Error('fuzz owner sign-in gave no token');
  return { email, password, token };
}

/** Signs in and returns the bearer token (our sign-up does not sign in). */
async function signIn(baseUrl: string, email: string, password: string): Promise<string | null> {
  const response = await fetch(`${baseUrl}/api/auth/sign-in/email`, { method: 'POST', headers: jsonPostHeaders(baseUrl), body: JSON.stringify({ email, password }) });
  await response.arrayBuffer();
  return response.headers.get('set-auth-token');
}

const growth = (a: number | null, b: number | null) => (a && b !== null ? Math.round(((b - a) / a) * 1000) / 10 : null);

/**
 * Scenario 6: `count` requests generated by fast-check over every endpoint family (Better-Auth's
 * routes, the api-key and roles plugins, /api/admin, /ws upgrades with junk headers, health,
 * metrics), a few at a time. Counts 5xx, requests never answered, whether the process survived,
 * users created with invalid data (found by the marker in their email) and heap / RSS growth.
 */
export async function runFuzz(env: ChaosEnvironment, count = 10_000, seed = 14_006, concurrency = 8): Promise<FuzzRun> {
  const adminEmail = `admin-${Date.now().toString(36)}.${FUZZ_MARKER}@fuzz.test`;
  const server = await env.startOurs({ BOOTSTRAP_ADMIN_EMAIL: adminEmail });
  try {
    const base = server.url;
    const adminPassword = `Fuzz-admin-${Date.now().toString(36)}`;
    const adminUp = await fetch(`${base}/api/auth/sign-up/email`, { method: 'POST', headers: jsonPostHeaders(base), body: JSON.stringify({ email: adminEmail, password: adminPassword, name: 'Fuzz Admin' }) });
    await adminUp.arrayBuffer();
    let adminToken = await signIn(base, adminEmail, adminPassword);
    // The admin role is assigned at start-up or on sign-up of the bootstrap email; give it a moment.
    for (let i = 0; i < 50; i++) {
      const r = await fetch(`${base}/api/admin/users/stats`, { headers: { authorization: `Bearer ${adminToken}` } });
      await r.arrayBuffer();
      if (r.status === 200) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const owners = await Promise.all([0, 1, 2].map((i) => signUpOwner(base, i)));
    const cases = fc.sample(fuzzCase, { numRuns: count, seed });
    const byFamily: Record<string, number> = {};
    const byStatus: Record<string, number> = {};
    const examples: FuzzRun['serverErrorExamples'] = [];
    let serverErrors = 0;
    let noAnswer = 0;
    let rssWarmMb: number | null = null;
    let heapWarmMb: number | null = null;
    const warmAt = Math.floor(count / 10);
    let next = 0;
    const one = async (c: FuzzCase, i: number) => {
      byFamily[c.family] = (byFamily[c.family] ?? 0) + 1;
      const owner = owners[i % owners.length];
      let status = 0;
      if (c.kind === 'ws') {
        status = await sendUpgrade(server.port, c, c.auth === 'user' ? owner.token : null);
      } else {
        const headers: Record<string, string> = {};
        if (c.contentType && c.body !== null) headers['content-type'] = c.contentType;
        if (c.origin) headers['origin'] = new URL(base).origin;
        if (c.auth === 'junk') headers['authorization'] = c.junkAuth;
        if (c.auth === 'user') headers['authorization'] = `Bearer ${owner.token}`;
        if (c.auth === 'admin' && adminToken) headers['authorization'] = `Bearer ${adminToken}`;
        const withBody = c.body !== null && c.method !== 'GET' && c.method !== 'HEAD';
        try {
          const response = await fetch(`${base}${c.path}`, { method: c.method, headers, body: withBody ? c.body : undefined, signal: AbortSignal.timeout(5_000), redirect: 'manual' });
          await response.arrayBuffer();
          status = response.status;
          // A sign-out or password change ends the fuzz user's session: sign the owner in again.
          if (c.auth !== 'none' && (c.path.includes('sign-out') || c.path.includes('revoke') || c.path.includes('change-password'))) {
            const token = await signIn(base, c.auth === 'admin' ? adminEmail : owner.email, c.auth === 'admin' ? adminPassword : owner.password);
            if (token && c.auth === 'admin') adminToken = token;
            else if (token) owner.token = token;
          }
        } catch {
          status = 0;
        }
        if (status >= 500 && examples.length < 10) examples.push({ method: c.method, path: c.path.slice(0, 200), status, body: c.body?.slice(0, 200) ?? null });
      }
      byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1;
      if (status >= 500) serverErrors++;
      if (status === 0) noAnswer++;
    };
    const worker = async () => {
      while (next < cases.length) {
        const i = next++;
        await one(cases[i], i);
        if (i === warmAt) [rssWarmMb, heapWarmMb] = await Promise.all([rssMb(server.pid), heapUsedMb(base)]);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const [rssEndMb, heapEndMb, isAlive] = await Promise.all([rssMb(server.pid), heapUsedMb(base), alive(base)]);
    const marked = await env.query<{ email: string; name: string }>(`SELECT email, name FROM "User" WHERE email ILIKE $1`, [`%${FUZZ_MARKER}%`]);
    const junk = marked.filter(isJunkUser);
    return {
      server: 'ours',
      requests: count,
      seed,
      byFamily,
      byStatus,
      serverErrors,
      serverErrorExamples: examples,
      noAnswer,
      alive: isAlive,
      markedUsers: marked.length,
      junkRows: junk.length,
      junkExamples: junk.slice(0, 5).map((u) => ({ email: u.email.slice(0, 80), name: String(u.name).slice(0, 80) })),
      rssWarmMb,
      rssEndMb,
      heapWarmMb,
      heapEndMb,
      heapGrowthPercent: growth(heapWarmMb, heapEndMb),
      rssGrowthPercent: growth(rssWarmMb, rssEndMb),
    };
  } finally {
    await env.stop(server);
  }
}
