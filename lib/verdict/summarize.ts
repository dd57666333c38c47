/**
 * The verdict's assembly, in one place: k6 results and probe results become criteria (vetoes included),
 * the baseline comparison adds its deltas and the degradation criterion, and the final verdict follows.
 * lib/run only orchestrates and lib/report only renders what this returns.
 */
import { encodeBuckets, SCENARIO_SAMPLES, type RunResults } from '../results/index.js';
import { checkBaselineComparable, compareWithBaseline, DEGRADATION_ID, notEvaluatedDegradation } from './baseline.js';
import { comparisonSampleOf, DEFAULT_COMPARISON } from './compare.js';
import { decideVerdict, evaluateCriteria, undecidedReason } from './evaluate.js';
import { lackingInputsReason } from './lacking-inputs.js';
import type { Criterion, CriterionResult, ProbeResult, RequestStats, RunMeta, ScenarioOutcome, Summary } from './types.js';

function requestTable(results: RunResults): RequestStats[] {
  const rows: RequestStats[] = [];
  const seen = new Set<string>();
  for (const s of results.series()) {
    if (s.metric !== 'http_reqs') continue;
    const name = s.tags.name ?? '';
    // setup() and teardown() requests carry no scenario tag, only their group (::setup, ::teardown).
    const f: Record<string, string> =
      s.tags.scenario !== undefined ? { scenario: s.tags.scenario, name } : { group: s.tags.group ?? '', name };
    const scenario = s.tags.scenario ?? `(${(s.tags.group ?? '').replace(/^::/, '') || 'untagged'})`;
    const key = `${scenario}\u0000${name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const t = results.trend('http_req_duration', f);
    rows.push({
      scenario,
      name,
      count: results.counter('http_reqs', f),
      errorRate: results.rate('http_req_failed', f).rate,
      p50: t?.p50 ?? null,
      p90: t?.p90 ?? null,
      p95: t?.p95 ?? null,
      p99: t?.p99 ?? null,
      max: t?.max ?? null,
    });
  }
  return rows.sort((a, b) => a.scenario.localeCompare(b.scenario) || a.name.localeCompare(b.name));
}

function scenarioRows(meta: RunMeta, results: RunResults | null): ScenarioOutcome[] {
  return meta.scenarios.map((s) => {
    const f = { scenario: s.name };
    return {
      ...s,
      requests: results ? results.counter('http_reqs', f) : 0,
      errorRate: results ? results.rate('http_req_failed', f).rate : null,
      p95: results?.trend('http_req_duration', f)?.p95 ?? null,
    };
  });
}

/** What a later run's --baseline compares with: performance-degradation's ComparisonSpec read on this run. */
function comparisonSample(results: RunResults, criteria: readonly Criterion[]): NonNullable<Summary['comparisonSample']> {
  const spec = criteria.find((c) => c.id === DEGRADATION_ID)?.comparison ?? DEFAULT_COMPARISON;
  const s = comparisonSampleOf(results, spec);
  return {
    latency: {
      metric: spec.latency.metric,
      scenario: spec.latency.scenario ?? null,
      count: s.latency.reduce((n, [, c]) => n + c, 0),
      hdr: encodeBuckets(s.latency),
    },
    requests: { scenario: spec.requests.scenario ?? null, total: s.requests, failed: s.failed },
  };
}

export interface SummarizeInput {
  meta: RunMeta;
  results: RunResults | null;
  probes: Record<string, ProbeResult>;
  criteria: readonly Criterion[];
  /** A previous run's summary.json to compare against (the seed's "performance degradation > 20%"). */
  baseline?: { file: string; summary: Summary } | null;
  /** The milestone's Go/No-Go rules include "performance degradation > 20%": report it even without a baseline. */
  degradationCriterion?: boolean;
}

/**
 * Derives the summary from raw material only (run metadata, k6 results, probe results), so a run
 * directory can always be re-rendered into the same verdict.
 * @throws HarnessError QSL_CONFIG_INVALID when `baseline` is another milestone's or profile's run, or UNDECIDED.
 */
export function summarize(input: SummarizeInput): Summary {
  const { meta, results, probes } = input;
  const criteria: CriterionResult[] = evaluateCriteria(input.criteria, results, probes, meta.profile);
  // The scenarios' requests, as the criteria see them (setup()/teardown() are in the request table, apart).
  const overallLatency = results?.trend('http_req_duration', SCENARIO_SAMPLES) ?? null;
  const summary: Summary = {
    schemaVersion: 1,
    milestone: meta.milestone,
    verdict: 'NO-GO',
    profile: meta.profile,
    target: meta.target,
    runId: meta.runId,
    startedAt: meta.startedAt,
    finishedAt: meta.finishedAt ?? new Date().toISOString(),
    interrupted: meta.interrupted,
    versions: meta.versions,
    flags: meta.flags,
    faults: meta.faults,
    criteria,
    scenarios: scenarioRows(meta, results),
    requests: results ? requestTable(results) : [],
    // Charts show what the criteria measure: the scenarios' requests (set-up requests are in the request table).
    timeSeries: results ? results.timeSeries(SCENARIO_SAMPLES) : [],
    latencyDistribution: results ? results.latencyDistribution(SCENARIO_SAMPLES) : [],
    probes,
    overall: {
      requests: results ? results.counter('http_reqs', SCENARIO_SAMPLES) : 0,
      errorRate: results ? results.rate('http_req_failed', SCENARIO_SAMPLES).rate : null,
      p95: overallLatency?.p95 ?? null,
      p99: overallLatency?.p99 ?? null,
    },
  };
  if (meta.phases?.length) summary.phases = meta.phases;
  if (results) summary.comparisonSample = comparisonSample(results, input.criteria);
  const measuredInRun = summary.criteria.findIndex((c) => c.id === DEGRADATION_ID);
  if (input.baseline) {
    checkBaselineComparable(input.baseline.summary, meta, input.baseline.file);
    const cmp = compareWithBaseline(summary, input.baseline.summary, { file: input.baseline.file });
    // The comparison with the given summary takes the place of the in-run measurement (MVP 2's legacy-path phase).
    if (measuredInRun >= 0) summary.criteria[measuredInRun] = cmp.criterion;
    else summary.criteria.push(cmp.criterion);
    summary.requests = cmp.requests;
    summary.baseline = cmp.baseline;
  } else if (input.degradationCriterion && measuredInRun < 0) {
    summary.criteria.push(notEvaluatedDegradation());
  }
  const undecided = undecidedReason(
    summary.criteria,
    meta.undecided ??
      (meta.interrupted ? 'the run was interrupted before every scenario and probe finished' : undefined) ??
      lackingInputsReason(input.criteria, summary.criteria, probes),
  );
  if (undecided) summary.undecided = undecided;
  summary.verdict = decideVerdict(summary.criteria, undecided);
  return summary;
}

/** The harness's exit code for a summary: 0 GO, 1 NO-GO, 2 could not decide. */
export function exitCodeOf(summary: Summary): 0 | 1 | 2 {
  return summary.verdict === 'UNDECIDED' || summary.undecided ? 2 : summary.verdict === 'GO' ? 0 : 1;
}
