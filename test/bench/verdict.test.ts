import { describe, expect, it } from 'vitest';
import { paymentsPerPhase, simulatePhase, verdictLine } from '../../bench/verdict.js';
import { seededRandom } from '../../lib/fixtures/index.js';
import { judgeDegradation } from '../../lib/verdict/compare.js';

describe('verdict bench', () => {
  it("takes the sample sizes from the thresholds: payment-latency's payment-flow payments", () => {
    expect(paymentsPerPhase()).toEqual({ smoke: 100, full: 500 });
  });

  it('simulates a phase through an HDR histogram: whole-ms payment times with ties, two requests per payment', () => {
    const p = simulatePhase(seededRandom(1), 500, 1, 0.015);
    expect(p.latency.reduce((n, [, c]) => n + c, 0)).toBe(500);
    expect(p.latency.length).toBeLessThan(200);
    expect(p.requests).toBe(1000);
    expect(p.failed).toBeGreaterThan(3);
    expect(p.failed).toBeLessThan(35);
    expect(simulatePhase(seededRandom(1), 500, 1, 0.015)).toEqual(p);
  });

  it('runs the real judge: a +30% shift at the full size is NO-GO', () => {
    const random = seededRandom(5);
    const o = { margin: 0.2, latencyFloorMs: 10 };
    const s = { latency: 'a', requests: 'b' };
    const outcomes = Array.from(
      { length: 10 },
      () => judgeDegradation(simulatePhase(random, 500, 1, 0.015), simulatePhase(random, 500, 1.3, 0.0195), s, o).outcome,
    );
    expect(outcomes.filter((x) => x === 'fail').length).toBeGreaterThanOrEqual(9);
  });

  it('prints the worst false NO-GO share of the two sizes, the power at full size and the inconclusive share', () => {
    const t = (trials: number, nogo: number, inconclusive: number) => ({ trials, nogo, inconclusive });
    expect(
      verdictLine({
        equal: { smoke: t(100, 1, 2), full: t(100, 0, 0) },
        shiftedFull: t(100, 97, 1),
        all: [t(100, 1, 2), t(100, 0, 0), t(100, 90, 5), t(100, 97, 1)],
      }),
    ).toBe('verdict false_nogo=0.010 power=0.970 undecided=0.020');
  });
});
