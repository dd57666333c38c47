/**
 * In-memory results: one entry per series (metric + values of the kept tag keys). Trends keep an
 * HDR histogram; every series keeps count/sum/min/max/passes/last, so any query works on any
 * metric. Memory is bounded by the number of series and the run's duration, never by lines.
 */
import type { Histogram } from 'hdr-histogram-js';
import {
  forEachRecorded,
  histogramFromPairs,
  histogramPairs,
  mergeHistograms,
  newHistogram,
  percentile,
  recordScaled,
} from './histogram.js';
import { SecondCounts, SecondSketches, SKETCH_BUCKETS, sketchQuantile } from './second-sketch.js';
import type {
  K6MetricType,
  LatencyBucket,
  RateStats,
  RunResults,
  SecondBucket,
  SeriesInfo,
  TagFilter,
  TrendStats,
  ValueCounts,
} from './types.js';

const METRIC_TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'rate', 'trend']);

/** Types of k6 built-in metrics, used when a Point arrives before (or without) its Metric line. */
const BUILTIN_TYPES: Readonly<Record<string, K6MetricType>> = {
  http_reqs: 'counter',
  http_req_failed: 'rate',
  http_req_duration: 'trend',
  http_req_blocked: 'trend',
  http_req_connecting: 'trend',
  http_req_tls_handshaking: 'trend',
  http_req_sending: 'trend',
  http_req_waiting: 'trend',
  http_req_receiving: 'trend',
  iterations: 'counter',
  iteration_duration: 'trend',
  dropped_iterations: 'counter',
  checks: 'rate',
  vus: 'gauge',
  vus_max: 'gauge',
  data_sent: 'counter',
  data_received: 'counter',
  group_duration: 'trend',
};

const REQS = 'http_reqs';
const FAILED = 'http_req_failed';
const DURATION = 'http_req_duration';
const KEY_SEP = '\u0001';
const KEY_ABSENT = '\u0002';
const DISTRIBUTION_BUCKETS = 30;

export interface MetricState {
  name: string;
  /** undefined until declared by a Metric line (or known built-in). */
  type: K6MetricType | undefined;
  /** Declared with a type this harness does not know: its points are skipped. */
  ignored: boolean;
  series: Series[];
  /** Series by interned tag-values id. */
  byTags: Array<Series | undefined>;
  /** The metric of the line that followed this one's last time: k6 writes a request's samples in a fixed order. */
  next: MetricState | undefined;
}

interface Series {
  metric: MetricState;
  tags: Record<string, string>;
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Non-zero samples (rate passes). */
  passes: number;
  last: number;
  lastTime: number;
  hist: Histogram | null;
  /** Per-second sums: http_reqs values, http_req_failed passes. */
  seconds: SecondCounts | null;
  /** Per-second latency sketch: http_req_duration. */
  sketch: SecondSketches | null;
}

/** A store as plain data (typed arrays, numbers, strings): what an ingestion worker sends back. */
export interface StoreSnapshot {
  keptKeys: string[];
  lineCount: number;
  pointCount: number;
  malformedCount: number;
  start: number;
  end: number;
  metrics: Array<{
    name: string;
    type: K6MetricType | undefined;
    ignored: boolean;
    series: Array<{
      tags: Record<string, string>;
      count: number;
      sum: number;
      min: number;
      max: number;
      passes: number;
      last: number;
      lastTime: number;
      hist: Float64Array | null;
      seconds: { base: number; data: Float64Array } | null;
      sketch: Array<[number, Uint32Array]> | null;
    }>;
  }>;
}

export class ResultsStore implements RunResults {
  readonly keptKeys: readonly string[];
  private readonly metricMap = new Map<string, MetricState>();
  /** Metrics by name length: the hot path compares a few names, not a Map lookup. */
  private readonly metricsByLength: MetricState[][] = [];
  /** The metric of the last metricAt() call (see MetricState.next). */
  private lastMetric: MetricState | null = null;
  private readonly tagIds = new Map<string, number>();
  private readonly tagSets: Array<Record<string, string>> = [];
  lineCount = 0;
  pointCount = 0;
  malformedCount = 0;
  private start = Infinity;
  private end = -Infinity;

  constructor(keptKeys: readonly string[]) {
    this.keptKeys = [...new Set(keptKeys)];
  }

  /** Records a Metric line; false when the type is unknown (the metric is then ignored). */
  declareMetric(m: MetricState, type: string): boolean {
    if (!METRIC_TYPES.has(type)) {
      m.ignored = true;
      return false;
    }
    m.type = type as K6MetricType;
    m.ignored = false;
    return true;
  }

