/**
 * `npm run stack [-- start|stop|status] [--instances N] [--replicas 0|1] [--no-sentinel] [--ha [--members 2|3]]`: the production topology on 127.0.0.1
 * without containers (see tools/stack/README.md). `start` (the default) stays in the foreground
 * until Ctrl-C or `npm run stack -- stop` from another shell.
 */
import { isStackError } from './StackError';
import { defaultStackOptions, stackStatus, startStack, stopStack, type Stack } from './stack';

function table(stack: Stack): Record<string, { url: string; pid: number | string }> {
  const rows: Record<string, { url: string; pid: number | string }> = {};
  for (const piece of stack.pieces) rows[piece.name] = { url: piece.url, pid: piece.pid };
  rows['haproxy stats'] = { url: stack.statsUrl, pid: '' };
  if (stack.patroni) {
    rows['haproxy-postgres stats'] = { url: stack.patroni.statsUrl, pid: '' };
    rows['haproxy-postgres metrics'] = { url: stack.patroni.metricsUrl, pid: '' };
  }
  return rows;
}

function argument(name: string): string | undefined {
  const args = process.argv.slice(2);
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

async function start(): Promise<void> {
  const options = defaultStackOptions();
  const instances = argument('--instances');
  const replicas = argument('--replicas');
  const members = argument('--members');
  const stack = await startStack({
    ...options,
    instances: instances ? Number(instances) : options.instances,
    replicas: replicas ? Number(replicas) : options.replicas,
    sentinel: !process.argv.includes('--no-sentinel'),
    ha: process.argv.includes('--ha'),
    haMembers: members ? (Number(members) as 2 | 3) : options.haMembers,
  });
  console.table(table(stack));
  console.log(`\nthe app: ${stack.url}   (admin ${stack.admin.email}; password and secret in ${stack.stackDir}/secrets.env)`);
  console.log(`logs: ${stack.stackDir}/logs   Prometheus jobs without a target here: ${stack.droppedJobs.join(', ') || 'none'}`);
  console.log('Ctrl-C or `npm run stack -- stop` stops everything.');
  let stopping: Promise<void> | undefined;
  const stop = (signal: string) => {
    stopping ??= (async () => {
      console.log(`\n${signal}: stopping the stack …`);
      const stopped = await stopStack(stack.stackDir);
      console.log(`stopped: ${stopped.join(', ') || 'nothing was running'}`);
      process.exit(0);
    })();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Stays in the foreground: the signal handlers end it.
  setInterval(() => undefined, 1 << 30);
}

async function main(): Promise<void> {
  const values = new Set([argument('--instances'), argument('--replicas'), argument('--members')]);
  const command = process.argv.slice(2).find((a) => !a.startsWith('-') && !values.has(a)) ?? 'start';
  const stackDir = defaultStackOptions().stackDir;
  if (command === 'start') return start();
  if (command === 'stop') {
    const stopped = await stopStack(stackDir);
    console.log(stopped.length ? `stopped: ${stopped.join(', ')}` : `no stack runs from ${stackDir}`);
    return;
  }
  if (command === 'status') {
    const status = stackStatus(stackDir);
    if (!status) {
      console.log(`no stack recorded in ${stackDir}`);
      process.exitCode = 1;
      return;
    }
    console.table(Object.fromEntries(status.pieces.map((p) => [p.name, { url: p.url, pid: p.pid, running: p.running }])));
    console.log(`started ${status.state.startedAt} by pid ${status.state.ownerPid}; logs in ${stackDir}/logs`);
    if (status.pieces.some((p) => !p.running)) process.exitCode = 1;
    return;
  }
  console.error(`unknown command "${command}": start (default), stop or status`);
  process.exitCode = 2;
}

main().catch((error: unknown) => {
  console.error(isStackError(error) ? `stack: ${error.message} [${error.code}]` : error);
  process.exitCode = 1;
});
