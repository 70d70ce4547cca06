import WebSocket from 'ws';
import { expectedCode, expectedStatuses, expectedBody, type Expectation, type MatrixRow, type RequestSpec } from './expectations';

export interface Answer {
  status: number;
  code?: string;
  /** The body was JSON `null`. */
  nullBody: boolean;
}

const codeOf = (body: unknown): string | undefined => {
  if (!body || typeof body !== 'object') return undefined;
  const error = (body as { error?: { code?: unknown } }).error;
  const code = typeof error === 'object' && error !== null ? error.code : (body as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
};

/** The upgrade's status: 101 when the socket opened, else the refusal's status and code. */
function upgrade(baseUrl: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws`, { headers });
    socket.once('open', () => {
      socket.close();
      resolve({ status: 101, nullBody: false });
    });
    socket.once('unexpected-response', (_request, response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, code: text ? codeOf(JSON.parse(text)) : undefined, nullBody: false }));
    });
    socket.once('error', reject);
  });
}

/** Sends one cell's request: the row's method, the spec's URL and body, the caller's headers. */
export async function send(baseUrl: string, row: MatrixRow, spec: RequestSpec, headers: Record<string, string>): Promise<Answer> {
  if (row.websocket) return upgrade(baseUrl, headers);
  const [method, path] = row.route.split(' ');
  const body = spec.form ? new URLSearchParams(spec.form).toString() : spec.body === undefined ? undefined : JSON.stringify(spec.body);
  const type = spec.form ? 'application/x-www-form-urlencoded' : 'application/json';
  const extra: Record<string, string> = method === 'OPTIONS' ? { 'access-control-request-method': 'POST' } : {};
  const res = await fetch(`${baseUrl}${spec.url ?? path}`, { method, headers: { ...headers, ...extra, ...(body === undefined ? {} : { 'content-type': type }) }, body, redirect: 'manual' });
  const text = method === 'HEAD' ? '' : await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, code: codeOf(parsed), nullBody: text.trim() === 'null' };
}

const show = (e: Expectation) => {
  const statuses = expectedStatuses(e).join('|');
  const code = expectedCode(e);
  const body = expectedBody(e);
  return `${statuses}${code ? ` ${code}` : ''}${body === undefined ? '' : ` ${String(body)}`}`;
};

/** Null when the answer is what the cell expects, else a line naming expected and actual. */
export function mismatch(expectation: Expectation, answer: Answer): string | null {
  const code = expectedCode(expectation);
  const body = expectedBody(expectation);
  const bodyOk = body === undefined || (body === null ? answer.nullBody : !answer.nullBody);
  const ok = expectedStatuses(expectation).includes(answer.status) && (code === undefined || answer.code === code) && bodyOk;
  return ok ? null : `expected ${show(expectation)}, got ${answer.status}${answer.code ? ` ${answer.code}` : ''}${answer.nullBody ? ' null' : ''}`;
}
