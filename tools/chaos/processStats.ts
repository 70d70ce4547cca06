import { readdir, readFile, readlink } from 'node:fs/promises';

/** A server process's resident set (MB) and open file descriptors, read from /proc (Linux). */
export interface ProcessSample {
  /** Seconds since sampling started. */
  atS: number;
  rssMb: number | null;
  openFds: number | null;
}

export async function rssMb(pid: number | undefined): Promise<number | null> {
  if (!pid) return null;
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb ? Math.round((Number(kb) / 1024) * 10) / 10 : null;
  } catch {
    return null;
  }
}

export async function openFds(pid: number | undefined): Promise<number | null> {
  if (!pid) return null;
  try {
    return (await readdir(`/proc/${pid}/fd`)).length;
  } catch {
    return null;
  }
}

/** Open descriptors by kind: `socket`, `pipe`, `anon_inode` (epoll, eventfd …), `file`. */
export type FdKinds = Record<string, number>;

/** What the open descriptors are (readlink of /proc/<pid>/fd/*), to tell a socket leak from a file leak. */
export async function fdKinds(pid: number | undefined): Promise<FdKinds | null> {
  if (!pid) return null;
  try {
    const kinds: FdKinds = {};
    for (const fd of await readdir(`/proc/${pid}/fd`)) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => 'gone');
      const kind = /^(socket|pipe|anon_inode):/.exec(target)?.[1] ?? (target === 'gone' ? 'gone' : 'file');
      kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
    return kinds;
  } catch {
    return null;
  }
}

/**
 * Established TCP connections whose local port is `port` (the server's side of its HTTP
 * clients' keep-alive sockets), from /proc/net/tcp and tcp6 (Linux, same network namespace).
 */
export async function establishedOnPort(port: number): Promise<number | null> {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  let count = 0;
  try {
    for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
      const text = await readFile(file, 'utf8').catch(() => '');
      for (const line of text.split('\n').slice(1)) {
        const fields = line.trim().split(/\s+/);
        // fields[1] = local address:port, fields[3] = state (01 = ESTABLISHED)
        if (fields.length > 3 && fields[1].endsWith(`:${hex}`) && fields[3] === '01') count++;
      }
    }
    return count;
  } catch {
    return null;
  }
}

/** Prometheus gauge without labels (`name value`), or null when absent. */
export function promGauge(text: string, name: string): number | null {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) {
      const value = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (Number.isFinite(value)) return value;
    }
  }
  return null;
}

/** The server's heap in use (MB) from prom-client's default metrics on /metrics, or null. */
export async function heapUsedMb(baseUrl: string): Promise<number | null> {
  try {
    const text = await (await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    const bytes = promGauge(text, 'nodejs_heap_size_used_bytes');
    return bytes === null ? null : Math.round((bytes / 1024 / 1024) * 10) / 10;
  } catch {
    return null;
  }
}

/** Whether the server still answers /health/live. */
export async function alive(baseUrl: string): Promise<boolean> {
  try {
    return (await fetch(`${baseUrl}/health/live`, { signal: AbortSignal.timeout(5_000) })).status === 200;
  } catch {
    return false;
  }
}
