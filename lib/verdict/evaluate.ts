import { SCENARIO_SAMPLES, type RunResults } from '../results/index.js';
import type { Comparator, Criterion, CriterionResult, MetricSelector, ProbeResult, Verdict } from './types.js';

export function compare(measured: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case '<':
      return measured < threshold;
    case '<=':
      return measured <= threshold;
    case '>':
      return measured > threshold;
    case '>=':
      return measured >= threshold;
    case '==':
      return measured === threshold;
  }
}

/**
 * Reads a metric selector's value from k6 results; null when nothing was measured. Only the scenarios' own samples
 * count: what setup() and teardown() do to prepare the run's data is never part of a criterion.
 */
export function readMetric(results: RunResults, sel: MetricSelector): number | null {
  const tags = { ...SCENARIO_SAMPLES, ...sel.tags };
  switch (sel.stat) {
    case 'rate':
      return results.rate(sel.metric, tags).rate;
    case 'count':
      return results.counter(sel.metric, tags);
    default: {
      const t = results.trend(sel.metric, tags);
      return t ? t[sel.stat] : null;
    }
  }
}

/**
 * Evaluates each criterion on k6 results and probe results. A value that could not be measured is
 * `measured: null, pass: false`; a probe's `veto` fails its criterion whatever the value.
 */
export function evaluateCriteria(criteria: readonly Criterion[], results: RunResults | null, probes: Record<string, ProbeResult>): CriterionResult[] {
  return criteria.map((c) => {
    let measured: number | null = null;
    let note: string | undefined;
    let veto: string | undefined;
    if (c.selector.kind === 'metric') {
      measured = results ? readMetric(results, c.selector) : null;
      if (measured === null) note = results ? `no samples of ${c.selector.metric}` : 'no k6 results';
    } else {
      const p = probes[c.selector.probe];
      if (!p) note = `probe "${c.selector.probe}" did not run`;
      else {
        measured = p.value;
        note = p.note;
        veto = p.veto;
      }
    }
    const pass = measured !== null && Number.isFinite(measured) && compare(measured, c.comparator, c.threshold) && !veto;
    return {
      id: c.id,
      description: c.description,
      rule: c.rule,
      comparator: c.comparator,
      threshold: c.threshold,
      unit: c.unit,
      measured,
      pass,
      ...(veto ? { note: veto + (note ? `; ${note}` : '') } : note ? { note } : {}),
      hint: c.hint,
    };
  });
}

/**
 * GO only when at least one criterion was evaluated and every evaluated one passed; skipped criteria do not count,
 * so an empty or all-skipped list is UNDECIDED (nothing was measured, nothing was earned). A run the harness could
 * not finish (`undecided` reason: interrupted, k6 script error, harness error) is UNDECIDED whatever was measured.
 */
export function decideVerdict(results: readonly CriterionResult[], undecided?: string): Verdict {
  if (undecided) return 'UNDECIDED';
  const evaluated = results.filter((r) => !r.skipped);
  if (evaluated.length === 0) return 'UNDECIDED';
  return evaluated.every((r) => r.pass) ? 'GO' : 'NO-GO';
}

/** Why a verdict is UNDECIDED when no run-level reason was given: no criterion was evaluated. */
export function undecidedReason(results: readonly CriterionResult[], undecided?: string): string | undefined {
  if (undecided) return undecided;
  return results.some((r) => !r.skipped) ? undefined : results.length ? 'every criterion was skipped: nothing was evaluated' : 'no criterion to evaluate';
}
