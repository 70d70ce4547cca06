/**
 * Preloaded into every benchmarked server (`node --import tsx --import <this file> server.ts`)
 * so the harness can read the server's own CPU time over the IPC channel without the server
 * knowing about the benchmark — the same probe for the stock servers and for the app.
 */
import { CPU_REQUEST, isCpuRequest, type CpuReply } from './cpuProtocol';

if (process.send) {
  process.on('message', (message: unknown) => {
    if (!isCpuRequest(message)) return;
    const usage = process.cpuUsage();
    const reply: CpuReply = { type: CPU_REQUEST, id: message.id, userMicros: usage.user, systemMicros: usage.system };
    process.send?.(reply);
  });
  // A 'message' listener refs the channel; the server's own handles decide when it exits.
  process.channel?.unref();
}
