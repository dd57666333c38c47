/**
 * Criteria as typed data (thresholds/<milestone>.ts) and the summary the verdict engine produces.
 * The summary shape is also described by schema/summary.schema.json (kept in step by a test).
 */
import type { Profile } from '../contract/index.js';

export type { Profile };

export type Comparator = '<' | '<=' | '>' | '>=' | '==';

export type TrendStat = 'p50' | 'p90' | 'p95' | 'p99' | 'max' | 'min' | 'mean';
export type Statistic = TrendStat | 'rate' | 'count';

/** A value read from k6 results: metric + tag filter + statistic. */
export interface MetricSelector {
  kind: 'metric';
  metric: string;
  /** Tag filter; the value may be a single string. Empty = all series. */
  tags?: Record<string, string>;
  stat: Statistic;
}

/** A value produced by a named Node-side probe (lib/verify). */
export interface ProbeSelector {
  kind: 'probe';
  probe: string;
}

/**
 * The k6 `checks` pass rate (every check of every scenario, optionally restricted by a tag filter, e.g. MVP 2's
 * `forced: 'false'`); the failing check names go into the criterion's note.
 */
export interface ChecksSelector {
  kind: 'checks';
  tags?: Record<string, string>;
}

export type Selector = MetricSelector | ProbeSelector | ChecksSelector;

/**
 * A count a criterion needs before its value means anything: the seed's sizes in `full`, scaled down in `smoke`.
 * Read from k6 results (a counter's sum, or the number of samples of a rate or trend). A shortfall makes the
 * criterion unmeasured (NO-GO) and names it ("9,212 of 10,000 validations").
 */
export interface SampleNeed {
  /** What is counted, plural ("validations", "load-test iterations"). */
  what: string;
  metric: string;
  tags?: Record<string, string>;
  /** At least this many, per profile. */
  atLeast?: Record<Profile, number>;
  /** At most this many (e.g. zero `dropped_iterations`). */
  atMost?: number;
}

export type Unit = 'ratio' | 'ms' | 's' | 'count' | 'bool';

export interface Criterion {
  /** Stable id, e.g. `p95-latency`. */
  id: string;
  /** The seed's exact words, quoted, with where they stand; or plainly "harness's own guard" and why. */
  description: string;
  /** How the harness measures it, in one sentence. */
  rule: string;
  selector: Selector;
  comparator: Comparator;
  threshold: number;
  /** A different threshold for a profile (e.g. functional-checks: 100% in smoke, 99.9% in full). */
  thresholdByProfile?: Partial<Record<Profile, number>>;
  unit: Unit;
  /** What to look at when it fails. */
  hint: string;
  /** performance-degradation: what its comparison reads of a run (default: every scenario's http_req_duration and requests). */
  comparison?: ComparisonSpec;
  /** The sample the value needs to count (see SampleNeed); none when the value is not a count of things (a health reading, a drill). */
  sample?: readonly SampleNeed[];
  /** Also emit a matching k6 threshold (metric selectors only). Default true for metric selectors. */
  k6Threshold?: boolean;
}

/**
 * What the degradation comparison reads of a run (`Criterion.comparison`, performance-degradation): a latency trend
 * in ms and the requests whose http_req_failed rate is compared; without a scenario, every scenario's samples.
 */
export interface ComparisonSpec {
  latency: { metric: string; scenario?: string };
  requests: { scenario?: string };
}

/** One side (legacy or migrated) of a comparison: the latency histogram's (value ms, count) buckets and request outcomes. */
export interface ComparisonSample {
  latency: ReadonlyArray<readonly [value: number, count: number]>;
  requests: number;
  failed: number;
}

/** One side's figures as a comparison shows them. */
export interface ComparisonSide {
  /** Latency values, or requests. */
  n: number;
  /** Latency: median and p95 (ms). */
  median?: number | null;
  p95?: number | null;
  /** Error rate: failed requests, the rate and its 95% Wilson interval. */
  failed?: number;
  rate?: number | null;
  rateInterval?: [number, number];
}

/** How one comparison came out: see lib/verdict/compare.ts for the rule. */
export type ComparisonOutcome = 'pass' | 'fail' | 'inconclusive';

