import { describe, expect, it } from 'vitest';
import { decideVerdict, evaluateCriteria, undecidedReason } from '../../lib/verdict/evaluate.js';
import { k6ThresholdsFor } from '../../lib/verdict/k6-thresholds.js';
import type { RunResults } from '../../lib/results/index.js';
import type { Criterion } from '../../lib/verdict/types.js';
import { mvp1Criteria } from '../../thresholds/mvp1.js';

// A results boundary faked for pure verdict logic; ingestion has its own tests on real NDJSON.
function fakeResults(values: { failedRate: number | null; p95: number | null }): RunResults {
  return {
    rate: () => ({ passes: 0, total: values.failedRate === null ? 0 : 100, rate: values.failedRate }),
    trend: () => (values.p95 === null ? null : { count: 10, min: 1, max: 900, mean: 50, p50: 40, p90: 90, p95: values.p95, p99: 300 }),
    counter: () => 0,
  } as unknown as RunResults;
}

const probesAllGood = {
  'notifications-delivered': { value: 1 },
  'services-healthy': { value: 1 },
  'shadow-divergence': { value: 0 },
  'rollback-drill': { value: 0.4 },
};

describe('evaluateCriteria', () => {
  it('passes every MVP 1 criterion on good values and says GO', () => {
    const r = evaluateCriteria(mvp1Criteria, fakeResults({ failedRate: 0, p95: 120 }), probesAllGood);
    expect(r.map((c) => [c.id, c.pass])).toEqual(mvp1Criteria.map((c) => [c.id, true]));
    expect(decideVerdict(r)).toBe('GO');
  });

  it('fails the criterion whose value crosses its threshold, keeps the others', () => {
    const r = evaluateCriteria(mvp1Criteria, fakeResults({ failedRate: 0, p95: 250 }), probesAllGood);
    const p95 = r.find((c) => c.id === 'p95-latency')!;
    expect(p95).toMatchObject({ measured: 250, pass: false });
    expect(r.filter((c) => !c.pass).map((c) => c.id)).toEqual(['p95-latency']);
    expect(decideVerdict(r)).toBe('NO-GO');
  });

  it('treats the boundary by the comparator: error rate < 0.1% fails at exactly 0.1%', () => {
    const r = evaluateCriteria(mvp1Criteria, fakeResults({ failedRate: 0.001, p95: 10 }), probesAllGood);
    expect(r.find((c) => c.id === 'error-rate')!.pass).toBe(false);
  });

  it('reports measured null and pass false when nothing was measured or a probe did not run', () => {
    const r = evaluateCriteria(mvp1Criteria, fakeResults({ failedRate: null, p95: null }), { 'services-healthy': { value: 1 } });
    const byId = Object.fromEntries(r.map((c) => [c.id, c]));
    expect(byId['error-rate']).toMatchObject({ measured: null, pass: false });
    expect(byId['shadow-divergence']).toMatchObject({ measured: null, pass: false });
    expect(byId['shadow-divergence'].note).toMatch(/did not run/);
    expect(byId['services-healthy'].pass).toBe(true);
  });

  it('lets a probe veto its criterion whatever the value', () => {
    const r = evaluateCriteria(mvp1Criteria, fakeResults({ failedRate: 0, p95: 10 }), {
      ...probesAllGood,
      'rollback-drill': { value: 1, veto: 'error rate during the drill was 3%' },
    });
    expect(r.find((c) => c.id === 'rollback-drill')).toMatchObject({ measured: 1, pass: false });
  });

  it('ignores skipped criteria in the verdict', () => {
    const r = evaluateCriteria(mvp1Criteria, fakeResults({ failedRate: 0, p95: 10 }), probesAllGood);
    expect(decideVerdict([...r, { ...r[0], id: 'performance-degradation', pass: true, skipped: true, measured: null }])).toBe('GO');
  });
});

describe('decideVerdict: an unmeasured criterion never passes', () => {
  const measured = evaluateCriteria(mvp1Criteria, fakeResults({ failedRate: 0, p95: 10 }), probesAllGood);

  it('is UNDECIDED, never GO, for an empty list', () => {
    expect(decideVerdict([])).toBe('UNDECIDED');
    expect(undecidedReason([])).toMatch(/no criterion/);
  });

  it('is UNDECIDED, never GO, when every criterion was skipped', () => {
    const allSkipped = measured.map((c) => ({ ...c, pass: true, skipped: true, measured: null }));
    expect(decideVerdict(allSkipped)).toBe('UNDECIDED');
    expect(undecidedReason(allSkipped)).toMatch(/every criterion was skipped/);
  });

  it('is NO-GO when a criterion could not be measured', () => {
    const r = evaluateCriteria(mvp1Criteria, fakeResults({ failedRate: 0, p95: null }), probesAllGood);
    expect(r.find((c) => c.id === 'p95-latency')).toMatchObject({ measured: null, pass: false });
    expect(decideVerdict(r)).toBe('NO-GO');
  });

  it('is UNDECIDED beside a run-level reason, even when every criterion passed', () => {
    expect(decideVerdict(measured)).toBe('GO');
    expect(decideVerdict(measured, 'the run was interrupted')).toBe('UNDECIDED');
    expect(undecidedReason(measured)).toBeUndefined();
  });
});

describe('k6ThresholdsFor', () => {
  it('derives k6 thresholds from the metric criteria only', () => {
    expect(k6ThresholdsFor(mvp1Criteria)).toEqual({ http_req_failed: ['rate<0.001'], http_req_duration: ['p(95)<200'] });
  });

  it('writes tag filters in k6 sub-metric syntax and honours k6Threshold: false', () => {
    const c: Criterion[] = [
      { id: 'a', description: '', rule: '', selector: { kind: 'metric', metric: 'payment_time', tags: { scenario: 'payment-flow' }, stat: 'p99' }, comparator: '<=', threshold: 300, unit: 'ms', hint: '' },
      { id: 'b', description: '', rule: '', selector: { kind: 'metric', metric: 'x', stat: 'count' }, comparator: '>', threshold: 0, unit: 'count', hint: '', k6Threshold: false },
    ];
    expect(k6ThresholdsFor(c)).toEqual({ 'payment_time{scenario:payment-flow}': ['p(99)<=300'] });
  });
});
