/**
 * Baseline comparison: the seed's MVP 2 NO-GO "Performance degradation >20%", measured as the worst
 * relative change of the overall p95 (http_req_duration) and the overall error rate (http_req_failed)
 * against an earlier run's summary.json.
 */
import type { CriterionResult, RequestStats, Summary } from './types.js';
import { formatNumber } from './format.js';

export const DEGRADATION_ID = 'performance-degradation';
const DESCRIPTION = 'Performance degradation > 20%';
const HINT =
  'Compare the Δ columns of the request table to find which requests got slower or fail more; ' +
  'the p95-per-second chart shows when it started. Check faults in force and the target environment of both runs.';

/** Default limit: more than 20% worse fails. */
export const DEFAULT_MAX_DEGRADATION = 0.2;
/**
 * Error rates below this absolute floor count as the floor when dividing, so 0 -> 0.0001 is a 10%
 * change instead of "infinitely worse". 0.001 = 0.1 percentage points.
 */
export const DEFAULT_ERROR_RATE_FLOOR = 0.001;
/** Same idea for p95: a baseline p95 under 1 ms is treated as 1 ms. */
const P95_FLOOR_MS = 1;

export interface BaselineOptions {
  /** Largest acceptable relative degradation (0.2 = 20%). */
  maxDegradation?: number;
  /** Absolute floor for the error-rate denominator (default 0.001). */
  errorRateFloor?: number;
  /** Path of the baseline summary.json, recorded in the summary's `baseline.file`. */
  file?: string;
}

export interface BaselineComparison {
  criterion: CriterionResult;
  requests: RequestStats[];
  baseline: NonNullable<Summary['baseline']>;
}

/** Relative change (positive = worse), with the denominator floored; null when either side is missing. */
export function relativeChange(current: number | null | undefined, base: number | null | undefined, floor: number): number | null {
  if (current === null || current === undefined || base === null || base === undefined) return null;
  if (!Number.isFinite(current) || !Number.isFinite(base)) return null;
  // Rounded to 1e-9 so 1.2 × x compares as exactly +20%, not 20.000000000000004%.
  return Math.round(((current - base) / Math.max(base, floor)) * 1e9) / 1e9;
}

/** Overall p95 and error rate of a summary: `overall` when present, else derived without averaging percentiles. */
export function overallOf(summary: Summary): { p95: number | null; errorRate: number | null; estimated: boolean } {
  if (summary.overall) return { p95: summary.overall.p95, errorRate: summary.overall.errorRate, estimated: false };
  // Error rate: exact from the per-second series (or the per-request rows) as failed / total.
  let total = 0;
  let failed = 0;
  for (const b of summary.timeSeries) {
    total += b.requests;
    failed += b.failed;
  }
  if (total === 0) {
    for (const r of summary.requests) {
      if (r.errorRate === null) continue;
      total += r.count;
      failed += r.count * r.errorRate;
    }
  }
  const errorRate = total > 0 ? failed / total : null;
  // p95: the upper bound of the latency-distribution bucket holding the 95th percentile (an upper estimate).
  const buckets = [...summary.latencyDistribution].sort((a, b) => a.le - b.le);
  const n = buckets.reduce((s, b) => s + b.count, 0);
  let p95: number | null = null;
  if (n > 0) {
    const rank = Math.ceil(n * 0.95);
    let seen = 0;
    for (const b of buckets) {
      seen += b.count;
      if (seen >= rank) {
        p95 = b.le;
        break;
      }
    }
  }
  return { p95, errorRate, estimated: true };
}

function pct(x: number): string {
  return `${formatNumber(x * 100, 1)}%`;
}

/**
 * Compares `current` with `baseline`. The criterion fails when the overall p95 or the overall error
 * rate is more than `maxDegradation` worse; `measured` is the worst relative change (0.25 = 25% worse).
 * Request rows of `current` come back with `delta` filled (matched by scenario + name).
 * summarize() adds the criterion to the verdict.
 */
export function compareWithBaseline(current: Summary, baseline: Summary, opts: BaselineOptions = {}): BaselineComparison {
  const max = opts.maxDegradation ?? DEFAULT_MAX_DEGRADATION;
  const floor = opts.errorRateFloor ?? DEFAULT_ERROR_RATE_FLOOR;
  const cur = overallOf(current);
  const base = overallOf(baseline);

  const p95Change = relativeChange(cur.p95, base.p95, P95_FLOOR_MS);
  const errChange = relativeChange(cur.errorRate, base.errorRate, floor);
  const changes = [p95Change, errChange].filter((c): c is number => c !== null);
  const measured = changes.length > 0 ? Math.max(...changes) : null;

  const notes: string[] = [];
  notes.push(`p95 ${p95Change === null ? 'not comparable' : (p95Change >= 0 ? '+' : '') + pct(p95Change)}`);
  notes.push(`error rate ${errChange === null ? 'not comparable' : (errChange >= 0 ? '+' : '') + pct(errChange)}`);
  if (cur.estimated || base.estimated) notes.push('p95 estimated from the latency distribution (summary without `overall`)');
  if (changes.length < 2 && measured !== null) notes.push('only one of p95 / error rate could be compared');

  const criterion: CriterionResult = {
    id: DEGRADATION_ID,
    description: DESCRIPTION,
    rule:
      `Worst relative change of overall http_req_duration p95 and overall http_req_failed rate against baseline run ${baseline.runId}; ` +
      `error rate compared against max(baseline, ${formatNumber(floor * 100, 2)}%) so a baseline of 0 is not infinitely worse; ` +
      `fails when more than ${pct(max)} worse.`,
    comparator: '<=',
    threshold: max,
    unit: 'ratio',
    measured,
    pass: measured !== null && measured <= max,
    note: notes.join('; '),
    hint: HINT,
  };

  const baseRows = new Map(baseline.requests.map((r) => [`${r.scenario}\u0000${r.name}`, r]));
  const requests = current.requests.map((r): RequestStats => {
    const b = baseRows.get(`${r.scenario}\u0000${r.name}`);
    return {
      ...r,
      delta: {
        p95: b ? relativeChange(r.p95, b.p95, P95_FLOOR_MS) : null,
        errorRate: b ? relativeChange(r.errorRate, b.errorRate, floor) : null,
      },
    };
  });

  return {
    criterion,
    requests,
    baseline: { file: opts.file ?? '', runId: baseline.runId, p95: base.p95, errorRate: base.errorRate },
  };
}

/** The degradation criterion when no `--baseline` was given: skipped, so it does not count against the verdict. */
export function notEvaluatedDegradation(): CriterionResult {
  return {
    id: DEGRADATION_ID,
    description: DESCRIPTION,
    rule: 'Worst relative change of overall p95 and error rate against a baseline summary.json; fails when more than 20% worse.',
    comparator: '<=',
    threshold: DEFAULT_MAX_DEGRADATION,
    unit: 'ratio',
    measured: null,
    pass: true,
    skipped: true,
    note: 'not evaluated: no --baseline given',
    hint: 'Pass --baseline <earlier summary.json> to compare against a previous run.',
  };
}
