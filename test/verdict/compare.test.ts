import { describe, expect, it } from 'vitest';
import { compareErrorRates, compareLatency, judgeDegradation, MIN_COMPARISON_SAMPLE } from '../../lib/verdict/compare.js';
import type { ComparisonSample } from '../../lib/verdict/types.js';

const o = { margin: 0.2, latencyFloorMs: 10 };

/** n values spread evenly (deterministic quantiles of a skewed shape) around `median` ms, whole milliseconds. */
function latencies(n: number, median: number, spread = 0.3): Array<[number, number]> {
  const m = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const q = (i + 0.5) / n;
    const v = Math.round(median * Math.exp(spread * Math.log(q / (1 - q)) * 0.55));
    m.set(v, (m.get(v) ?? 0) + 1);
  }
  return [...m].sort((a, b) => a[0] - b[0]);
}

const side = (latency: Array<[number, number]>, requests: number, failed: number): ComparisonSample => ({ latency, requests, failed });

describe('error rates: a difference of proportions with a floor', () => {
  it('the issue’s noise: 3 of 199 against 4 of 200 (+32.7% by the old ratio) passes: not shown worse', () => {
    const c = compareErrorRates({ requests: 199, failed: 3 }, { requests: 200, failed: 4 }, 'http_req_failed', o);
    expect(c.outcome).toBe('pass');
    expect(c.p).toBeGreaterThan(0.3);
    expect(c.reason).toMatch(/migrated not shown to fail more at 99.5%/);
  });

  it('0 of 1,000 against 1 of 1,000 is +10% of the 1% floor, not +100%, and passes', () => {
    const c = compareErrorRates({ requests: 1000, failed: 0 }, { requests: 1000, failed: 1 }, 'x', o);
    expect(c.estimate).toBeCloseTo(0.1, 9);
    expect(c.denominator).toBe(0.01);
    expect(c.outcome).toBe('pass');
    expect(c.legacy.rateInterval![1]).toBeGreaterThan(0.003);
  });

  it('fails when migrated fails more with 99.5% confidence and by more than 20%', () => {
    const c = compareErrorRates({ requests: 1000, failed: 10 }, { requests: 1000, failed: 40 }, 'x', o);
    expect(c.p).toBeLessThan(0.005);
    expect(c.estimate).toBeCloseTo(3, 9);
    expect(c.outcome).toBe('fail');
  });

  it('fewer than the minimum requests on a side: inconclusive, nothing to test', () => {
    const c = compareErrorRates({ requests: MIN_COMPARISON_SAMPLE - 1, failed: 0 }, { requests: 500, failed: 0 }, 'x', o);
    expect(c.outcome).toBe('inconclusive');
    expect(c.reason).toMatch(/fewer than 20/);
  });
});

describe('latency: Mann-Whitney U and the Hodges-Lehmann shift against max(legacy median, floor)', () => {
  it('the same distribution passes', () => {
    const c = compareLatency(latencies(500, 20), latencies(500, 20), 'payment_processing_time', o);
    expect(c.outcome).toBe('pass');
    expect(c.estimate).toBe(0);
    expect(c.p95Change).toBe(0);
  });

  it('+30% on every payment fails, the p95 change shown beside it', () => {
    const legacy = latencies(500, 20);
    const migrated = latencies(500, 26);
    const c = compareLatency(legacy, migrated, 'payment_processing_time', o);
    expect(c.outcome).toBe('fail');
    expect(c.p).toBeLessThan(0.005);
    expect(c.estimate).toBeGreaterThan(0.2);
    expect(c.lower).toBeGreaterThan(0);
    expect(c.p95Change).toBeGreaterThan(0.2);
  });

  it('a small shift against a floor above the legacy median passes (the sandbox: its in-process legacy path)', () => {
    // Legacy median 12 ms, migrated 40 ms: worse with confidence, but +28 ms is +9% of the 300 ms floor.
    const c = compareLatency(latencies(100, 12), latencies(100, 40), 'payment_processing_time', { ...o, latencyFloorMs: 300 });
    expect(c.p).toBeLessThan(0.005);
    expect(c.denominator).toBe(300);
    expect(c.estimate).toBeCloseTo(28 / 300, 1);
    expect(c.outcome).toBe('pass');
    expect(c.reason).toMatch(/within the \+20% allowed/);
  });

  it('worse with confidence, within the margin, but the interval reaches past it: inconclusive, naming the sample', () => {
    // +15% on a wide distribution with 60 values a side: the bounds straddle +20%.
    const c = compareLatency(latencies(60, 100, 0.6), latencies(60, 118, 0.6), 'payment_processing_time', { ...o, confidence: 0.9 });
    expect(c.outcome).toBe('inconclusive');
    expect(c.estimate).toBeLessThan(0.2);
    expect(c.upper).toBeGreaterThan(0.2);
    expect(c.decidingSample).toBeGreaterThan(60);
    expect(c.reason).toMatch(/per side would decide/);
  });
});

describe('judgeDegradation: both comparisons', () => {
  const subjects = { latency: 'payment_processing_time (payment-flow)', requests: 'http_req_failed (payment-flow)' };
  it('pass: the value is the degradation shown (0 when neither test shows migrated worse)', () => {
    const j = judgeDegradation(side(latencies(100, 20), 199, 3), side(latencies(100, 20), 200, 4), subjects, o);
    expect(j.outcome).toBe('pass');
    expect(j.value).toBe(0);
    expect(j.comparisons.map((c) => c.measure)).toEqual(['latency', 'error-rate']);
    expect(j.note).toMatch(
      /^no degradation beyond \+20% shown\. latency payment_processing_time \(payment-flow\), 100 vs 100 values: PASS/,
    );
  });

  it('fail: any comparison failing fails, the value is its estimate', () => {
    const j = judgeDegradation(side(latencies(500, 20), 1000, 10), side(latencies(500, 30), 1000, 10), subjects, o);
    expect(j.outcome).toBe('fail');
    expect(j.value).toBeGreaterThan(0.2);
  });

  it('inconclusive: unmeasured (value null)', () => {
    const j = judgeDegradation(side(latencies(10, 20), 20, 0), side(latencies(10, 20), 20, 0), subjects, o);
    expect(j.outcome).toBe('inconclusive');
    expect(j.value).toBeNull();
    expect(j.note).toMatch(/^not measured: inconclusive/);
  });
});
