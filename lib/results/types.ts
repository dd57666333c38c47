/**
 * The contract between k6 result ingestion and everything that reads results
 * (verdict engine, reports). Implementation: lib/results/*.
 */

/** Tag keys kept as separate series. Anything else k6 tags with is folded away to bound memory. */
export const DEFAULT_SERIES_TAGS = ['scenario', 'name', 'status', 'group', 'method', 'expected_response', 'forced', 'check'] as const;

export type K6MetricType = 'counter' | 'gauge' | 'rate' | 'trend';

/**
 * A tag filter: every listed key must equal the given value, or merely be present when the value is `true`.
 * `{}` selects all series of a metric.
 */
export type TagFilter = Readonly<Record<string, string | true>>;

/**
 * The samples a scenario's iterations produced. k6 tags every sample taken in a scenario with `scenario`; the
 * requests a script makes in setup() and teardown() (the harness preparing its own data, e.g. bulk sign-ups) carry
 * none, only their group (`::setup`, `::teardown`), so they are reported apart and never count toward a criterion.
 */
export const SCENARIO_SAMPLES: TagFilter = Object.freeze({ scenario: true });

export interface TrendStats {
  count: number;
  min: number;
  max: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
}

export interface RateStats {
  /** Number of non-zero samples. */
  passes: number;
  /** Number of samples. */
  total: number;
  /** passes / total, or null when there are no samples. */
  rate: number | null;
}

/** One second of a run (epoch-second aligned). */
export interface SecondBucket {
  /** Epoch milliseconds at the start of the second. */
  t: number;
  /** http_reqs in this second. */
  requests: number;
  /** http_req_failed passes in this second. */
  failed: number;
  /** http_req_duration p95 in this second (ms), null when no request finished. */
  p95: number | null;
}

/** One bar of a latency distribution (http_req_duration, all series). */
export interface LatencyBucket {
  /** Upper bound of the bucket in ms. */
  le: number;
  count: number;
}

/** (value, count) pairs, ascending by value: a histogram's recorded buckets. */
export type ValueCounts = ReadonlyArray<readonly [value: number, count: number]>;

export interface SeriesInfo {
  metric: string;
  type: K6MetricType;
  tags: Record<string, string>;
}

/**
 * Results of one or more k6 runs, queryable by metric and tag filter.
 * Percentiles come from merged HDR histograms, never from averaged percentiles.
 */
export interface RunResults {
  /** Names and types of every metric seen. */
  metrics(): Array<{ name: string; type: K6MetricType }>;
  /** Every kept series (metric + kept tags). */
  series(): SeriesInfo[];
  /** Trend statistics over every series of `metric` matching `filter`; null when no sample matched. */
  trend(metric: string, filter?: TagFilter): TrendStats | null;
  /** Sum of counter values (or sample count for other types) matching `filter`; 0 when none. */
  counter(metric: string, filter?: TagFilter): number;
  /** Rate statistics (k6 `rate` metrics, e.g. http_req_failed, checks). */
  rate(metric: string, filter?: TagFilter): RateStats;
  /** Last value of a gauge, null when none. */
  gauge(metric: string, filter?: TagFilter): number | null;
  /** Per-second buckets from the first to the last sample, optionally restricted by tag filter. */
  timeSeries(filter?: TagFilter): SecondBucket[];
  /** Latency distribution of http_req_duration matching `filter`. */
  latencyDistribution(filter?: TagFilter): LatencyBucket[];
  /**
   * A trend's merged HDR histogram as (value, count) pairs, ascending, values in k6 units (each bucket's lowest
   * value: 3 significant digits); empty when no sample matched. What a rank test reads instead of per-sample arrays.
   */
  buckets(metric: string, filter?: TagFilter): ValueCounts;
  /** Distinct values of a tag over a metric's kept series (e.g. every `scenario`). */
  tagValues(metric: string, tag: string): string[];
  /** Epoch ms of the first and last sample, null when empty. */
  span(): { start: number; end: number } | null;
  /** Lines read, lines skipped as malformed. */
  stats(): { lines: number; points: number; malformed: number };
}
