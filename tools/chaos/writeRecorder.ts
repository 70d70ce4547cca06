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

/** A Jepsen-style set check of one kind of write. */
export interface WriteSetCheck {
  attempted: number;
  acknowledged: number;
  /** Acknowledged but not in the database afterwards: must be 0. */
  lost: string[];
  /** Present more than once: must be 0. */
  duplicated: string[];
  /** Not acknowledged (an error or no answer) yet present: the client cannot know; listed. */
  ambiguous: string[];
  /** Answers by status. */
  statuses: Record<string, number>;
}

/** The set check: what was acknowledged against what the database holds (`present`: id → rows). */
export function writeSetCheck(attempted: string[], acknowledged: Set<string>, present: Map<string, number>, statuses: Record<string, number>): WriteSetCheck {
  return {
    attempted: attempted.length,
    acknowledged: acknowledged.size,
    lost: [...acknowledged].filter((id) => !present.has(id)),
    duplicated: [...present].filter(([, n]) => n > 1).map(([id]) => id),
    ambiguous: attempted.filter((id) => !acknowledged.has(id) && present.has(id)),
    statuses,
  };
}
