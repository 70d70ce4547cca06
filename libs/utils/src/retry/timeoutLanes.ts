/**
 * Per-attempt timeouts without a timer per attempt. A `setTimeout` + `clearTimeout` pair costs
 * ~0.4 µs and a Timeout object for the GC, on every call, although almost no attempt times out.
 * Attempts with the same `timeoutMs` go into one lane: a doubly linked list ordered by deadline
 * (appending keeps the order, since every deadline is "now + the same timeoutMs") with ONE
 * timer armed for the head. Finishing an attempt just unlinks it; the timer is left armed and,
 * when it fires, expires what is due and re-arms for the new head. So a steady stream of calls
 * costs about one timer per `timeoutMs`, not one per call.
 *
 * The attempts are the list nodes themselves (intrusive list): scheduling allocates nothing.
 * While a lane holds attempts its timer keeps the process alive, like a plain `setTimeout`;
 * once the lane is empty the timer is unref'd so a finished call never delays exit.
 */

/** An attempt waiting for its deadline. The `lane*` fields belong to the lane. */
export interface TimeoutEntry {
  laneDeadline: number;
  lanePrev: TimeoutEntry | undefined;
  laneNext: TimeoutEntry | undefined;
  lane: TimeoutLane | undefined;
  /** Called once when the deadline passes; the entry is already unlinked. */
  onTimeout(): void;
}

/** Node's largest timer delay; longer ones would fire after 1 ms. */
export const MAX_TIMEOUT_MS = 2_147_483_647;

// Node timers have millisecond resolution and can fire a fraction of a millisecond before a
// performance.now() deadline; without this slack such an entry would cost an extra 1 ms timer.
const SLACK_MS = 1;

type Timer = ReturnType<typeof setTimeout>;

/** One lane per distinct timeoutMs; a lane is dropped when its timer finds it empty. */
const lanes = new Map<number, TimeoutLane>();

export class TimeoutLane {
  readonly timeoutMs: number;
  #head: TimeoutEntry | undefined;
  #tail: TimeoutEntry | undefined;
  #timer: Timer | undefined;
  /** When the armed timer fires (performance.now() time). */
  #due = Infinity;
  /** The setTimeout that armed `#timer`: fake timers (tests) or an APM agent may replace it. */
  #armedWith: typeof setTimeout | undefined;
  #generation = 0;
  #refed = false;

  constructor(timeoutMs: number) {
    this.timeoutMs = timeoutMs;
  }

  add(entry: TimeoutEntry, now: number): void {
    const deadline = now + this.timeoutMs;
    entry.laneDeadline = deadline;
    entry.lane = this;
    // Almost always the tail; walking back only happens if the clock went backwards.
    let before = this.#tail;
    while (before !== undefined && before.laneDeadline > deadline) before = before.lanePrev;
    entry.lanePrev = before;
    entry.laneNext = before === undefined ? this.#head : before.laneNext;
    if (entry.laneNext === undefined) this.#tail = entry;
    else entry.laneNext.lanePrev = entry;
    if (before === undefined) this.#head = entry;
    else before.laneNext = entry;

    if (this.#timer === undefined || this.#armedWith !== setTimeout || deadline < this.#due) this.#arm((this.#head ?? entry).laneDeadline, now);
    else if (!this.#refed) {
      this.#timer.ref?.();
      this.#refed = true;
    }
  }

  remove(entry: TimeoutEntry): void {
    if (entry.lane !== this) return;
    const { lanePrev, laneNext } = entry;
    if (lanePrev === undefined) this.#head = laneNext;
    else lanePrev.laneNext = laneNext;
    if (laneNext === undefined) this.#tail = lanePrev;
    else laneNext.lanePrev = lanePrev;
    entry.lanePrev = entry.laneNext = entry.lane = undefined;
    if (this.#head === undefined && this.#refed) {
      this.#timer?.unref?.();
      this.#refed = false;
    }
  }

  /** The armed timer fired: expire every due entry, re-arm for the next one. */
  fire(generation: number): void {
    if (generation !== this.#generation) return; // superseded by a later #arm
    this.#timer = undefined;
    this.#due = Infinity;
    this.#refed = false;
    const now = performance.now();
    for (let entry = this.#head; entry !== undefined && entry.laneDeadline <= now + SLACK_MS; entry = this.#head) {
      this.remove(entry);
      try {
        entry.onTimeout();
      } catch {
        /* one attempt's failure must not leave the rest of the lane un-expired */
      }
    }
    if (this.#head !== undefined) this.#arm(this.#head.laneDeadline, performance.now());
    else if (lanes.get(this.timeoutMs) === this) lanes.delete(this.timeoutMs);
  }

  #arm(due: number, now: number): void {
    // A timer armed by another setTimeout (fake timers swapped in or out) is left to die: its
    // generation no longer matches.
    if (this.#timer !== undefined && this.#armedWith === setTimeout) clearTimeout(this.#timer);
    this.#due = due;
    this.#armedWith = setTimeout;
    const generation = ++this.#generation;
    this.#timer = setTimeout(fireLane, Math.min(MAX_TIMEOUT_MS, Math.max(1, Math.ceil(due - now))), this, generation);
    this.#refed = true;
  }
}

function fireLane(lane: TimeoutLane, generation: number): void {
  lane.fire(generation);
}

/** Times `entry` out `timeoutMs` after `now` (a performance.now() reading) unless cancelled first. */
export function startTimeout(entry: TimeoutEntry, timeoutMs: number, now: number): void {
  let lane = lanes.get(timeoutMs);
  if (lane === undefined) {
    lane = new TimeoutLane(timeoutMs);
    lanes.set(timeoutMs, lane);
  }
  lane.add(entry, now);
}

/** Cancels `entry`'s timeout; harmless if it already fired or was never started. */
export function cancelTimeout(entry: TimeoutEntry): void {
  entry.lane?.remove(entry);
}

/** Number of lanes (distinct timeouts with a live timer), for tests. */
export function timeoutLaneCount(): number {
  return lanes.size;
}