/** One statistical comparison of the migrated side against the legacy side (performance-degradation). */
export interface Comparison {
  measure: 'latency' | 'error-rate';
  /** What was compared (metric and scenario). */
  subject: string;
  /** The test and the interval, in words. */
  test: string;
  /** One-sided confidence of "worse" and of each bound (0.995). */
  confidence: number;
  /** One-sided p-value for "migrated worse than legacy". */
  p: number;
  /** Relative change (0.25 = 25% worse) of migrated against legacy: the estimate and its one-sided bounds. */
  estimate: number;
  lower: number;
  upper: number;
  /** The largest relative degradation allowed (0.2). */
  margin: number;
  /** What the change is relative to: max(legacy median, floor) in ms, or max(legacy rate, floor). */
  denominator: number;
  floor: number;
  /** The change itself (ms, or a difference of rates), with the same bounds. */
  absolute: { estimate: number; lower: number; upper: number };
  /** Latency only: the p95 change against max(legacy p95, floor), shown beside the test. */
  p95Change?: number | null;
  legacy: ComparisonSide;
  migrated: ComparisonSide;
  outcome: ComparisonOutcome;
  /** Why, in one sentence; when inconclusive, the sample that would decide. */
  reason: string;
  /** Inconclusive: the sample per side that would put the interval on one side of the margin at the same spread. */
  decidingSample?: number;
}

/** One probe's outcome, as written to probes.json in the run directory. */
export interface ProbeResult {
  /** The measured value, null when it could not be measured. */
  value: number | null;
  /** Why the value is null, or anything a reviewer should know. */
  note?: string;
  /** A reason that fails the criterion whatever the value (e.g. the drill's error rate was too high). */
  veto?: string;
  /**
   * What the harness lacked to measure this (a target-file hook or section it was not given), for the user to supply:
   * the value is null for want of an input, not because the platform failed. The run is UNDECIDED on it (exit 2)
   * unless a criterion the harness could measure failed (the platform failed: NO-GO).
   */
  missing?: string;
  /** Structured evidence for the report (expected vs delivered, divergence samples, timelines...). */
  details?: Record<string, unknown>;
  /** Statistical comparisons behind the value (performance-degradation); copied to the criterion. */
  comparisons?: Comparison[];
}

/** UNDECIDED: the harness could not decide (exit 2); `Summary.undecided` says why. */
export type Verdict = 'GO' | 'NO-GO' | 'UNDECIDED';

export interface CriterionResult {
  id: string;
  description: string;
  rule: string;
  comparator: Comparator;
  threshold: number;
  unit: Unit;
  /** null when it could not be measured (then pass is false). */
  measured: number | null;
  pass: boolean;
  /** Set when the criterion was deliberately not evaluated (e.g. no baseline): not counted against the verdict. */
  skipped?: boolean;
  /** The sample the value rests on against what the criterion needs; `ok: false` makes the criterion unmeasured. */
  sample?: { text: string; ok: boolean };
  note?: string;
  hint: string;
  /** The statistical comparisons the value rests on (performance-degradation): test, confidence, interval, outcome. */
  comparisons?: Comparison[];
  /**
   * A rate criterion's evidence: the counts its value is the proportion of and their 95% Wilson score interval, set
   * whenever both counts are known (also when the sample fell short: then it shows why the value proves nothing).
   */
  interval?: RateInterval;
}

/**
 * The two-sided Wilson score interval of a rate: the value is `count / total`, where `count` is what the rate counts
 * (failed requests for an error rate, passed checks for a pass rate, delivered notifications for a delivery ratio).
 */
export interface RateInterval {
  lower: number;
  upper: number;
  /** Two-sided: 0.95 (each bound one-sided at 97.5%). */
  confidence: number;
  method: 'wilson';
  count: number;
  total: number;
}

export interface RequestStats {
  scenario: string;
  name: string;
  count: number;
  errorRate: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  /** Filled when a baseline is given: relative change of p95 and error rate (0.1 = 10% worse). */
  delta?: { p95: number | null; errorRate: number | null };
}

export interface ScenarioOutcome {
  name: string;
  /** completed | thresholds-crossed | script-error | aborted | interrupted | not-run */
  status: 'completed' | 'thresholds-crossed' | 'script-error' | 'aborted' | 'interrupted' | 'not-run';
  k6ExitCode: number | null;
  requests: number;
  errorRate: number | null;
  p95: number | null;
  durationMs: number | null;
  message?: string;
}

/**
 * One phase of a run in the side-by-side table: MVP 2's legacy-path baseline beside the migrated payment load,
 * MVP 1's load measurement beside the rollback drill's background load. Requests of the phase's scenario only
 * (set-up requests excluded).
 */
