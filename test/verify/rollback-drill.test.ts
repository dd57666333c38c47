import { describe, expect, it } from 'vitest';
import { drillResult, type DrillRecord } from '../../lib/verify/index.js';
import type { SecondBucket } from '../../lib/results/index.js';

const t0 = Date.parse('2026-11-26T12:00:00Z');
const rec = (over: Partial<DrillRecord>): DrillRecord => ({ ebAfter: 0, legacyAfter: 40, timeline: [], actionAt: t0, action: 'POST /admin/rollback', ...over });
const series = (failedPerSecond: number): SecondBucket[] =>
  Array.from({ length: 30 }, (_, i) => ({ t: t0 - 10_000 + i * 1000, requests: 20, failed: failedPerSecond, p95: 10 }));

describe('drillResult', () => {
  it('measures seconds from the action to the cutover', () => {
    const r = drillResult(rec({ cutoverAt: t0 + 1500, observedUntil: t0 + 6000 }), series(0));
    expect(r.value).toBe(1.5);
    expect(r.veto).toBeUndefined();
    expect(r.details?.errorRateDuringDrill).toBe(0);
  });

  it('cannot measure a rollback that never cut over', () => {
    const r = drillResult(rec({ ebAfter: 120, observedUntil: t0 + 12_000 }), series(0));
    expect(r.value).toBeNull();
    expect(r.note).toMatch(/no cutover observed: EventBridge events kept flowing for 12 s/);
  });

  it('vetoes a drill whose error rate exceeded 1%, counting only the drill window', () => {
    // 1 failure in 20 requests a second = 5%.
    const r = drillResult(rec({ cutoverAt: t0 + 500, observedUntil: t0 + 5000 }), series(1));
    expect(r.value).toBe(0.5);
    expect(r.veto).toMatch(/error rate during the drill was 5.00%/);
    const before = series(0).map((b) => (b.t < t0 ? { ...b, failed: 20 } : b));
    expect(drillResult(rec({ cutoverAt: t0 + 500, observedUntil: t0 + 5000 }), before).veto).toBeUndefined();
  });

  it('vetoes a failed rollback action, and reports a drill that never ran', () => {
    expect(drillResult(rec({ actionError: 'exit 1: permission denied' }), []).veto).toMatch(/rollback action failed: exit 1/);
    expect(drillResult(null, []).value).toBeNull();
  });
});
