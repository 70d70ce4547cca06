import WebSocket from 'ws';

export interface Envelope {
  type: string;
  data: Record<string, unknown>;
  ts: number;
  /** On `result` / `error` answers: the request's id. */
  id?: string | number | null;
  error?: { code: string; message: string; retryAfterMs?: number };
}

export interface TestSocket {
  socket: WebSocket;
  messages: Envelope[];
  /** Resolves with the first message of `type` (already received or next), or rejects at the deadline. */
  next(type: string, timeoutMs?: number): Promise<Envelope>;
  /** Sends `{ id, op, data }` and resolves with its answer (`result` or `error`). */
  request(op: string, data?: unknown, id?: string | number): Promise<Envelope>;
  /** Resolves with the first answer to `id` (already received or next), or rejects at the deadline. */
  answerTo(id: string | number | null, timeoutMs?: number): Promise<Envelope>;
  /** Resolves with the close code once the socket is closed (the server's code, or 1006 when dropped). */
  closed: Promise<number>;
}

/** Opens `/ws` with these headers; resolves once the server's `welcome` arrived. */
export async function openSocket(baseUrl: string, headers: Record<string, string>, options: { autoPong?: boolean } = {}): Promise<TestSocket> {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws`, { headers, autoPong: options.autoPong ?? true });
  const messages: Envelope[] = [];
  const waiters: Array<{ matches: (m: Envelope) => boolean; resolve: (m: Envelope) => void }> = [];
  socket.on('message', (raw) => {
    const message = JSON.parse(String(raw)) as Envelope;
    messages.push(message);
    for (const w of waiters.filter((w) => w.matches(message))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(message);
    }
  });
  const waitFor = (matches: (m: Envelope) => boolean, what: string, timeoutMs: number) =>
    new Promise<Envelope>((resolve, reject) => {
      const seen = messages.find(matches);
      if (seen) return resolve(seen);
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms; got ${messages.map((m) => m.type).join(', ')}`)), timeoutMs);
      waiters.push({ matches, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  const isAnswer = (m: Envelope) => m.type === 'result' || m.type === 'error';
  const answerTo = (id: string | number | null, timeoutMs = 30_000) => waitFor((m) => isAnswer(m) && m.id === id, `answer to ${String(id)}`, timeoutMs);
  let nextId = 0;
  const request = (op: string, data?: unknown, id: string | number = `r${++nextId}`) => {
    socket.send(JSON.stringify({ id, op, data }));
    return answerTo(id);
  };
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  const next = (type: string, timeoutMs = 30_000) => waitFor((m) => m.type === type, type, timeoutMs);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })));
    socket.once('error', reject);
  });
  await next('welcome');
  return { socket, messages, next, request, answerTo, closed };
}

/** A refused upgrade as sent: status, headers and body text (throws when the upgrade succeeds). `localAddress` picks the client's loopback address. */
export function refusedUpgradeRaw(baseUrl: string, headers: Record<string, string>, localAddress?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws`, { headers, ...(localAddress ? { localAddress } : {}) });
    socket.once('open', () => {
      socket.close();
      reject(new Error('the upgrade was accepted'));
    });
    socket.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    socket.once('error', () => undefined);
  });
}

/** The HTTP status of a refused upgrade and its JSON body (throws when the upgrade succeeds). */
export async function refusedUpgrade(baseUrl: string, headers: Record<string, string>): Promise<{ status: number; body: { error?: { code?: string } } }> {
  const { status, body } = await refusedUpgradeRaw(baseUrl, headers);
  return { status, body: body ? (JSON.parse(body) as { error?: { code?: string } }) : {} };
}

/** The socket's close code, or a rejection naming `what` when it is still open at the deadline. */
export function closedWithin(s: TestSocket, what: string, timeoutMs = 20_000): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: the socket was still open after ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([s.closed, deadline]).finally(() => clearTimeout(timer));
}
