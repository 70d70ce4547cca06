/**
 * Histogram buckets for one (operation, outcome) series, counted in place on the hot path and
 * only cumulated when scraped. prom-client's own `observe()` validates and hashes its labels on
 * every call (≈ 0.3–0.5 µs here); this is a bounds scan and three increments.
 */
export class LatencyBuckets {
  /** Non-cumulative count per upper bound; values above the last bound only reach `count`. */
  readonly counts: number[];
  sumSeconds = 0;
  count = 0;

  /** @param bounds ascending upper bounds in seconds, shared by every series of a collector. */
  constructor(readonly bounds: readonly number[]) {
    this.counts = new Array<number>(bounds.length).fill(0);
  }

  observe(seconds: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && seconds > bounds[i]) i++;
    if (i < bounds.length) this.counts[i]++;
    this.sumSeconds += seconds;
    this.count++;
  }

  /** Cumulative counts per bound, as Prometheus `le` buckets expect. */
  cumulative(): number[] {
    let total = 0;
    return this.counts.map((n) => (total += n));
  }
}
