/**
 * performance-degradation judged with confidence: the migrated side against the legacy side, latency by a rank test
 * and error rate by a difference of proportions, each with an interval, each ending pass, fail or inconclusive.
 *
 * The rule, for either comparison (r = relative change of migrated against legacy, margin 20%, α = 1 − confidence):
 * - fail: the test shows migrated worse (one-sided p < α) AND the estimate of r is above the margin;
 * - inconclusive: the test shows migrated worse, the estimate is within the margin, but the interval's upper bound is
 *   beyond it (a real degradation whose size the sample cannot place): unmeasured, naming the sample that would decide;
 * - pass: otherwise: migrated not shown worse, or shown worse by no more than the margin.
 * Confidence 99.5% one-sided per comparison: two comparisons make a false NO-GO at most 1% (Bonferroni) when both
 * paths are equal. "Not shown worse" passes although its interval may reach past the margin: demanding proof of
 * "within 20%" would leave every error-rate comparison undecided at the plan's sizes (1.5% of 1,000 requests needs
 * about 14,000 per side for that), so a real +30% degradation is what the power of the test is measured on instead
 * (`npm run bench -- verdict`).
 */
import { SCENARIO_SAMPLES, type RunResults, type TagFilter } from '../results/index.js';
import { formatNumber } from './format.js';
import { normalQuantile } from './stats/normal.js';
import { newcombeDifference, wilsonInterval } from './stats/proportions.js';
import { bucketMedian, bucketQuantile, hodgesLehmann, mannWhitney, type Buckets } from './stats/ranks.js';
import type { Comparison, ComparisonOutcome, ComparisonSample, ComparisonSpec } from './types.js';

/** One-sided confidence of each comparison. */
export const DEFAULT_CONFIDENCE = 0.995;
/** Fewer values (or requests) on a side than this: the normal approximations are not trusted; inconclusive. */
export const MIN_COMPARISON_SAMPLE = 20;
/**
 * An error rate below this counts as it when dividing: the smallest rise judged against the 20% margin is
 * 0.2 percentage points (0 vs 1 error in 1,000 reads +10%, not +100%); smaller rates are the absolute error-rate
 * criterion's business (< 0.1%). One setting, one default.
 */
export const DEFAULT_ERROR_RATE_FLOOR = 0.01;
/**
 * A legacy latency (median, p95) below this many ms counts as it when dividing: 20% of it, 2 ms, is network jitter
 * between the harness and a real target. One setting for `--baseline` and MVP 2's legacy phase on a real target.
 */
export const DEFAULT_LATENCY_FLOOR_MS = 10;

/** What the comparison reads when a milestone names nothing: every scenario's http_req_duration and requests. */
export const DEFAULT_COMPARISON: ComparisonSpec = { latency: { metric: 'http_req_duration' }, requests: {} };

export interface CompareOptions {
  /** Largest relative degradation allowed (0.2). */
  margin: number;
  /** A legacy median below this (ms) counts as it when dividing. */
  latencyFloorMs: number;
  /** A legacy error rate below this counts as it when dividing (default DEFAULT_ERROR_RATE_FLOOR). */
  errorRateFloor?: number;
  /** One-sided confidence (default DEFAULT_CONFIDENCE). */
  confidence?: number;
}

export interface DegradationJudgement {
  comparisons: Comparison[];
  outcome: ComparisonOutcome;
  /**
   * The degradation shown: the largest relative estimate among the comparisons whose test shows migrated worse, 0 when
   * none does; null when inconclusive. Above the margin exactly when the outcome is fail.
   */
  value: number | null;
  note: string;
}

const filterOf = (scenario: string | undefined): TagFilter => (scenario === undefined ? SCENARIO_SAMPLES : { scenario });

/** A run's side of the comparison, as the spec says. */
export function comparisonSampleOf(results: RunResults, spec: ComparisonSpec): ComparisonSample {
  const r = results.rate('http_req_failed', filterOf(spec.requests.scenario));
  return { latency: results.buckets(spec.latency.metric, filterOf(spec.latency.scenario)), requests: r.total, failed: r.passes };
}

const pct = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${formatNumber(Math.abs(x) * 100, 1)}%`;
const ms = (x: number) => `${formatNumber(x, Math.abs(x) < 10 ? 2 : 1)} ms`;
const pp = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${formatNumber(Math.abs(x) * 100, 2)} pp`;
const rateText = (k: number, n: number) => `${k}/${n} (${formatNumber(n > 0 ? (k / n) * 100 : 0, 2)}%)`;
const pText = (p: number) => (p < 0.0001 ? 'p < 0.0001' : `p = ${formatNumber(p, 4)}`);
const conf = (c: number) => `${formatNumber(c * 100, 1)}%`;

function decide(p: number, estimate: number, upper: number, margin: number, confidence: number): ComparisonOutcome {
  const worse = p < 1 - confidence;
  if (worse && estimate > margin) return 'fail';
  if (worse && upper > margin) return 'inconclusive';
  return 'pass';
}

