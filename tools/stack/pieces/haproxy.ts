import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { haproxyConfig, waitFor, type HaproxyConfigOptions } from '@tools/test-harness';
import { debianBinary } from '../binaries';
import { spawnDaemon, stopPiece, type RunningPiece } from '../processes';
import { StackError } from '../StackError';

export { HAPROXY_BACKEND, haproxyConfig, type HaproxyConfigOptions } from '@tools/test-harness';

export interface HaproxyPieceOptions extends HaproxyConfigOptions {
  repoRoot: string;
  stackDir: string;
  log?: (line: string) => void;
}

/** HAProxy in front of the instances (Debian's package), health-checking `/health/ready`. */
export async function startHaproxy(options: HaproxyPieceOptions): Promise<RunningPiece> {
  const binary = debianBinary('haproxy');
  const config = join(options.stackDir, 'haproxy.cfg');
  let text: string;
  try {
    text = haproxyConfig(readFileSync(join(options.repoRoot, 'deploy', 'haproxy.cfg'), 'utf8'), options);
  } catch (error) {
    throw new StackError('NOT_READY', (error as Error).message, { cause: error });
  }
  writeFileSync(config, text);
  const headers = options.statsAuth ? { authorization: `Basic ${Buffer.from(`${options.statsAuth.user}:${options.statsAuth.password}`).toString('base64')}` } : undefined;
  const { pid, log } = spawnDaemon({ name: 'haproxy', command: binary, args: ['-f', config], stackDir: options.stackDir, env: { PATH: process.env.PATH } });
  const piece: RunningPiece = { name: 'haproxy', pid, url: `http://127.0.0.1:${options.port}`, log, stopSignal: 'SIGTERM', commandMatch: 'haproxy' };
  try {
    await waitFor(async () => {
      const response = await fetch(`http://127.0.0.1:${options.statsPort}/`, { headers, signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`stats page answered ${response.status}`);
    }, 15_000, `haproxy on port ${options.port}`);
  } catch (error) {
    await stopPiece(options.stackDir, piece);
    throw new StackError('NOT_READY', `haproxy did not start (see ${log}): ${(error as Error).message}`, { cause: error });
  }
  return piece;
}