export interface PhaseStats {
  name: string;
  /** The configuration it ran on, in words ("legacy path: every EventBridge flag false"). */
  configuration: string;
  scenario: string;
  /** The run id its requests and events carry. */
  runId: string;
  requests: number;
  errorRate: number | null;
  p95: number | null;
  p99: number | null;
}

export interface Summary {
  schemaVersion: 1;
  milestone: string;
  verdict: Verdict;
  /** Why the harness could not decide: set exactly when verdict is UNDECIDED (exit 2). */
  undecided?: string;
  profile: Profile;
  target: { name: string; environment: string; sandbox: boolean };
  runId: string;
  startedAt: string;
  finishedAt: string;
  interrupted: boolean;
  versions: { harness: string; k6: string | null; node: string };
  flags: Record<string, unknown> | null;
  faults: string[];
  criteria: CriterionResult[];
  scenarios: ScenarioOutcome[];
  requests: RequestStats[];
  timeSeries: Array<{ t: number; requests: number; failed: number; p95: number | null }>;
  latencyDistribution: Array<{ le: number; count: number }>;
  /**
   * Whole-run http_req_duration / http_req_failed over all scenarios (from the merged histogram,
   * never averaged from rows; setup() and teardown() requests excluded, as in the criteria). Used by the report's baseline comparison; optional for older summaries.
   */
  overall?: { requests: number; errorRate: number | null; p95: number | null; p99: number | null };
  probes: Record<string, ProbeResult>;
  /** The run's phases side by side, when it has more than one (see PhaseStats). */
  phases?: PhaseStats[];
  baseline?: { file: string; runId: string; p95: number | null; errorRate: number | null } | null;
  /**
   * What a later run's `--baseline` compares with (performance-degradation's ComparisonSpec on this run): the latency
   * trend as an HdrHistogram compressed base64 (µs), and the requests' outcomes.
   */
  comparisonSample?: {
    latency: { metric: string; scenario: string | null; count: number; hdr: string };
    requests: { scenario: string | null; total: number; failed: number };
  };
}

/** Everything needed to re-derive a summary, written as the run goes (so a crash still leaves it). */
export interface RunMeta {
  schemaVersion: 1;
  milestone: string;
  profile: Summary['profile'];
  runId: string;
  target: Summary['target'];
  startedAt: string;
  finishedAt: string | null;
  interrupted: boolean;
  undecided?: string;
  versions: Summary['versions'];
  flags: Record<string, unknown> | null;
  faults: string[];
  /** k6 processes per scenario (execution segments); absent = 1. */
  segments?: number;
  /** The criteria the verdict is decided on (written up front by `npm run k8s`). */
  criteria?: string[];
  /** A run planned for k6-operator (`npm run k8s`); `npm run collect` reads it back. */
  plan?: K8sPlan;
  /** Runner files `npm run collect` took into raw/. */
  collected?: CollectedFile[];
  /** `npm run collect --during` observed the run live (taps, drill, health before). */
  observedLive?: boolean;
  scenarios: ScenarioOutcome[];
  baselineFile?: string;
  /** The phases side by side (written once the probes are done). */
  phases?: PhaseStats[];
}

/** How `npm run k8s` split the run over k6-operator runners; `npm run collect` reads it back. */
export interface K8sPlan {
  kind: 'k6-operator';
  parallelism: number;
  namespace: string;
  seed: number;
  image: string;
  resultsClaim: string;
  /** The target file the manifests were written for (collect probes it). */
  targetFile: string;
  scenarios: Array<{
    name: string;
    testRun: string;
    /** The TestRun manifest, relative to the run directory. */
    manifest: string;
    /** How the script reaches the runners: bundle and data in a ConfigMap, or a k6 archive on the shared volume. */
    script: 'configmap' | 'archive-volume';
    /** `k6 inspect --execution-requirements` maxVUs with the runners' environment. */
    maxVUs: number;
    /** Runner files are `<resultsPrefix>-<pod>.ndjson`. */
    resultsPrefix: string;
    /** The execution-segment arguments k6-operator gives runner i (for running the same split elsewhere). */
    runnerArgs: string[][];
  }>;
}

/** One NDJSON file taken into raw/ by `npm run collect` (by content hash: collecting twice counts once). */
export interface CollectedFile {
  scenario: string;
  file: string;
  sha256: string;
  bytes: number;
}
