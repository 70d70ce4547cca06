import { MAX_TIMEOUT_MS, cancelTimeout, startTimeout, timeoutLaneCount, type TimeoutEntry, type TimeoutLane } from './timeoutLanes';

/** A lane node that records when it timed out (performance.now(), faked). */
class Entry implements TimeoutEntry {
  laneDeadline = 0;
  lanePrev: TimeoutEntry | undefined;
  laneNext: TimeoutEntry | undefined;
  lane: TimeoutLane | undefined;
  firedAt: number | undefined;
  constructor(readonly onFire: (entry: Entry) => void = () => undefined) {}
  onTimeout(): void {
    this.firedAt = performance.now();
    this.onFire(this);
  }
}

beforeEach(() => jest.useFakeTimers());
afterEach(async () => {
  // Let every lane drain so the next test starts without lanes.
  await jest.advanceTimersByTimeAsync(MAX_TIMEOUT_MS);
  jest.useRealTimers();
});

describe('timeoutLanes', () => {
  it('expires each entry at its own deadline with one timer per lane', () => {
    const t0 = performance.now();
    const entries = Array.from({ length: 100 }, () => new Entry());
    entries.forEach((entry, i) => {
      jest.advanceTimersByTime(i === 0 ? 0 : 10);
      startTimeout(entry, 1_000, performance.now());
    });
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(9); // the clock is at t0 + 999: just before the first deadline
    expect(entries.some((e) => e.firedAt !== undefined)).toBe(false);
    jest.advanceTimersByTime(10_000);
    expect(entries.map((e) => (e.firedAt ?? NaN) - t0)).toEqual(entries.map((_, i) => 1_000 + i * 10));
    expect(jest.getTimerCount()).toBe(0);
    expect(timeoutLaneCount()).toBe(0);
  });

  it('a cancelled entry never fires; cancelling twice or an unscheduled entry is harmless', () => {
    const kept = new Entry();
    const cancelled = new Entry();
    startTimeout(cancelled, 500, performance.now());
    startTimeout(kept, 500, performance.now());
    cancelTimeout(cancelled);
    cancelTimeout(cancelled);
    cancelTimeout(new Entry());
    jest.advanceTimersByTime(500);
    expect(cancelled.firedAt).toBeUndefined();
    expect(kept.firedAt).toBeDefined();
  });

  it('cancelling the head does not re-arm: the timer fires at the old deadline and re-arms for the next', () => {
    const first = new Entry();
    const second = new Entry();
    const t0 = performance.now();
    startTimeout(first, 1_000, t0);
    jest.advanceTimersByTime(400);
    startTimeout(second, 1_000, performance.now());
    cancelTimeout(first);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(600); // first's deadline: nothing due yet, one timer re-armed
    expect(second.firedAt).toBeUndefined();
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(400);
    expect((second.firedAt ?? NaN) - t0).toBe(1_400);
  });

  it('keeps deadline order when the clock goes backwards (inserts before later deadlines, re-arms earlier)', () => {
    const late = new Entry();
    const early = new Entry();
    const now = performance.now();
    startTimeout(late, 1_000, now + 5_000);
    startTimeout(early, 1_000, now);
    jest.advanceTimersByTime(1_000);
    expect(early.firedAt).toBeDefined();
    expect(late.firedAt).toBeUndefined();
    jest.advanceTimersByTime(5_000);
    expect(late.firedAt).toBeDefined();
  });

  it('an entry whose onTimeout throws does not stop the others', () => {
    const thrower = new Entry(() => {
      throw new Error('boom');
    });
    const other = new Entry();
    startTimeout(thrower, 100, performance.now());
    startTimeout(other, 100, performance.now());
    jest.advanceTimersByTime(100);
    expect(thrower.firedAt).toBeDefined();
    expect(other.firedAt).toBeDefined();
  });

  it('an entry can start a new timeout in the same lane from onTimeout (a retry)', () => {
    const retry = new Entry();
    const first = new Entry(() => startTimeout(retry, 100, performance.now()));
    startTimeout(first, 100, performance.now());
    jest.advanceTimersByTime(100);
    expect(retry.firedAt).toBeUndefined();
    jest.advanceTimersByTime(100);
    expect(retry.firedAt).toBeDefined();
  });

  it('re-arms when setTimeout was replaced since its timer was armed (fake timers swapped in)', () => {
    jest.useRealTimers();
    const realArmed = new Entry();
    startTimeout(realArmed, 60_000, performance.now());
    cancelTimeout(realArmed); // its real timer stays armed (unref'd) …
    jest.useFakeTimers();
    const entry = new Entry();
    startTimeout(entry, 60_000, performance.now());
    expect(jest.getTimerCount()).toBe(1); // … and the lane armed a fake one for the new entry
    jest.advanceTimersByTime(60_000);
    expect(entry.firedAt).toBeDefined();
  });
});
