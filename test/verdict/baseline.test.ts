import { describe, expect, it } from 'vitest';
import { compareWithBaseline, notEvaluatedDegradation } from '../../lib/verdict/index.js';
import type { Summary } from '../../lib/verdict/types.js';
import { buildSummary } from '../report/fixtures/build-summary.js';

function withOverall(p95: number | null, errorRate: number | null): Summary {
  return { ...buildSummary(), overall: { requests: 1000, errorRate, p95, p99: null } };
}

describe('compareWithBaseline', () => {
  it('fails when p95 is 25% worse', () => {
    const { criterion } = compareWithBaseline(withOverall(250, 0.001), withOverall(200, 0.001));
    expect(criterion.id).toBe('performance-degradation');
    expect(criterion.measured).toBeCloseTo(0.25, 9);
    expect(criterion.pass).toBe(false);
    expect(criterion.skipped).toBeUndefined();
  });

  it('passes when p95 is 10% worse, and exactly 20% worse still passes', () => {
    expect(compareWithBaseline(withOverall(220, 0.001), withOverall(200, 0.001)).criterion.pass).toBe(true);
    expect(compareWithBaseline(withOverall(240, 0.001), withOverall(200, 0.001)).criterion.pass).toBe(true);
  });

  it('passes when the error rate stays 0, and 0 -> 0.0001 is not infinitely worse', () => {
    const same = compareWithBaseline(withOverall(200, 0), withOverall(200, 0)).criterion;
    expect(same.pass).toBe(true);
    expect(same.measured).toBe(0);
    const tiny = compareWithBaseline(withOverall(200, 0.0001), withOverall(200, 0)).criterion;
    expect(tiny.measured).toBeCloseTo(0.1, 9);
    expect(tiny.pass).toBe(true);
    expect(tiny.rule).toContain('0.1%');
  });

  it('fails on error rate degradation and reports the worst change', () => {
    const c = compareWithBaseline(withOverall(180, 0.015), withOverall(200, 0.01)).criterion;
    expect(c.measured).toBeCloseTo(0.5, 9);
    expect(c.pass).toBe(false);
  });

  it('honours maxDegradation and fills request deltas and the baseline block', () => {
    const base = withOverall(200, 0.01);
    const cur = { ...withOverall(250, 0.01), requests: base.requests.map((r) => ({ ...r, p95: r.p95! * 1.5 })) };
    const res = compareWithBaseline(cur, base, { maxDegradation: 0.3, file: 'b/summary.json' });
    expect(res.criterion.pass).toBe(true);
    expect(res.criterion.threshold).toBe(0.3);
    expect(res.requests[0]!.delta!.p95).toBeCloseTo(0.5, 9);
    expect(res.requests[0]!.delta!.errorRate).toBe(0);
    expect(res.baseline).toEqual({ file: 'b/summary.json', runId: base.runId, p95: 200, errorRate: 0.01 });
  });

  it('cannot measure without numbers: measured null, pass false', () => {
    const c = compareWithBaseline(withOverall(null, null), withOverall(200, 0.01)).criterion;
    expect(c.measured).toBeNull();
    expect(c.pass).toBe(false);
  });

  it('falls back to the series and latency distribution when `overall` is absent', () => {
    const a = buildSummary();
    delete a.overall;
    const c = compareWithBaseline(a, a).criterion;
    expect(c.measured).toBe(0);
    expect(c.note).toContain('estimated');
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
