import { describe, expect, it } from 'vitest';
import { latencyCriteria, marginLine, worstRatio } from '../../bench/margin.js';
import { MILESTONES } from '../../lib/milestones/index.js';
import type { CriterionResult } from '../../lib/verdict/types.js';

function results(values: Record<string, number | null>): { criteria: CriterionResult[] } {
  return {
    criteria: Object.entries(values).map(([id, measured]) => ({ id, measured }) as CriterionResult),
  };
}

describe('margin bench', () => {
  it('takes the latency criteria from the thresholds data: metric criteria in ms with an upper bound', () => {
    expect(latencyCriteria(MILESTONES.mvp1!.criteria).map((c) => c.id)).toEqual(['p95-latency']);
    expect(latencyCriteria(MILESTONES.mvp2!.criteria).map((c) => c.id)).toEqual(['payment-latency']);
    expect(latencyCriteria(MILESTONES.mvp3!.criteria).map((c) => c.id)).toEqual(['pqc-latency']);
  });

  it("a run's ratio is the worst measured/threshold, and unmeasured is no margin", () => {
    const latency = [
      { ...MILESTONES.mvp1!.criteria.find((c) => c.id === 'p95-latency')!, id: 'a', threshold: 200 },
      { ...MILESTONES.mvp1!.criteria.find((c) => c.id === 'p95-latency')!, id: 'b', threshold: 5 },
    ];
    expect(worstRatio(latency, results({ a: 50, b: 2 }))).toEqual({ ratio: 0.4, worst: 'b' });
    expect(worstRatio(latency, results({ a: 150, b: 2 }))).toEqual({ ratio: 0.75, worst: 'a' });
    expect(worstRatio(latency, results({ a: 50, b: null }))).toEqual({ ratio: null, worst: 'b' });
    expect(worstRatio(latency, results({ a: 50 }))).toEqual({ ratio: null, worst: 'b' });
    // The threshold the summary was judged by wins over the criterion's default.
    const judged = results({ a: 50, b: 2 });
    judged.criteria[1]!.threshold = 10;
    expect(worstRatio(latency, judged)).toEqual({ ratio: 0.25, worst: 'a' });
  });

  it('prints the worst quiet and busy ratios over the milestones, then each milestone quiet/busy', () => {
    expect(
      marginLine([
        { milestone: 'mvp1', quiet: 0.123, busy: 0.2 },
        { milestone: 'mvp2', quiet: 0.3, busy: 0.456 },
        { milestone: 'mvp3', quiet: 0.25, busy: 0.5 },
      ]),
    ).toBe('margin worst=0.30 busy_worst=0.50 mvp1=0.12/0.20 mvp2=0.30/0.46 mvp3=0.25/0.50');
    expect(marginLine([{ milestone: 'mvp1', quiet: 0.1, busy: null }])).toBe('margin worst=0.10 busy_worst=n/a mvp1=0.10/n/a');
  });
});
