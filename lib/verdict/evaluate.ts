import { SCENARIO_SAMPLES, type RunResults } from '../results/index.js';
import { rateCounts, rateInterval } from './rate-evidence.js';
import type {
  ChecksSelector,
  Comparator,
  Criterion,
  CriterionResult,
  MetricSelector,
  ProbeResult,
  Profile,
  SampleNeed,
  Verdict,
} from './types.js';

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

/** The criterion's threshold for a profile (`thresholdByProfile` over `threshold`). */
export function thresholdFor(c: Criterion, profile: Profile): number {
  return c.thresholdByProfile?.[profile] ?? c.threshold;
}

const count = (n: number) => n.toLocaleString('en-US');

/** How many of a sample's things the run did: a counter's sum, or the number of samples of any other metric. */
function sampleCount(results: RunResults, need: SampleNeed): number {
  return results.counter(need.metric, need.tags ?? {});
}

/** The sample a criterion rests on against what it needs; null when it states none. */
export function checkSample(c: Criterion, results: RunResults | null, profile: Profile): { text: string; ok: boolean } | null {
  if (!c.sample?.length) return null;
  const parts: string[] = [];
  let ok = true;
  for (const need of c.sample) {
    const n = results ? sampleCount(results, need) : 0;
    if (need.atLeast) {
      const want = need.atLeast[profile];
      if (n < want) ok = false;
      parts.push(`${count(n)} of ${count(want)} ${need.what}`);
    }
    if (need.atMost !== undefined) {
      if (n > need.atMost) ok = false;
      parts.push(`${count(n)} ${need.what}${n > need.atMost ? ` (at most ${count(need.atMost)} allowed)` : ''}`);
    }
  }
  return { text: parts.join('; '), ok };
}

/** The k6 `checks` pass rate over the selector's filter, and the failing checks by name and scenario (worst first). */
export function readChecks(results: RunResults, sel: ChecksSelector): { rate: number | null; total: number; failing: string[] } {
  const tags = sel.tags ?? {};
  const all = results.rate('checks', tags);
  const seen = new Set<string>();
  const failing: Array<{ text: string; fails: number }> = [];
  for (const s of results.series()) {
    if (s.metric !== 'checks' || s.tags.check === undefined || !Object.entries(tags).every(([k, v]) => s.tags[k] === v)) continue;
    const f: Record<string, string> = {
      ...tags,
      check: s.tags.check,
      ...(s.tags.scenario !== undefined ? { scenario: s.tags.scenario } : {}),
    };
    const key = JSON.stringify(f);
    if (seen.has(key)) continue;
    seen.add(key);
    const r = results.rate('checks', f);
    const fails = r.total - r.passes;
    if (fails > 0)
      failing.push({ text: `"${f.check}"${f.scenario ? ` (${f.scenario})` : ''} failed ${count(fails)} of ${count(r.total)}`, fails });
  }
  failing.sort((a, b) => b.fails - a.fails || a.text.localeCompare(b.text));
  return { rate: all.rate, total: all.total, failing: failing.map((f) => f.text) };
}

/**
 * Evaluates each criterion on k6 results and probe results for a profile. A value that could not be measured is
 * `measured: null, pass: false`; so is a value whose sample falls short of what the criterion needs (the note names
 * the shortfall and the value it would have had); a probe's `veto` fails its criterion whatever the value. A rate
 * criterion carries its counts and their 95% Wilson interval whenever both counts are known (rate-evidence.ts).
 */
export function evaluateCriteria(
  criteria: readonly Criterion[],
  results: RunResults | null,
  probes: Record<string, ProbeResult>,
  profile: Profile,
): CriterionResult[] {
  return criteria.map((c) => {
    let measured: number | null = null;
    let note: string | undefined;
    let veto: string | undefined;
    let comparisons: CriterionResult['comparisons'];
    const threshold = thresholdFor(c, profile);
    if (c.selector.kind === 'metric') {
      measured = results ? readMetric(results, c.selector) : null;
      if (measured === null) note = results ? `no samples of ${c.selector.metric}` : 'no k6 results';
    } else if (c.selector.kind === 'checks') {
      if (!results) note = 'no k6 results';
      else {
        const k = readChecks(results, c.selector);
        measured = k.rate;
        if (measured === null) note = 'no k6 checks recorded';
        else
          note = k.failing.length
            ? `failing checks: ${k.failing.slice(0, 8).join('; ')}${k.failing.length > 8 ? `; and ${k.failing.length - 8} more` : ''}`
            : `${count(k.total)} checks, all passed`;
      }
    } else {
      const p = probes[c.selector.probe];
      if (!p) note = `probe "${c.selector.probe}" did not run`;
      else {
        measured = p.value;
        note = p.note;
        veto = p.veto;
        comparisons = p.comparisons;
      }
    }
    const counts = rateCounts(c, results, c.selector.kind === 'probe' ? probes[c.selector.probe] : undefined);
    const sample = checkSample(c, results, profile);
    if (sample && !sample.ok) {
      // Too small a sample proves nothing either way: unmeasured, which never passes.
      note = `not measured: sample short: ${sample.text}${measured !== null ? ` (the value on that sample: ${Number(measured.toPrecision(4))})` : ''}${note ? `; ${note}` : ''}`;
      measured = null;
    }
    const pass = measured !== null && Number.isFinite(measured) && compare(measured, c.comparator, threshold) && !veto;
    return {
      id: c.id,
      description: c.description,
      rule: c.rule,
      comparator: c.comparator,
      threshold,
      unit: c.unit,
      measured,
      pass,
      ...(sample ? { sample } : {}),
      ...(veto ? { note: veto + (note ? `; ${note}` : '') } : note ? { note } : {}),
      hint: c.hint,
      ...(comparisons ? { comparisons } : {}),
      ...(counts ? { interval: rateInterval(counts) } : {}),
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
  return results.some((r) => !r.skipped)
    ? undefined
    : results.length
      ? 'every criterion was skipped: nothing was evaluated'
      : 'no criterion to evaluate';
}
