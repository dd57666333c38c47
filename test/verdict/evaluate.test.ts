import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestK6Ndjson } from '../../lib/results/index.js';
import { decideVerdict, evaluateCriteria, undecidedReason } from '../../lib/verdict/evaluate.js';
import { k6ThresholdsFor } from '../../lib/verdict/k6-thresholds.js';
import type { RunResults } from '../../lib/results/index.js';
import type { Criterion } from '../../lib/verdict/types.js';
import { mvp1Criteria } from '../../thresholds/mvp1.js';

// A results boundary faked for pure verdict logic; ingestion has its own tests on real NDJSON. Rates other than
// http_req_failed pass (workflows completed, checks passed); every sample is full-size unless `counts` says otherwise.
function fakeResults(values: {
  failedRate: number | null;
  p95: number | null;
  checks?: number;
  counts?: Record<string, number>;
}): RunResults {
  const rates: Record<string, number | null> = { http_req_failed: values.failedRate, workflow_completed: 1, checks: values.checks ?? 1 };
  return {
    rate: (metric: string) => {
      const r = rates[metric] ?? null;
      return { passes: r === null ? 0 : r * 100_000, total: r === null ? 0 : 100_000, rate: r };
    },
    trend: () => (values.p95 === null ? null : { count: 10, min: 1, max: 900, mean: 50, p50: 40, p90: 90, p95: values.p95, p99: 300 }),
    counter: (metric: string, tags: Record<string, string> = {}) =>
      values.counts?.[`${metric}{${tags.scenario ?? ''}}`] ?? (metric === 'dropped_iterations' ? 0 : 1_000_000),
    series: () => [],
  } as unknown as RunResults;
}

const probesAllGood = {
  'notifications-delivered': { value: 1 },
  'services-healthy': { value: 1 },
  'shadow-divergence': { value: 0 },
  'rollback-drill': { value: 0.4 },
  'target-restored': { value: 1 },
};

describe('evaluateCriteria', () => {
  it('passes every MVP 1 criterion on good values and says GO', () => {
    const r = evaluateCriteria(mvp1Criteria, fakeResults({ failedRate: 0, p95: 120 }), probesAllGood, 'smoke');
    expect(r.map((c) => [c.id, c.pass])).toEqual(mvp1Criteria.map((c) => [c.id, true]));
    expect(decideVerdict(r)).toBe('GO');
  });

  it('fails the criterion whose value crosses its threshold, keeps the others', () => {
    const r = evaluateCriteria(mvp1Criteria, fakeResults({ failedRate: 0, p95: 250 }), probesAllGood, 'smoke');
    const p95 = r.find((c) => c.id === 'p95-latency')!;
    expect(p95).toMatchObject({ measured: 250, pass: false });
    expect(r.filter((c) => !c.pass).map((c) => c.id)).toEqual(['p95-latency']);
    expect(decideVerdict(r)).toBe('NO-GO');
  });

  it('treats the boundary by the comparator: error rate < 0.1% fails at exactly 0.1%', () => {
    const r = evaluateCriteria(mvp1Criteria, fakeResults({ failedRate: 0.001, p95: 10 }), probesAllGood, 'smoke');
    expect(r.find((c) => c.id === 'error-rate')!.pass).toBe(false);
  });

  it('reports measured null and pass false when nothing was measured or a probe did not run', () => {
    const r = evaluateCriteria(mvp1Criteria, fakeResults({ failedRate: null, p95: null }), { 'services-healthy': { value: 1 } }, 'smoke');
    const byId = Object.fromEntries(r.map((c) => [c.id, c]));
    expect(byId['error-rate']).toMatchObject({ measured: null, pass: false });
    expect(byId['shadow-divergence']).toMatchObject({ measured: null, pass: false });
    expect(byId['shadow-divergence'].note).toMatch(/did not run/);
    expect(byId['services-healthy'].pass).toBe(true);
  });

  it('lets a probe veto its criterion whatever the value', () => {
    const r = evaluateCriteria(
      mvp1Criteria,
      fakeResults({ failedRate: 0, p95: 10 }),
      { ...probesAllGood, 'rollback-drill': { value: 1, veto: 'error rate during the drill was 3%' } },
      'smoke',
    );
    expect(r.find((c) => c.id === 'rollback-drill')).toMatchObject({ measured: 1, pass: false });
  });

  it('ignores skipped criteria in the verdict', () => {
    const r = evaluateCriteria(mvp1Criteria, fakeResults({ failedRate: 0, p95: 10 }), probesAllGood, 'smoke');
    expect(decideVerdict([...r, { ...r[0], id: 'performance-degradation', pass: true, skipped: true, measured: null }])).toBe('GO');
  });
});

describe('decideVerdict: an unmeasured criterion never passes', () => {
  const measured = evaluateCriteria(mvp1Criteria, fakeResults({ failedRate: 0, p95: 10 }), probesAllGood, 'smoke');

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
    const r = evaluateCriteria(mvp1Criteria, fakeResults({ failedRate: 0, p95: null }), probesAllGood, 'smoke');
    expect(r.find((c) => c.id === 'p95-latency')).toMatchObject({ measured: null, pass: false });
    expect(decideVerdict(r)).toBe('NO-GO');
  });

  it('is UNDECIDED beside a run-level reason, even when every criterion passed', () => {
    expect(decideVerdict(measured)).toBe('GO');
    expect(decideVerdict(measured, 'the run was interrupted')).toBe('UNDECIDED');
    expect(undecidedReason(measured)).toBeUndefined();
  });
});

