/**
 * Child process: the floor — a bare node:http handler answering every request with a fixed
 * JSON body (BENCH_BODY: a real getSession answer captured from the stock server, so size and
 * shape match). Env: PORT, BENCH_BODY. Prints `READY` when listening.
 */
import { createServer } from 'node:http';
import { requiredEnv, stopOnSignals } from './serverProcess';

function main(): void {
  const port = Number(requiredEnv('PORT'));
  const body = Buffer.from(requiredEnv('BENCH_BODY'));
  const server = createServer((req, res) => {
    // Drain whatever was sent so keep-alive connections stay usable.
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
  server.keepAliveTimeout = 30_000;
  server.listen(port, '127.0.0.1', () => {
    stopOnSignals(server);
    console.log(`READY ${port}`);
  });
}

main();
