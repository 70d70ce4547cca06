import { createConnection } from 'node:net';
import { HAPROXY_BACKEND } from '../../stack/pieces/haproxy';

/** One command on HAProxy's runtime API (the stack's admin socket); resolves with its answer. */
export function haproxyCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const connection = createConnection(socket, () => connection.write(`${command}\n`));
    connection.setTimeout(5_000, () => connection.destroy(new Error(`haproxy "${command}" timed out`)));
    connection.on('data', (chunk) => chunks.push(chunk));
    connection.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    connection.once('error', reject);
  });
}

/** Takes instance `name` out of rotation (`maint`) or puts it back (`ready`). */
export async function setServerState(socket: string, name: string, state: 'ready' | 'maint'): Promise<void> {
  const answer = (await haproxyCommand(socket, `set server ${HAPROXY_BACKEND}/${name} state ${state}`)).trim();
  if (answer) throw new Error(`haproxy refused to set ${name} ${state}: ${answer}`);
}

export interface ServerStat {
  name: string;
  /** UP, DOWN, MAINT, "UP 1/2" … */
  status: string;
  /** Connection errors, response errors, retries, redispatches, sessions in total. */
  econ: number;
  eresp: number;
  wretr: number;
  wredis: number;
  stot: number;
}

/** The backend's servers and the backend row (`name: 'BACKEND'`) from `show stat`. */
export async function backendStats(socket: string): Promise<ServerStat[]> {
  const csv = await haproxyCommand(socket, 'show stat');
  const [header, ...lines] = csv.split('\n').filter((l) => l.trim());
  const columns = header.replace(/^# /, '').split(',');
  const col = (row: string[], name: string) => row[columns.indexOf(name)] ?? '';
  return lines
    .map((line) => line.split(','))
    .filter((row) => col(row, 'pxname') === HAPROXY_BACKEND)
    .map((row) => ({
      name: col(row, 'svname'),
      status: col(row, 'status'),
      econ: Number(col(row, 'econ')) || 0,
      eresp: Number(col(row, 'eresp')) || 0,
      wretr: Number(col(row, 'wretr')) || 0,
      wredis: Number(col(row, 'wredis')) || 0,
      stot: Number(col(row, 'stot')) || 0,
    }));
}
