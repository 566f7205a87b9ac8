/**
 * A fixed-bucket histogram, shaped like an OpenTelemetry explicit-bucket histogram data point
 * (`count`, `sum`, `min`, `max`, `bucketCounts` over `explicitBounds`), so a caller can copy it
 * into any metrics library without this package depending on one.
 */
export interface HistogramSnapshot {
  readonly count: number;
  readonly sum: number;
  /** Smallest value recorded; 0 when none was. */
  readonly min: number;
  /** Largest value recorded; 0 when none was. */
  readonly max: number;
  /** Upper bounds (inclusive) of the buckets but the last, ascending. */
  readonly explicitBounds: readonly number[];
  /** `explicitBounds.length + 1` counts; the last counts values above every bound. */
  readonly bucketCounts: readonly number[];
}

export class Histogram {
  private count = 0;
  private sum = 0;
  private min = Infinity;
  private max = -Infinity;
  private readonly counts: number[];

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  public record(value: number): void {
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]) i++;
    this.counts[i]++;
  }

  public snapshot(): HistogramSnapshot {
    return {
      count: this.count,
      sum: this.sum,
      min: this.count ? this.min : 0,
      max: this.count ? this.max : 0,
      explicitBounds: this.bounds,
      bucketCounts: [...this.counts],
    };
  }
}
