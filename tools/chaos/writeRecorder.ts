import type { LoadTarget } from './openLoad';

/**
 * One write target of an open-model run and what it saw: every id attempted, the ids acknowledged
 * (200 or 201 — the client was told the write happened) and answers by status, for a Jepsen-style
 * set check against what the database holds afterwards.
 */
export function writeRecorder(name: string, rate: number, request: (i: number) => { url: string; init: RequestInit }, idOf: (i: number) => string) {
  const attempted: string[] = [];
  const acknowledged = new Set<string>();
  const statuses: Record<string, number> = {};
  const target: LoadTarget = {
    name,
    rate,
    request: (i) => {
      attempted.push(idOf(i));
      return request(i);
    },
    onAnswer: (i, response) => {
      const key = String(response?.status ?? 0);
      statuses[key] = (statuses[key] ?? 0) + 1;
      if (response?.status === 200 || response?.status === 201) acknowledged.add(idOf(i));
    },
  };
  return { target, attempted, acknowledged, statuses };
}