  /** Interns the values of the kept tag keys (in `keptKeys` order, undefined = absent) as a small integer. */
  readonly internTags = (vals: ReadonlyArray<string | undefined>): number => {
    let key = '';
    for (let i = 0; i < vals.length; i++) key += (vals[i] ?? KEY_ABSENT) + KEY_SEP;
    let id = this.tagIds.get(key);
    if (id === undefined) {
      const tags: Record<string, string> = {};
      for (let i = 0; i < vals.length; i++) if (vals[i] !== undefined) tags[this.keptKeys[i]!] = vals[i]!;
      id = this.tagSets.length;
      this.tagSets.push(tags);
      this.tagIds.set(key, id);
    }
    return id;
  };

  /** The metric named src[a, b), created on first use. */
  metricAt(src: string, a: number, b: number): MetricState {
    // One slice and === compares: much cheaper than startsWith in V8.
    const name = src.slice(a, b);
    const prev = this.lastMetric;
    const guess = prev === null ? undefined : prev.next;
    if (guess !== undefined && guess.name === name) return (this.lastMetric = guess);
    let m: MetricState | undefined;
    const cands = this.metricsByLength[b - a];
    if (cands !== undefined) {
      for (let i = 0; i < cands.length; i++) {
        if (cands[i]!.name === name) {
          m = cands[i]!;
          break;
        }
      }
    }
    m ??= this.metricState(name);
    if (prev !== null) prev.next = m;
    return (this.lastMetric = m);
  }

  /** Records one sample; false when its metric is ignored. `tagsId` comes from internTags. */
  addPoint(m: MetricState, tagsId: number, value: number, timeMs: number): boolean {
    if (m.ignored) return false;
    const s = m.byTags[tagsId] ?? this.newSeries(m, tagsId);
    this.pointCount++;
    if (timeMs < this.start) this.start = timeMs;
    if (timeMs > this.end) this.end = timeMs;
    s.count++;
    s.sum += value;
    if (value < s.min) s.min = value;
    if (value > s.max) s.max = value;
    if (value !== 0) s.passes++;
    if (timeMs >= s.lastTime) {
      s.last = value;
      s.lastTime = timeMs;
    }
    if (s.hist !== null) recordScaled(s.hist, value);
    if (s.seconds !== null) s.seconds.add(Math.floor(timeMs / 1000), s.metric.name === FAILED ? (value !== 0 ? 1 : 0) : value);
    else if (s.sketch !== null) s.sketch.add(Math.floor(timeMs / 1000), value);
    return true;
  }

  /** Adds every metric, series and counter of `other` into this store. */
  absorb(other: ResultsStore): void {
    for (const om of other.metricMap.values()) {
      const m = this.metricState(om.name);
      if (om.type !== undefined && m.type === undefined) m.type = om.type;
      if (om.ignored && m.type === undefined) m.ignored = true;
      for (const os of om.series) {
        const id = this.internTags(this.keptKeys.map((k) => os.tags[k]));
        const s = m.byTags[id] ?? this.newSeries(m, id);
        s.count += os.count;
        s.sum += os.sum;
        s.min = Math.min(s.min, os.min);
        s.max = Math.max(s.max, os.max);
        s.passes += os.passes;
        if (os.lastTime >= s.lastTime) {
          s.last = os.last;
          s.lastTime = os.lastTime;
        }
        if (os.hist !== null) {
          s.hist ??= newHistogram();
          s.hist.add(os.hist);
        }
        if (os.seconds !== null) (s.seconds ??= new SecondCounts()).addAll(os.seconds);
        if (os.sketch !== null) (s.sketch ??= new SecondSketches()).addAll(os.sketch);
      }
    }
    this.lineCount += other.lineCount;
    this.pointCount += other.pointCount;
    this.malformedCount += other.malformedCount;
    this.start = Math.min(this.start, other.start);
    this.end = Math.max(this.end, other.end);
  }

  /** Everything this store holds, as plain data (see StoreSnapshot). */
  snapshot(): StoreSnapshot {
    return {
      keptKeys: [...this.keptKeys],
      lineCount: this.lineCount,
      pointCount: this.pointCount,
      malformedCount: this.malformedCount,
      start: this.start,
      end: this.end,
      metrics: [...this.metricMap.values()].map((m) => ({
        name: m.name,
        type: m.type,
        ignored: m.ignored,
        series: m.series.map((s) => ({
          tags: s.tags,
          count: s.count,
          sum: s.sum,
          min: s.min,
          max: s.max,
          passes: s.passes,
          last: s.last,
          lastTime: s.lastTime,
          hist: s.hist === null ? null : histogramPairs(s.hist),
          seconds: s.seconds === null ? null : s.seconds.snapshot(),
          sketch: s.sketch === null ? null : s.sketch.snapshot(),
        })),
      })),
    };
  }

