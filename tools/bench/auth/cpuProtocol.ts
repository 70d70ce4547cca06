/** The message a benchmark sends a server over IPC to read its CPU time, and the answer. */
export const CPU_REQUEST = 'bench:cpu';

export interface CpuRequest {
  type: typeof CPU_REQUEST;
  id: number;
}

export interface CpuReply extends CpuRequest {
  userMicros: number;
  systemMicros: number;
}

export function isCpuRequest(message: unknown): message is CpuRequest {
  const m = message as Partial<CpuRequest> | null;
  return typeof m === 'object' && m !== null && m.type === CPU_REQUEST && typeof m.id === 'number';
}

export function isCpuReply(message: unknown): message is CpuReply {
  const m = message as Partial<CpuReply> | null;
  return isCpuRequest(message) && typeof m?.userMicros === 'number' && typeof m?.systemMicros === 'number';
}
