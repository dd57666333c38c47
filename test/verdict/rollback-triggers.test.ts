import { describe, expect, it } from 'vitest';
import { evaluateRollbackTriggers } from '../../lib/verdict/rollback-triggers.js';
import type { SecondBucket } from '../../lib/results/index.js';

const seconds = (n: number, f: (i: number) => Partial<SecondBucket>): SecondBucket[] =>
  Array.from({ length: n }, (_, i) => ({ t: i * 1000, requests: 100, failed: 0, p95: 20, ...f(i) }));
const rows = (r: ReturnType<typeof evaluateRollbackTriggers>) => r.details!.triggers as Array<{ trigger: string; fired: boolean; measured: unknown }>;

describe('rollback triggers', () => {
  it('fires nothing on a clean run', () => {
    const r = evaluateRollbackTriggers(seconds(600, () => ({})), 0);
    expect(r.value).toBe(0);
    expect(rows(r).every((t) => !t.fired)).toBe(true);
  });

  it('fires the error-rate trigger only when > 5% is sustained over 5 minutes', () => {
    const burst = evaluateRollbackTriggers(seconds(900, (i) => ({ failed: i < 60 ? 20 : 0 })), 0);
    expect(rows(burst)[0].fired).toBe(false);
    const sustained = evaluateRollbackTriggers(seconds(900, (i) => ({ failed: i >= 100 && i < 420 ? 6 : 0 })), 0);
    expect(rows(sustained)[0].fired).toBe(true);
    expect(sustained.value).toBe(1);
  });

  it('fires the latency trigger after 10 minutes above 500 ms, and the DLQ trigger above 1000 messages', () => {
    const r = evaluateRollbackTriggers(seconds(700, (i) => ({ p95: i >= 50 ? 800 : 20 })), 1001);
    expect(rows(r).map((t) => t.fired)).toEqual([false, true, true]);
  });

  it('shortens windows to a short run and says so', () => {
    const r = evaluateRollbackTriggers(seconds(30, () => ({ failed: 10 })), 0);
    expect(rows(r)[0].fired).toBe(true);
    expect((r.details!.triggers as Array<{ window: string }>)[0].window).toMatch(/30 s \(run shorter than 300 s\)/);
  });
});