  /** The store a snapshot was taken of. */
  static fromSnapshot(snap: StoreSnapshot): ResultsStore {
    const store = new ResultsStore(snap.keptKeys);
    for (const sm of snap.metrics) {
      const m = store.metricState(sm.name);
      m.type = sm.type;
      m.ignored = sm.ignored;
      for (const ss of sm.series) {
        const s = store.newSeries(m, store.internTags(store.keptKeys.map((k) => ss.tags[k])));
        s.count = ss.count;
        s.sum = ss.sum;
        s.min = ss.min;
        s.max = ss.max;
        s.passes = ss.passes;
        s.last = ss.last;
        s.lastTime = ss.lastTime;
        s.hist = ss.hist === null ? null : histogramFromPairs(ss.hist);
        s.seconds = ss.seconds === null ? null : SecondCounts.fromSnapshot(ss.seconds);
        s.sketch = ss.sketch === null ? null : SecondSketches.fromSnapshot(ss.sketch);
      }
    }
    store.lineCount = snap.lineCount;
    store.pointCount = snap.pointCount;
    store.malformedCount = snap.malformedCount;
    store.start = snap.start;
    store.end = snap.end;
    return store;
  }

  // ---- RunResults ----

  metrics(): Array<{ name: string; type: K6MetricType }> {
    const out: Array<{ name: string; type: K6MetricType }> = [];
    for (const m of this.metricMap.values()) if (!m.ignored) out.push({ name: m.name, type: m.type ?? 'trend' });
    return out.sort((x, y) => x.name.localeCompare(y.name));
  }

  series(): SeriesInfo[] {
    const out: SeriesInfo[] = [];
    for (const m of this.metricMap.values()) {
      if (m.ignored) continue;
      for (const s of m.series) out.push({ metric: m.name, type: m.type ?? 'trend', tags: { ...s.tags } });
    }
    return out;
  }

