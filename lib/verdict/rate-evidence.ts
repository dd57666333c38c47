/**
 * The evidence behind a rate criterion: a criterion whose value is a proportion of a counted sample (an error rate,
 * a pass rate, a delivery or capture ratio). Which criteria those are, the counts behind each value, and the 95%
 * Wilson score interval the report shows beside it. A latency percentile, a drill, a health reading or a relative
 * change is no rate: it gets no interval.
 */
import { SCENARIO_SAMPLES, type RunResults } from '../results/index.js';
import { NOTIFICATIONS_PROBE } from './rollback-triggers.js';
import { wilsonInterval } from './stats/proportions.js';
import type { Criterion, ProbeResult, RateInterval } from './types.js';

/** The interval's two-sided confidence. */
export const INTERVAL_CONFIDENCE = 0.95;

/** What a rate is a proportion of: value = count / total. */
export interface RateCounts {
  count: number;
  total: number;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** count / total from a probe's details, when both are numbers. */
function counts(count: unknown, total: unknown): RateCounts | null {
  const k = num(count);
  const n = num(total);
  return k === null || n === null ? null : { count: k, total: n };
}

/** network-success: confirmed / all submissions, summed over the networks (success is passes / samples per network). */
function networkCounts(d: Record<string, unknown>): RateCounts | null {
  const per = Object.values((d.perNetwork ?? {}) as Record<string, { success?: unknown; samples?: unknown }>);
  if (per.length === 0) return null;
  const total = per.reduce((n, x) => n + (num(x.samples) ?? NaN), 0);
  const count = per.reduce((n, x) => n + Math.round((num(x.success) ?? 0) * (num(x.samples) ?? NaN)), 0);
  return counts(count, total);
}

/** journal-capture: the events the tap saw on both paths, less those missing from the journal. */
function journalCounts(d: Record<string, unknown>): RateCounts | null {
  const seen = (d.expected ?? {}) as { eventbridge?: unknown; legacy?: unknown };
  const missing = Object.values((d.missing ?? {}) as Record<string, { count?: unknown }>);
  const total = (num(seen.eventbridge) ?? NaN) + (num(seen.legacy) ?? NaN);
  return counts(total - missing.reduce((n, m) => n + (num(m.count) ?? NaN), 0), total);
}

/**
 * The probes whose value is a proportion, and where their details keep its counts (lib/verify writes them; the
 * verdict reads details, never the probe). A probe not listed is no rate: performance-degradation's value is a
 * relative change, a bool probe a reading, the drill a time.
 */
const PROBE_COUNTS: Readonly<Record<string, (details: Record<string, unknown>) => RateCounts | null>> = {
  [NOTIFICATIONS_PROBE]: (d) => counts(d.delivered, d.owed),
  'shadow-divergence': (d) => counts(d.divergentCount, d.compared),
  'saga-compensation': (d) => counts(d.compensated, d.forced),
  'ledger-consistency': (d) => counts((num(d.checks) ?? NaN) - (num(d.failed) ?? NaN), d.checks),
  'network-success': networkCounts,
  'journal-capture': journalCounts,
};

/**
 * A rate criterion: its value is a proportion of a counted sample (a k6 rate, the checks pass rate, or a probe listed
 * above). Not a latency percentile, a count, a drill, a health reading or a relative change.
 */
export function isRateCriterion(c: Criterion): boolean {
  const sel = c.selector;
  return sel.kind === 'checks' || (sel.kind === 'metric' ? sel.stat === 'rate' : Object.hasOwn(PROBE_COUNTS, sel.probe));
}

/**
 * The counts behind a rate criterion's value, read where the value was read: the k6 rate's samples (the scenarios'
 * own, as the criterion), the checks, or the probe's details. Null when the criterion is no rate or the counts are
 * not whole numbers that give back the probe's value (details of another shape are never guessed at).
 */
export function rateCounts(c: Criterion, results: RunResults | null, probe: ProbeResult | undefined): RateCounts | null {
  const sel = c.selector;
  let found: RateCounts | null = null;
  if (sel.kind === 'checks' || (sel.kind === 'metric' && sel.stat === 'rate')) {
    if (!results) return null;
    const r =
      sel.kind === 'checks' ? results.rate('checks', sel.tags ?? {}) : results.rate(sel.metric, { ...SCENARIO_SAMPLES, ...sel.tags });
    found = { count: r.passes, total: r.total };
  } else if (sel.kind === 'probe') {
    if (!Object.hasOwn(PROBE_COUNTS, sel.probe) || !probe?.details) return null;
    found = PROBE_COUNTS[sel.probe]!(probe.details);
    if (found && (probe.value === null || Math.abs(found.count / found.total - probe.value) > 1e-9)) return null;
  }
  if (!found || !Number.isInteger(found.count) || !Number.isInteger(found.total)) return null;
  return found.total > 0 && found.count >= 0 && found.count <= found.total ? found : null;
}

/** The 95% Wilson score interval of count / total (stats/proportions.ts), as a criterion result carries it. */
export function rateInterval({ count, total }: RateCounts): RateInterval {
  const { lower, upper } = wilsonInterval(count, total, INTERVAL_CONFIDENCE);
  return { lower, upper, confidence: INTERVAL_CONFIDENCE, method: 'wilson', count, total };
}