describe('sample sizes: a criterion needs its sample', () => {
  it('marks a criterion unmeasured (NO-GO) and names the shortfall when its sample falls short', () => {
    const r = evaluateCriteria(
      mvp1Criteria,
      fakeResults({ failedRate: 0, p95: 10, counts: { 'iterations{load}': 9212 } }),
      probesAllGood,
      'full',
    );
    for (const id of ['error-rate', 'p95-latency']) {
      const c = r.find((x) => x.id === id)!;
      expect(c).toMatchObject({ measured: null, pass: false, sample: { ok: false } });
      expect(c.note).toMatch(/sample short: 9,212 of 10,000 load-test iterations/);
    }
    expect(r.filter((c) => !c.pass).map((c) => c.id)).toEqual(['error-rate', 'p95-latency']);
    expect(decideVerdict(r)).toBe('NO-GO');
  });

  it('scales the sample in smoke and counts dropped iterations against it', () => {
    const smoke = evaluateCriteria(
      mvp1Criteria,
      fakeResults({ failedRate: 0, p95: 10, counts: { 'iterations{load}': 500 } }),
      probesAllGood,
      'smoke',
    );
    expect(smoke.find((c) => c.id === 'error-rate')).toMatchObject({
      pass: true,
      sample: { text: '500 of 500 load-test iterations at 1,000/min; 0 dropped load-test iterations', ok: true },
    });
    const dropped = evaluateCriteria(
      mvp1Criteria,
      fakeResults({ failedRate: 0, p95: 10, counts: { 'dropped_iterations{load}': 3 } }),
      probesAllGood,
      'smoke',
    );
    expect(dropped.find((c) => c.id === 'p95-latency')).toMatchObject({ measured: null, pass: false });
    expect(dropped.find((c) => c.id === 'p95-latency')!.note).toMatch(/3 dropped load-test iterations \(at most 0 allowed\)/);
  });
});

describe('functional-checks', () => {
  it('needs 100% in smoke and >= 99.9% in full', () => {
    const at = (checks: number, profile: 'smoke' | 'full') =>
      evaluateCriteria(mvp1Criteria, fakeResults({ failedRate: 0, p95: 10, checks }), probesAllGood, profile).find(
        (c) => c.id === 'functional-checks',
      )!;
    expect(at(0.9995, 'full')).toMatchObject({ pass: true, threshold: 0.999 });
    expect(at(0.9995, 'smoke')).toMatchObject({ pass: false, threshold: 1 });
    expect(at(0.998, 'full').pass).toBe(false);
    expect(at(1, 'smoke').pass).toBe(true);
  });

  it('names the failing checks with their scenario, from real k6 output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qsl-checks-'));
    const point = (value: number, check: string, scenario: string) =>
      JSON.stringify({
        metric: 'checks',
        type: 'Point',
        data: { time: '2026-11-26T12:00:00.000Z', value, tags: { check, scenario, group: '' } },
      });
    const lines = [
      JSON.stringify({ type: 'Metric', metric: 'checks', data: { type: 'rate', contains: 'default' } }),
      ...Array.from({ length: 4 }, () => point(1, 'workflow created 201 with workflowId', 'workflow')),
      ...Array.from({ length: 4 }, (_, i) => point(i < 1 ? 1 : 0, 'workflow completed', 'workflow')),
      point(0, 'login 200 with token', 'load'),
      point(1, 'login 200 with token', 'load'),
    ];
    writeFileSync(join(dir, 'run.ndjson'), `${lines.join('\n')}\n`);
    const c = evaluateCriteria(mvp1Criteria, await ingestK6Ndjson(join(dir, 'run.ndjson')), probesAllGood, 'smoke').find(
      (x) => x.id === 'functional-checks',
    )!;
    expect(c.measured).toBeCloseTo(6 / 10, 10);
    expect(c.pass).toBe(false);
    expect(c.note).toBe('failing checks: "workflow completed" (workflow) failed 3 of 4; "login 200 with token" (load) failed 1 of 2');
  });
});

describe('k6ThresholdsFor', () => {
  it('derives k6 thresholds from the metric criteria only', () => {
    expect(k6ThresholdsFor(mvp1Criteria, 'smoke')).toEqual({ http_req_failed: ['rate<0.001'], http_req_duration: ['p(95)<200'] });
  });

  it('writes tag filters in k6 sub-metric syntax and honours k6Threshold: false', () => {
    const c: Criterion[] = [
      {
        id: 'a',
        description: '',
        rule: '',
        selector: { kind: 'metric', metric: 'payment_time', tags: { scenario: 'payment-flow' }, stat: 'p99' },
        comparator: '<=',
        threshold: 300,
        unit: 'ms',
        hint: '',
      },
      {
        id: 'b',
        description: '',
        rule: '',
        selector: { kind: 'metric', metric: 'x', stat: 'count' },
        comparator: '>',
        threshold: 0,
        unit: 'count',
        hint: '',
        k6Threshold: false,
      },
    ];
    expect(k6ThresholdsFor(c, 'full')).toEqual({ 'payment_time{scenario:payment-flow}': ['p(99)<=300'] });
  });
});
