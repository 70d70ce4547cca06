import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { waitFor } from '@tools/test-harness';
import { signedInUser } from '../testing/sessionFixtures';
import { startTestApp, type TestApp } from '../testing/testApp';
import { startTracing, type TracingHandle } from './startTracing';

/**
 * Jest loads modules through its own registry, past the require hook the instrumentations use:
 * the already loaded `pg` and `ioredis` are patched by hand, as the hook would have done.
 */
function patchLoaded(handle: TracingHandle): void {
  const loaded: Record<string, unknown> = { pg: require('pg'), ioredis: require('ioredis') };
  for (const instrumentation of handle.instrumentations) {
    for (const definition of instrumentation.getModuleDefinitions()) {
      const exports = loaded[definition.name];
      if (exports && definition.patch) definition.patch(exports);
    }
  }
}

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan) => span.spanContext().spanId;

/** The spans of one trace as a tree of names (children in start order). */
function descendants(spans: ReadableSpan[], root: ReadableSpan): ReadableSpan[] {
  const out: ReadableSpan[] = [];
  const walk = (span: ReadableSpan) => {
    for (const child of spans.filter((s) => parentOf(s) === idOf(span))) {
      out.push(child);
      walk(child);
    }
  };
  walk(root);
  return out;
}

describe('tracing a sign-in through the real app', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: TracingHandle;
  let t: TestApp;
  beforeAll(async () => {
    tracing = startTracing({ OTEL_SERVICE_NAME: 'auth-service-test', OTEL_EXPORTER_OTLP_ENDPOINT: undefined }, { exporter });
    patchLoaded(tracing);
    t = await startTestApp({ redis: true });
  });
  afterAll(async () => {
    await t?.close();
    await tracing?.shutdown();
  });

  async function signInTrace(): Promise<{ spans: ReadableSpan[]; root: ReadableSpan }> {
    const user = await signedInUser(t, 'traced');
    await t.context.background.drain();
    exporter.reset();
    const res = await fetch(`${t.url}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: user.email, password: 'a long enough password' }) });
    expect(res.status).toBe(200);
    const requestSpan = () => exporter.getFinishedSpans().find((s) => s.name === 'POST /api/auth/*' && parentOf(s) === undefined);
    await waitFor(async () => {
      if (!requestSpan()) throw new Error('no request span yet');
    }, 10_000, 'the request span');
    const root = requestSpan()!;
    await t.context.background.drain();
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === root.spanContext().traceId);
    if (process.env['TRACE_DUMP']) for (const span of spans) process.stderr.write(`${span.name} ${idOf(span)} <- ${parentOf(span)} ${JSON.stringify(span.attributes['db.statement'] ?? span.attributes['db.query.text'] ?? '').slice(0, 120)}\n`);
    return { spans, root };
  }

  it('has the request span at the root, Better-Auth handler beneath, repository operations and their pg queries beneath that', async () => {
    const { spans, root } = await signInTrace();
    expect(root.attributes['http.response.status_code']).toBe(200);
    const handler = spans.find((s) => s.name === 'better-auth.handler');
    expect(handler && parentOf(handler)).toBe(idOf(root));
    const underHandler = descendants(spans, handler!);
    const repositoryNames = underHandler.filter((s) => /^[a-z]+\.[A-Za-z.]+$/.test(s.name) && !s.name.startsWith('cache.') && !s.name.startsWith('pg.')).map((s) => s.name);
    expect(repositoryNames).toEqual(expect.arrayContaining(['user.findFirst', 'account.findMany', 'session.create']));
    // The session and its CREATED log: two inserts in one transaction, nothing read back.
    const create = spans.find((s) => s.name === 'session.create')!;
    expect(descendants(spans, create).filter((s) => s.name.startsWith('pg.query')).map((s) => s.name.split(' ')[0])).toEqual(['pg.query:BEGIN', 'pg.query:INSERT', 'pg.query:INSERT', 'pg.query:COMMIT']);
    // Every pg query of the request runs inside a repository operation.
    const queries = underHandler.filter((s) => s.name.startsWith('pg.query'));
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) {
      const ancestors: string[] = [];
      for (let span: ReadableSpan | undefined = query; span; span = spans.find((s) => idOf(s) === parentOf(span!))) ancestors.push(span.name);
      expect(ancestors.some((name) => repositoryNames.includes(name))).toBe(true);
    }
  });

  it('keeps the audit event and the last-login stamp out of the request trace: they run in traces of their own', async () => {
    const { spans } = await signInTrace();
    expect(spans.map((s) => s.name).filter((n) => n.startsWith('background.'))).toEqual([]);
    const background = exporter.getFinishedSpans().filter((s) => s.name.startsWith('background.')).map((s) => s.name);
    expect(background).toEqual(expect.arrayContaining(['background.events.create', 'background.users.updateLastLogin']));
  });

  it('traces a sign-out: the session end (a transaction) and its cache invalidation under the handler, the audit event in a trace of its own', async () => {
    const user = await signedInUser(t, 'traced-out');
    await t.context.background.drain();
    exporter.reset();
    const res = await fetch(`${t.url}/api/auth/sign-out`, { method: 'POST', headers: { cookie: user.cookie, origin: t.url } });
    expect(res.status).toBe(200);
    const requestSpan = () => exporter.getFinishedSpans().find((s) => s.name === 'POST /api/auth/*' && parentOf(s) === undefined);
    await waitFor(async () => {
      if (!requestSpan()) throw new Error('no request span yet');
    }, 10_000, 'the request span');
    await t.context.background.drain();
    const root = requestSpan()!;
    const all = exporter.getFinishedSpans();
    const spans = all.filter((s) => s.spanContext().traceId === root.spanContext().traceId);
    if (process.env['TRACE_DUMP']) for (const span of spans) process.stderr.write(`${span.name} ${idOf(span)} <- ${parentOf(span)} ${(span.duration[0] * 1e3 + span.duration[1] / 1e6).toFixed(2)}ms ${JSON.stringify(span.attributes['db.statement'] ?? span.attributes['db.query.text'] ?? '').slice(0, 100)}\n`);
    const names = descendants(spans, spans.find((s) => s.name === 'better-auth.handler')!).map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['session.end', 'session.transaction', 'cache.invalidate']));
    // Ending the session: the UPDATE returns the ended row (no read back), then its ENDED log entry,
    // then the Postgres bus's `SELECT pg_notify(…)`, in the same transaction as the write.
    const ending = spans.find((s) => s.name === 'session.transaction')!;
    const statements = descendants(spans, ending).filter((s) => s.name.startsWith('pg.query') && !/^pg\.query:(BEGIN|SET|COMMIT)/.test(s.name));
    expect(statements.map((s) => s.name.split(' ')[0])).toEqual(['pg.query:UPDATE', 'pg.query:INSERT', 'pg.query:SELECT']);
    expect(String(statements[2]!.attributes['db.statement'] ?? statements[2]!.attributes['db.query.text'])).toContain('pg_notify');
    // The audit event (with its read of the ended session) runs after the answer, in its own trace.
    const afterHook = spans.find((s) => s.name === 'hook after /sign-out plugin:auth-events');
    expect(afterHook && descendants(spans, afterHook).filter((s) => s.name.startsWith('pg.'))).toEqual([]);
    expect(all.filter((s) => s.spanContext().traceId !== root.spanContext().traceId).map((s) => s.name)).toContain('background.events.signOut');
  });
});