/** Per side, the sample whose interval (same spread, shrinking as 1/√n) would no longer reach past the margin. */
function decidingSample(n: number, estimate: number, upper: number, margin: number): number | undefined {
  if (!(margin - estimate > 1e-9) || !(upper > estimate)) return undefined;
  return Math.ceil(n * ((upper - estimate) / (margin - estimate)) ** 2);
}

function reasonFor(c: Omit<Comparison, 'reason'>, worseWhat: string, notShown: string): string {
  const bounds = `${conf(c.confidence)} bounds ${pct(c.lower)} … ${pct(c.upper)}`;
  switch (c.outcome) {
    case 'fail':
      return `${worseWhat} with ${conf(c.confidence)} confidence (${pText(c.p)}) and by ${pct(c.estimate)}, more than the ${pct(c.margin)} allowed (${bounds})`;
    case 'inconclusive':
      return (
        `${worseWhat} with ${conf(c.confidence)} confidence (${pText(c.p)}) by ${pct(c.estimate)}, but the ${bounds} straddle the ${pct(c.margin)} margin` +
        (c.decidingSample !== undefined ? `; about ${formatNumber(c.decidingSample, 0)} per side would decide` : '')
      );
    case 'pass':
      return c.p < 1 - c.confidence
        ? `${worseWhat} by ${pct(c.estimate)}, within the ${pct(c.margin)} allowed (${bounds})`
        : `${notShown} at ${conf(c.confidence)} (${pText(c.p)}; ${bounds})`;
  }
}

/** An absolute change with its bounds, and the same relative to `denominator`. */
function relativeTo(a: { estimate: number; lower: number; upper: number }, denominator: number) {
  const absolute = { estimate: a.estimate, lower: a.lower, upper: a.upper };
  return { estimate: a.estimate / denominator, lower: a.lower / denominator, upper: a.upper / denominator, absolute };
}

/** The outcome of a tested comparison, with the sample that would decide it when inconclusive (`n`: the larger side). */
function judged(base: Omit<Comparison, 'reason' | 'outcome'>, n: number, worseWhat: string, notShown: string): Comparison {
  const outcome = decide(base.p, base.estimate, base.upper, base.margin, base.confidence);
  const c = {
    ...base,
    outcome,
    ...(outcome === 'inconclusive' ? { decidingSample: decidingSample(n, base.estimate, base.upper, base.margin) } : {}),
  };
  return { ...c, reason: reasonFor(c, worseWhat, notShown) };
}

function tooSmall(base: Omit<Comparison, 'reason' | 'outcome'>, what: string): Comparison {
  return { ...base, outcome: 'inconclusive', reason: `${what}: fewer than ${MIN_COMPARISON_SAMPLE} on a side, nothing to test` };
}

/**
 * Latency: Mann-Whitney U (ties, continuity correction) for "migrated slower", the Hodges-Lehmann shift with its Moses
 * bounds, relative to max(legacy median, floor). The p95 change (against max(legacy p95, floor)) is shown beside it.
 */
export function compareLatency(legacy: Buckets, migrated: Buckets, subject: string, o: CompareOptions): Comparison {
  const confidence = o.confidence ?? DEFAULT_CONFIDENCE;
  const mw = mannWhitney(legacy, migrated);
  const median = (b: Buckets) => (b.length ? bucketMedian(b) : null);
  const p95 = (b: Buckets) => (b.length ? bucketQuantile(b, 0.95) : null);
  const [l95, m95] = [p95(legacy), p95(migrated)];
  const legacyMedian = median(legacy);
  const denominator = Math.max(legacyMedian ?? 0, o.latencyFloorMs);
  const small = mw.m < MIN_COMPARISON_SAMPLE || mw.n < MIN_COMPARISON_SAMPLE;
  const hl = small ? { estimate: NaN, lower: NaN, upper: NaN } : hodgesLehmann(legacy, migrated, normalQuantile(confidence));
  const base = {
    measure: 'latency' as const,
    subject,
    test: 'Mann-Whitney U (ties, continuity correction), Hodges-Lehmann shift with Moses bounds',
    confidence,
    p: mw.p,
    ...relativeTo(hl, denominator),
    margin: o.margin,
    denominator,
    floor: o.latencyFloorMs,
    p95Change: l95 !== null && m95 !== null ? (m95 - l95) / Math.max(l95, o.latencyFloorMs) : null,
    legacy: { n: mw.m, median: legacyMedian, p95: l95 },
    migrated: { n: mw.n, median: median(migrated), p95: m95 },
  };
  if (small) return tooSmall(base, `${mw.m} legacy and ${mw.n} migrated values`);
  return judged(base, Math.max(mw.m, mw.n), 'migrated slower', 'migrated not shown slower');
}

/**
 * Error rate: Newcombe's hybrid score interval (from the Wilson intervals) for p_migrated − p_legacy, relative to
 * max(legacy rate, floor); its inversion gives the one-sided p for "migrated fails more".
 */
