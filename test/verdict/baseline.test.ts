import { describe, expect, it } from 'vitest';
import { isHarnessError } from '../../lib/errors/index.js';
import { encodeBuckets } from '../../lib/results/index.js';
import { checkBaselineComparable, compareWithBaseline, notEvaluatedDegradation } from '../../lib/verdict/index.js';
import type { Summary } from '../../lib/verdict/types.js';
import { buildSummary } from '../report/fixtures/build-summary.js';

/** `n` payment times spread evenly around `median` ms (whole ms, so ties), as a summary's comparisonSample carries them. */
function withSample(median: number, requests: number, failed: number, n = 500): Summary {
  const m = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const v = Math.round(median * (0.7 + (0.6 * i) / n));
    m.set(v, (m.get(v) ?? 0) + 1);
  }
  return {
    ...buildSummary(),
    overall: { requests, errorRate: failed / requests, p95: median * 1.27, p99: null },
    comparisonSample: {
      latency: { metric: 'payment_processing_time', scenario: 'payment-flow', count: n, hdr: encodeBuckets([...m]) },
      requests: { scenario: 'payment-flow', total: requests, failed },
    },
  };
}

describe('compareWithBaseline: the same statistical judge against an earlier summary', () => {
  it('fails when every payment takes 30% longer, with the test, its confidence and the interval', () => {
    const { criterion } = compareWithBaseline(withSample(130, 1000, 10), withSample(100, 1000, 10));
    expect(criterion.id).toBe('performance-degradation');
    expect(criterion.pass).toBe(false);
    expect(criterion.measured).toBeCloseTo(0.3, 1);
    expect(criterion.comparisons?.[0]).toMatchObject({ measure: 'latency', outcome: 'fail', confidence: 0.995 });
    expect(criterion.comparisons![0]!.p).toBeLessThan(0.005);
    expect(criterion.note).toMatch(/overall p95 \+30%/);
    expect(criterion.rule).toMatch(/against baseline run/);
  });

  it('passes on the same distribution and on error-rate noise (3 of 1,000 against 5 of 1,000)', () => {
    const c = compareWithBaseline(withSample(100, 1000, 5), withSample(100, 1000, 3)).criterion;
    expect(c.pass).toBe(true);
    expect(c.measured).toBe(0);
    expect(c.comparisons?.map((x) => x.outcome)).toEqual(['pass', 'pass']);
  });

  it('fails on an error rate shown higher with confidence and by more than 20%', () => {
    const c = compareWithBaseline(withSample(100, 1000, 40), withSample(100, 1000, 10)).criterion;
    expect(c.pass).toBe(false);
    expect(c.comparisons?.[1]).toMatchObject({ measure: 'error-rate', outcome: 'fail' });
    expect(c.measured).toBeCloseTo(3, 9);
  });

  it('honours maxDegradation and fills request deltas and the baseline block', () => {
    const base = withSample(100, 1000, 10);
    const cur = { ...withSample(100, 1000, 10), requests: base.requests.map((r) => ({ ...r, p95: r.p95! * 1.5 })) };
    const res = compareWithBaseline(cur, base, { maxDegradation: 0.3, file: 'b/summary.json' });
    expect(res.criterion.pass).toBe(true);
    expect(res.criterion.threshold).toBe(0.3);
    expect(res.requests[0]!.delta!.p95).toBeCloseTo(0.5, 9);
    expect(res.requests[0]!.delta!.errorRate).toBe(0);
    expect(res.baseline).toEqual({ file: 'b/summary.json', runId: base.runId, p95: 127, errorRate: 0.01 });
  });

  it('a baseline written without a comparisonSample cannot be judged: unmeasured, saying so, point changes shown', () => {
    const old = buildSummary();
    delete old.comparisonSample;
    const c = compareWithBaseline(withSample(100, 1000, 10), old).criterion;
    expect(c.measured).toBeNull();
    expect(c.pass).toBe(false);
    expect(c.note).toMatch(/carries no comparisonSample.*re-run the baseline/);
    expect(c.note).toMatch(/overall p95/);
  });

  it('summaries comparing different metrics are not compared', () => {
    const other = withSample(100, 1000, 10);
    other.comparisonSample!.latency.metric = 'http_req_duration';
    const c = compareWithBaseline(withSample(100, 1000, 10), other).criterion;
    expect(c.measured).toBeNull();
    expect(c.note).toMatch(/compared http_req_duration/);
  });
});

describe('checkBaselineComparable: --baseline must be the same milestone and profile, and decided', () => {
  const refuse = (s: Summary, want: RegExp) => {
    let err: unknown;
    try {
      checkBaselineComparable(s, { milestone: 'mvp2', profile: 'smoke' }, 'old/summary.json');
    } catch (e) {
      err = e;
    }
    expect(isHarnessError(err, 'QSL_CONFIG_INVALID')).toBe(true);
    expect((err as Error & { exitCode: number }).exitCode).toBe(2);
    expect((err as Error).message).toMatch(want);
    expect((err as Error).message).toMatch(/Pass the summary\.json of a finished GO or NO-GO mvp2 run with --profile smoke/);
  };

  it('accepts a GO or NO-GO run of the same milestone and profile', () => {
    expect(() => checkBaselineComparable(buildSummary(), { milestone: 'mvp2', profile: 'smoke' }, 'x')).not.toThrow();
  });

  it('refuses another milestone, another profile, an UNDECIDED run', () => {
    refuse({ ...buildSummary(), milestone: 'mvp1' }, /it is a mvp1 run, this is mvp2/);
    refuse({ ...buildSummary(), profile: 'full' }, /it ran --profile full, this runs --profile smoke/);
    refuse({ ...buildSummary(), verdict: 'UNDECIDED', undecided: 'interrupted' }, /its verdict is UNDECIDED \(interrupted\)/);
  });
});

describe('notEvaluatedDegradation', () => {
  it('is skipped and does not count against the verdict', () => {
    expect(notEvaluatedDegradation()).toMatchObject({
      id: 'performance-degradation',
      skipped: true,
      measured: null,
      pass: true,
      note: 'not evaluated: no --baseline given',
    });
  });
});
