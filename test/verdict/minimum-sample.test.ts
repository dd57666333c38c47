import { describe, expect, it } from 'vitest';
import { cleanRunBound, criterionSample, minimumSample } from '../../lib/verdict/minimum-sample.js';
import type { Comparator, Criterion } from '../../lib/verdict/types.js';
import { mvp1Criteria } from '../../thresholds/mvp1.js';
import { mvp2Criteria } from '../../thresholds/mvp2.js';
import { mvp3Criteria } from '../../thresholds/mvp3.js';
import { mvp4Criteria } from '../../thresholds/mvp4.js';

/** Does a clean run of n support the threshold at 95% one-sided (the exact bound, straight from its definition)? */
function supports(comparator: Comparator, threshold: number, n: number): boolean {
  const bound = cleanRunBound(comparator, n);
  return comparator === '<'
    ? bound < threshold
    : comparator === '<='
      ? bound <= threshold
      : comparator === '>'
        ? bound > threshold
        : bound >= threshold;
}

describe('minimumSample: the least n at which a clean run supports a rate threshold at 95%', () => {
  it('gives the known values: about 3/p for zero failures', () => {
    expect(minimumSample('<', 0.001)).toBe(2995); // ln 0.05 / ln 0.999 = 2994.2
    expect(minimumSample('>=', 0.999)).toBe(2995);
    expect(minimumSample('<', 0.01)).toBe(299); // 298.1
    expect(minimumSample('<=', 0.05)).toBe(59); // 58.4
    expect(minimumSample('>', 0.8)).toBe(14); // 13.4
    expect(minimumSample('>=', 0.95)).toBe(59);
    expect(minimumSample('<', 0.001, 0.99)).toBe(4603); // ln 0.01 / ln 0.999
  });

  it('is the smallest such n: n supports the threshold, n - 1 does not', () => {
    const cases: Array<[Comparator, number]> = [
      ['<', 0.001],
      ['<=', 0.001],
      ['<', 0.01],
      ['>=', 0.999],
      ['>', 0.8],
      ['>=', 0.5],
      ['<', 0.3],
    ];
    for (const [comparator, threshold] of cases) {
      const n = minimumSample(comparator, threshold)!;
      expect(supports(comparator, threshold, n), `${comparator} ${threshold} at ${n}`).toBe(true);
      expect(supports(comparator, threshold, n - 1), `${comparator} ${threshold} at ${n - 1}`).toBe(false);
    }
  });

  it('is null where no sample can support the threshold: 100%, 0% and equality', () => {
    expect(minimumSample('>=', 1)).toBeNull();
    expect(minimumSample('>', 1)).toBeNull();
    expect(minimumSample('<=', 0)).toBeNull();
    expect(minimumSample('<', 0)).toBeNull();
    expect(minimumSample('==', 1)).toBeNull();
    expect(minimumSample('<', 1)).toBe(1);
  });

  it('a clean run of n bounds the rate at 1 − 0.05^(1/n): 0 of 3,000 below 0.1%, 300 of 300 at least 99%', () => {
    expect(cleanRunBound('<', 3000)).toBeCloseTo(0.000998, 6);
    expect(cleanRunBound('>=', 300)).toBeCloseTo(0.99006, 5);
  });
});

describe("the criteria's planned samples against their minimum", () => {
  const all: Array<[string, Criterion[]]> = [
    ['mvp1', mvp1Criteria],
    ['mvp2', mvp2Criteria],
    ['mvp3', mvp3Criteria],
    ['mvp4', mvp4Criteria],
  ];

  it('takes the threshold per profile and the planned sample summed over its parts', () => {
    const checks = criterionSample(mvp1Criteria.find((c) => c.id === 'functional-checks')!);
    expect(checks.profiles).toEqual({
      smoke: { threshold: 1, minimum: null, planned: null, short: false },
      full: { threshold: 0.999, minimum: 2995, planned: null, short: true },
    });
    const errors = criterionSample(mvp2Criteria.find((c) => c.id === 'error-rate')!);
    expect(errors.plannedWhat).toBe('payment-flow payments + ledger-validation transactions');
    expect(errors.profiles.full).toEqual({ threshold: 0.001, minimum: 2995, planned: 1500, short: true });
    const latency = criterionSample(mvp1Criteria.find((c) => c.id === 'p95-latency')!);
    expect(latency).toMatchObject({ rate: false, profiles: { full: { minimum: null, planned: 10_000, short: false } } });
  });

  // The shortfalls, listed so they stay visible: docs/milestones.md names the same. Growing a full-profile size to its
  // minimum (issue 20, item 2) removes its line here.
  it('lists the full-profile sizes that fall short of their minimum', () => {
    const short = all.flatMap(([m, cs]) =>
      cs
        .map(criterionSample)
        .filter((s) => s.profiles.full.short)
        .map((s) => `${m} ${s.id}: plans ${s.profiles.full.planned ?? 'nothing'}, needs ${s.profiles.full.minimum}`),
    );
    expect(short).toEqual([
      'mvp1 shadow-divergence: plans nothing, needs 2995',
      'mvp1 functional-checks: plans nothing, needs 2995',
      'mvp2 error-rate: plans 1500, needs 2995',
      'mvp2 functional-checks: plans nothing, needs 2995',
      'mvp3 functional-checks: plans nothing, needs 2995',
    ]);
  });

  it('and the rates that plan no sample at all though no minimum applies (100%)', () => {
    const unplanned = all.flatMap(([m, cs]) =>
      cs
        .map(criterionSample)
        .filter((s) => s.rate && !s.profiles.full.short && s.profiles.full.planned === null)
        .map((s) => `${m} ${s.id}`),
    );
    expect(unplanned).toEqual(['mvp3 journal-capture']);
  });
});