export function compareErrorRates(
  legacy: { requests: number; failed: number },
  migrated: { requests: number; failed: number },
  subject: string,
  o: CompareOptions,
): Comparison {
  const confidence = o.confidence ?? DEFAULT_CONFIDENCE;
  const floor = o.errorRateFloor ?? DEFAULT_ERROR_RATE_FLOOR;
  const side = (s: { requests: number; failed: number }) => {
    const w = wilsonInterval(s.failed, s.requests);
    return {
      n: s.requests,
      failed: s.failed,
      rate: s.requests > 0 ? s.failed / s.requests : null,
      rateInterval: [w.lower, w.upper] as [number, number],
    };
  };
  const legacyRate = legacy.requests > 0 ? legacy.failed / legacy.requests : 0;
  const denominator = Math.max(legacyRate, floor);
  const small = legacy.requests < MIN_COMPARISON_SAMPLE || migrated.requests < MIN_COMPARISON_SAMPLE;
  const d = small
    ? { estimate: NaN, lower: NaN, upper: NaN, p: 1 }
    : newcombeDifference(migrated.failed, migrated.requests, legacy.failed, legacy.requests, normalQuantile(confidence));
  const base = {
    measure: 'error-rate' as const,
    subject,
    test: "difference of proportions, Newcombe's hybrid score interval (Wilson)",
    confidence,
    p: d.p,
    ...relativeTo(d, denominator),
    margin: o.margin,
    denominator,
    floor,
    legacy: side(legacy),
    migrated: side(migrated),
  };
  if (small) return tooSmall(base, `${legacy.requests} legacy and ${migrated.requests} migrated requests`);
  return judged(base, Math.max(legacy.requests, migrated.requests), 'migrated fails more', 'migrated not shown to fail more');
}

/** One comparison in one line for the criterion's note. */
export function comparisonText(c: Comparison): string {
  if (c.measure === 'latency') {
    const l = c.legacy;
    const m = c.migrated;
    const p95 =
      c.p95Change !== null && c.p95Change !== undefined && l.p95 != null && m.p95 != null
        ? `; p95 ${ms(l.p95)} → ${ms(m.p95)}: ${pct(c.p95Change)} of max(legacy p95, ${ms(c.floor)})`
        : '';
    const shift = Number.isFinite(c.absolute.estimate)
      ? `shift ${ms(c.absolute.estimate)} = ${pct(c.estimate)} of max(legacy median ${l.median != null ? ms(l.median) : '-'}, ${ms(c.floor)})`
      : 'no shift estimated';
    return `latency ${c.subject}, ${l.n} vs ${m.n} values: ${c.outcome.toUpperCase()}: ${c.reason}; ${shift}${p95}`;
  }
  const shift = Number.isFinite(c.absolute.estimate)
    ? `${pp(c.absolute.estimate)} = ${pct(c.estimate)} of max(legacy rate, ${formatNumber(c.floor * 100, 2)}%)`
    : 'no difference estimated';
  return (
    `error rate ${c.subject}, ${rateText(c.legacy.failed ?? 0, c.legacy.n)} vs ${rateText(c.migrated.failed ?? 0, c.migrated.n)}: ` +
    `${c.outcome.toUpperCase()}: ${c.reason}; ${shift}`
  );
}

/** Both comparisons and the criterion's outcome: any fail fails, else any inconclusive is inconclusive, else pass. */
export function judgeDegradation(
  legacy: ComparisonSample,
  migrated: ComparisonSample,
  subjects: { latency: string; requests: string },
  o: CompareOptions,
): DegradationJudgement {
  const comparisons = [
    compareLatency(legacy.latency, migrated.latency, subjects.latency, o),
    compareErrorRates(legacy, migrated, subjects.requests, o),
  ];
  const outcome: ComparisonOutcome = comparisons.some((c) => c.outcome === 'fail')
    ? 'fail'
    : comparisons.some((c) => c.outcome === 'inconclusive')
      ? 'inconclusive'
      : 'pass';
  const shown = comparisons.filter((c) => c.p < 1 - c.confidence && Number.isFinite(c.estimate)).map((c) => c.estimate);
  const value = outcome === 'inconclusive' ? null : Math.max(0, ...shown);
  const head =
    outcome === 'inconclusive'
      ? 'not measured: inconclusive'
      : outcome === 'fail'
        ? `migrated worse by more than ${pct(o.margin)} with ${conf(comparisons[0]!.confidence)} confidence`
        : `no degradation beyond ${pct(o.margin)} shown`;
  return { comparisons, outcome, value, note: `${head}. ${comparisons.map(comparisonText).join('. ')}` };
}

/** The subject of a spec's comparisons, in words ("payment_processing_time (payment-flow)"). */
export function subjectsOf(spec: ComparisonSpec): { latency: string; requests: string } {
  const where = (s: string | undefined) => (s === undefined ? 'every scenario' : s);
  return {
    latency: `${spec.latency.metric} (${where(spec.latency.scenario)})`,
    requests: `http_req_failed (${where(spec.requests.scenario)})`,
  };
}
