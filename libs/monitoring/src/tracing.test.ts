import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { enableTracing, tracingEnabled, withDetachedSpan, withSpan } from './tracing';

describe('withSpan', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const contextManager = new AsyncLocalStorageContextManager();
  beforeAll(() => {
    context.setGlobalContextManager(contextManager.enable());
    trace.setGlobalTracerProvider(provider);
  });
  afterEach(() => {
    enableTracing(false);
    exporter.reset();
  });
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
  });

  it('off (the default): runs the function and records nothing', async () => {
    expect(tracingEnabled()).toBe(false);
    await expect(withSpan('a', async () => 42)).resolves.toBe(42);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('on: nests spans under the active one and marks a failure', async () => {
    enableTracing();
    await withSpan('outer', async () => {
      await withSpan('inner', async () => 1);
      await expect(withSpan('failing', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    });
    await provider.forceFlush();
    const spans = exporter.getFinishedSpans();
    const outer = spans.find((s) => s.name === 'outer')!;
    expect(spans.filter((s) => s.parentSpanContext?.spanId === outer.spanContext().spanId).map((s) => s.name)).toEqual(['inner', 'failing']);
    expect(spans.find((s) => s.name === 'failing')!.status.code).toBe(2);
  });

  it('a detached span starts a trace of its own', async () => {
    enableTracing();
    await withSpan('request', () => withDetachedSpan('background.task', async () => undefined));
    await provider.forceFlush();
    const spans = exporter.getFinishedSpans();
    const [request, background] = ['request', 'background.task'].map((name) => spans.find((s) => s.name === name)!);
    expect(background.parentSpanContext).toBeUndefined();
    expect(background.spanContext().traceId).not.toBe(request.spanContext().traceId);
  });
});
