/**
 * Baseline comparison: the seed's MVP 2 NO-GO "Performance degradation >20%" against an earlier run's summary.json,
 * judged with confidence (compare.ts) on the latency histogram and request counts both summaries carry
 * (`comparisonSample`); the overall p95 and error-rate changes are shown beside it and fill the request table's deltas.
 */
import { createError } from '../errors/index.js';
import { decodeBuckets } from '../results/index.js';
import { DEFAULT_CONFIDENCE, DEFAULT_ERROR_RATE_FLOOR, DEFAULT_LATENCY_FLOOR_MS, judgeDegradation } from './compare.js';
import type { ComparisonSample, CriterionResult, Profile, RequestStats, Summary } from './types.js';
import { formatNumber } from './format.js';

export const DEGRADATION_ID = 'performance-degradation';
const DESCRIPTION = 'Performance degradation > 20%';
const HINT =
  'Compare the Δ columns of the request table to find which requests got slower or fail more; ' +
  'the p95-per-second chart shows when it started. Check faults in force and the target environment of both runs.';

/** Default limit: more than 20% worse fails. */
export const DEFAULT_MAX_DEGRADATION = 0.2;

export interface BaselineOptions {
  /** Largest acceptable relative degradation (0.2 = 20%). */
  maxDegradation?: number;
  /** Absolute floor for the error-rate denominator (default DEFAULT_ERROR_RATE_FLOOR, 1%). */
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
 * Refuses a `--baseline` summary that cannot be compared with this run: another milestone, another profile (smoke and
 * full differ in load and sample), or a run that could not decide (UNDECIDED: cut short, or lacking what it needed).
 * @throws HarnessError QSL_CONFIG_INVALID (exit 2) naming each difference and what to pass instead.
 */
export function checkBaselineComparable(baseline: Summary, current: { milestone: string; profile: Profile }, file: string): void {
  const problems: string[] = [];
  if (baseline.milestone !== current.milestone) problems.push(`it is a ${baseline.milestone} run, this is ${current.milestone}`);
  if (baseline.profile !== current.profile) problems.push(`it ran --profile ${baseline.profile}, this runs --profile ${current.profile}`);
  if (baseline.verdict === 'UNDECIDED' || baseline.undecided)
    problems.push(`its verdict is UNDECIDED (${baseline.undecided ?? 'no reason given'}): it measured nothing a comparison can rest on`);
  if (problems.length === 0) return;
  throw createError(
    'QSL_CONFIG_INVALID',
    `--baseline ${file} cannot be compared with this run: ${problems.join('; ')}. ` +
      `Pass the summary.json of a finished GO or NO-GO ${current.milestone} run with --profile ${current.profile}.`,
  );
}

/** A summary's side of the comparison, decoded; null when it carries none (written by an older harness). */
function sampleOf(s: Summary): ComparisonSample | null {
  const c = s.comparisonSample;
  if (!c) return null;
  return { latency: decodeBuckets(c.latency.hdr), requests: c.requests.total, failed: c.requests.failed };
}

const where = (scenario: string | null) => scenario ?? 'every scenario';

/**
 * Compares `current` with `baseline` (compare.ts's rule; the baseline is the legacy side). `measured` is the
 * degradation shown (null when inconclusive, or when a summary carries no comparison sample); the overall p95 and
 * error-rate changes are in the note. Request rows of `current` come back with `delta` filled (matched by
 * scenario + name). summarize() adds the criterion to the verdict.
 */
export function compareWithBaseline(current: Summary, baseline: Summary, opts: BaselineOptions = {}): BaselineComparison {
  const max = opts.maxDegradation ?? DEFAULT_MAX_DEGRADATION;
  const floor = opts.errorRateFloor ?? DEFAULT_ERROR_RATE_FLOOR;
  const cur = overallOf(current);
  const base = overallOf(baseline);

  const p95Change = relativeChange(cur.p95, base.p95, DEFAULT_LATENCY_FLOOR_MS);
  const errChange = relativeChange(cur.errorRate, base.errorRate, floor);
  const signed = (c: number | null) => (c === null ? 'not comparable' : (c >= 0 ? '+' : '') + pct(c));
  const overall =
    `overall p95 ${signed(p95Change)}, overall error rate ${signed(errChange)}` +
    (cur.estimated || base.estimated ? ' (p95 estimated from the latency distribution: summary without `overall`)' : '');

  const legacy = sampleOf(baseline);
  const migrated = sampleOf(current);
  const spec = current.comparisonSample;
  const other = baseline.comparisonSample;
  let measured: number | null = null;
  let pass = false;
  let note: string;
  let comparisons: CriterionResult['comparisons'];
  if (!legacy || !migrated || !spec || !other) {
    note =
      `not measured: ${!legacy ? 'the baseline summary.json carries no comparisonSample (written by an older harness): re-run the baseline with this one' : 'this run carries no comparison sample (no k6 results)'}; ` +
      overall;
  } else if (
    spec.latency.metric !== other.latency.metric ||
    spec.latency.scenario !== other.latency.scenario ||
    spec.requests.scenario !== other.requests.scenario
  ) {
    note = `not measured: the baseline compared ${other.latency.metric} (${where(other.latency.scenario)}), this run ${spec.latency.metric} (${where(spec.latency.scenario)}); ${overall}`;
  } else {
    const j = judgeDegradation(
      legacy,
      migrated,
      {
        latency: `${spec.latency.metric} (${where(spec.latency.scenario)})`,
        requests: `http_req_failed (${where(spec.requests.scenario)})`,
      },
      { margin: max, latencyFloorMs: DEFAULT_LATENCY_FLOOR_MS, errorRateFloor: floor },
    );
    measured = j.value;
    pass = j.outcome === 'pass';
    note = `${j.note}. ${overall}`;
    comparisons = j.comparisons;
  }

  const criterion: CriterionResult = {
    id: DEGRADATION_ID,
    description: DESCRIPTION,
    rule:
      `The same comparison, against baseline run ${baseline.runId} as the legacy side: latency by Mann-Whitney U and the Hodges-Lehmann shift relative to max(baseline median, ${DEFAULT_LATENCY_FLOOR_MS} ms), ` +
      `error rate by a difference of proportions relative to max(baseline rate, ${formatNumber(floor * 100, 2)}%), each at ${pct(DEFAULT_CONFIDENCE)} one-sided confidence; ` +
      `fails when worse with that confidence and by more than ${pct(max)}, unmeasured when inconclusive; measured: the degradation shown.`,
    comparator: '<=',
    threshold: max,
    unit: 'ratio',
    measured,
    pass,
    note,
    hint: HINT,
    ...(comparisons ? { comparisons } : {}),
  };

  const baseRows = new Map(baseline.requests.map((r) => [`${r.scenario}\u0000${r.name}`, r]));
  const requests = current.requests.map((r): RequestStats => {
    const b = baseRows.get(`${r.scenario}\u0000${r.name}`);
    return {
      ...r,
      delta: {
        p95: b ? relativeChange(r.p95, b.p95, DEFAULT_LATENCY_FLOOR_MS) : null,
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
    rule: 'Compares latency and error rate with a baseline summary.json at 99.5% one-sided confidence; fails when worse with that confidence and by more than 20%.',
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