  trend(metric: string, filter: TagFilter = {}): TrendStats | null {
    const ss = this.matching(metric, filter).filter((s) => s.hist !== null && s.count > 0);
    if (ss.length === 0) return null;
    const h = ss.length === 1 ? ss[0]!.hist! : mergeHistograms(ss.map((s) => s.hist!));
    let count = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const s of ss) {
      count += s.count;
      sum += s.sum;
      min = Math.min(min, s.min);
      max = Math.max(max, s.max);
    }
    // HDR reports the top of a bucket; clamping to the exact extremes keeps p99 <= max.
    const at = (p: number): number => Math.min(max, Math.max(min, percentile(h, p)));
    return { count, min, max, mean: sum / count, p50: at(50), p90: at(90), p95: at(95), p99: at(99) };
  }

  counter(metric: string, filter: TagFilter = {}): number {
    const m = this.metricMap.get(metric);
    let total = 0;
    for (const s of this.matching(metric, filter)) total += m?.type === 'counter' ? s.sum : s.count;
    return total;
  }

  rate(metric: string, filter: TagFilter = {}): RateStats {
    let passes = 0;
    let total = 0;
    for (const s of this.matching(metric, filter)) {
      passes += s.passes;
      total += s.count;
    }
    return { passes, total, rate: total === 0 ? null : passes / total };
  }

  gauge(metric: string, filter: TagFilter = {}): number | null {
    let best: Series | null = null;
    for (const s of this.matching(metric, filter)) if (s.count > 0 && (best === null || s.lastTime >= best.lastTime)) best = s;
    return best === null ? null : best.last;
  }

  /** Time series already built, by filter, valid while no point has been added since (pointCount). */
  private readonly seriesCache = new Map<string, { points: number; series: SecondBucket[] }>();

  timeSeries(filter: TagFilter = {}): SecondBucket[] {
    // Several readers (drill, rollback triggers, summary) ask for the same series; build it once.
    const key = JSON.stringify(Object.entries(filter).sort());
    const hit = this.seriesCache.get(key);
    if (hit && hit.points === this.pointCount) return hit.series;
    const series = this.buildTimeSeries(filter);
    this.seriesCache.set(key, { points: this.pointCount, series });
    return series;
  }

  private buildTimeSeries(filter: TagFilter): SecondBucket[] {
    const span = this.span();
    if (span === null) return [];
    const first = Math.floor(span.start / 1000);
    const last = Math.floor(span.end / 1000);
    const reqs = this.matching(REQS, filter);
    const failed = this.matching(FAILED, filter);
    const durations = this.matching(DURATION, filter).filter((s) => s.sketch !== null);
    const acc = new Float64Array(SKETCH_BUCKETS);
    const out: SecondBucket[] = [];
    for (let sec = first; sec <= last; sec++) {
      let requests = 0;
      let nFailed = 0;
      for (const s of reqs) requests += s.seconds?.get(sec) ?? 0;
      for (const s of failed) nFailed += s.seconds?.get(sec) ?? 0;
      let total = 0;
      if (durations.length > 0) {
        acc.fill(0);
        for (const s of durations) total += s.sketch!.addInto(sec, acc);
      }
      out.push({ t: sec * 1000, requests, failed: nFailed, p95: sketchQuantile(acc, total, 0.95) });
    }
    return out;
  }

  latencyDistribution(filter: TagFilter = {}): LatencyBucket[] {
    const ss = this.matching(DURATION, filter).filter((s) => s.hist !== null && s.count > 0);
    if (ss.length === 0) return [];
    const h = ss.length === 1 ? ss[0]!.hist! : mergeHistograms(ss.map((s) => s.hist!));
    let min = Infinity;
    let max = -Infinity;
    for (const s of ss) {
      min = Math.min(min, s.min);
      max = Math.max(max, s.max);
    }
    return distribution(h, min, max);
  }

  buckets(metric: string, filter: TagFilter = {}): ValueCounts {
    const ss = this.matching(metric, filter).filter((s) => s.hist !== null && s.count > 0);
    if (ss.length === 0) return [];
    const out: Array<[number, number]> = [];
    forEachRecorded(ss.length === 1 ? ss[0]!.hist! : mergeHistograms(ss.map((s) => s.hist!)), (low, _high, count) => {
      out.push([low, count]);
    });
    return out;
  }

  tagValues(metric: string, tag: string): string[] {
    const values = new Set<string>();
    for (const s of this.metricMap.get(metric)?.series ?? []) {
      const v = s.tags[tag];
      if (v !== undefined) values.add(v);
    }
    return [...values].sort();
  }

  span(): { start: number; end: number } | null {
    return this.start <= this.end ? { start: this.start, end: this.end } : null;
  }

  stats(): { lines: number; points: number; malformed: number } {
    return { lines: this.lineCount, points: this.pointCount, malformed: this.malformedCount };
  }

  // ---- internals ----

  private metricState(name: string): MetricState {
    let m = this.metricMap.get(name);
    if (m === undefined) {
      m = { name, type: BUILTIN_TYPES[name], ignored: false, series: [], byTags: [], next: undefined };
      this.metricMap.set(name, m);
      (this.metricsByLength[name.length] ??= []).push(m);
    }
    return m;
  }

  private newSeries(m: MetricState, tagsId: number): Series {
    const s: Series = {
      metric: m,
      tags: this.tagSets[tagsId]!,
      count: 0,
      sum: 0,
      min: Infinity,
      max: -Infinity,
      passes: 0,
      last: 0,
      lastTime: -Infinity,
      // Undeclared custom metrics get a histogram too: they may turn out to be trends.
      hist: m.type === 'trend' || m.type === undefined ? newHistogram() : null,
      seconds: m.name === REQS || m.name === FAILED ? new SecondCounts() : null,
      sketch: m.name === DURATION ? new SecondSketches() : null,
    };
    m.series.push(s);
    m.byTags[tagsId] = s;
    return s;
  }

  private matching(metric: string, filter: TagFilter): Series[] {
    const m = this.metricMap.get(metric);
    if (m === undefined || m.ignored) return [];
    const entries = Object.entries(filter);
    if (entries.length === 0) return m.series;
    return m.series.filter((s) => entries.every(([k, v]) => (v === true ? s.tags[k] !== undefined : s.tags[k] === v)));
  }
}

/** Re-buckets a histogram into DISTRIBUTION_BUCKETS log-spaced bars between min and max (ms). */
function distribution(h: Histogram, min: number, max: number): LatencyBucket[] {
  const lo = Math.max(min, 0.001);
  const hi = Math.max(max, lo);
  const n = hi / lo < 1.0001 ? 1 : DISTRIBUTION_BUCKETS;
  const bounds: number[] = [];
  for (let i = 1; i <= n; i++) bounds.push(i === n ? hi : roundSig(lo * Math.pow(hi / lo, i / n)));
  const counts = new Array<number>(n).fill(0);
  let b = 0;
  forEachRecorded(h, (low, _high, count) => {
    // Attribute each HDR bucket by its lowest value (exact at 3 significant digits).
    while (b < n - 1 && low > bounds[b]!) b++;
    counts[b]! += count;
  });
  const out: LatencyBucket[] = [];
  for (let i = 0; i < n; i++) {
    // Rounding can make two bounds equal on a narrow range: fold such bars together.
    if (i > 0 && bounds[i]! <= bounds[i - 1]!) out[out.length - 1]!.count += counts[i]!;
    else out.push({ le: bounds[i]!, count: counts[i]! });
  }
  return out;
}

function roundSig(x: number): number {
  const p = Math.pow(10, 2 - Math.floor(Math.log10(x)));
  return Math.ceil(x * p) / p;
}
