import { describe, expect, it } from 'vitest';
import type { ComparisonSample, ComparisonSpec } from '../../lib/verdict/index.js';
import { phaseDegradation } from '../../lib/verify/index.js';

const spec: ComparisonSpec = {
  latency: { metric: 'payment_processing_time', scenario: 'payment-flow' },
  requests: { scenario: 'payment-flow' },
};

/** A phase of `n` payments around `median` ms (deterministic spread), two requests each, `failed` of them failed. */
function phase(n: number, median: number, failed = 0): ComparisonSample {
  const m = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const v = Math.round(median * (0.7 + (0.6 * i) / n));
    m.set(v, (m.get(v) ?? 0) + 1);
  }
  return { latency: [...m].sort((a, b) => a[0] - b[0]), requests: 2 * n, failed };
}

describe('phaseDegradation (MVP 2: migrated against the legacy path, same load, judged with confidence)', () => {
  it('on a real target, payments 100 ms on the legacy path and 130 ms migrated fail: +30% with confidence', () => {
    const r = phaseDegradation(phase(500, 100), phase(500, 130), { latencyFloorMs: 10, spec });
    expect(r.value).toBeCloseTo(0.3, 1);
    expect(r.details?.outcome).toBe('fail');
    expect(r.comparisons?.[0]).toMatchObject({ measure: 'latency', outcome: 'fail', subject: 'payment_processing_time (payment-flow)' });
  });

  it('the sandbox’s floor (300 ms): its in-process legacy path is no yardstick, 12 ms to 40 ms passes', () => {
    const r = phaseDegradation(phase(100, 12), phase(100, 40), { latencyFloorMs: 300, spec });
    expect(r.details?.outcome).toBe('pass');
    expect(r.value).toBeLessThan(0.2);
  });

  it('the same error rate on both paths (payment.error=0.02) passes; a failed restore vetoes; no legacy phase is unmeasured', () => {
    const r = phaseDegradation(phase(100, 30, 3), phase(100, 30, 5), { latencyFloorMs: 10, spec, restoreError: 'flags differ' });
    expect(r.comparisons?.[1]).toMatchObject({ measure: 'error-rate', outcome: 'pass' });
    expect(r.value).toBe(0);
    expect(r.veto).toMatch(/not restored: flags differ/);
    expect(phaseDegradation(null, phase(100, 30), { latencyFloorMs: 10, spec }).value).toBeNull();
  });
});
