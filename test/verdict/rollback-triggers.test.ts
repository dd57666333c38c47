import { describe, expect, it } from 'vitest';
import { evaluateRollbackTriggers, TriggerWindows } from '../../lib/verdict/rollback-triggers.js';
import { ROLLBACK_TRIGGERS } from '../../thresholds/rollback-triggers.js';
import type { SecondBucket } from '../../lib/results/index.js';

const seconds = (n: number, f: (i: number) => Partial<SecondBucket>): SecondBucket[] =>
  Array.from({ length: n }, (_, i) => ({ t: i * 1000, requests: 100, failed: 0, p95: 20, ...f(i) }));
const rows = (r: ReturnType<typeof evaluateRollbackTriggers>) =>
  r.details!.triggers as Array<{ trigger: string; fired: boolean; measured: unknown }>;

describe('rollback triggers', () => {
  it('fires nothing on a clean run', () => {
    const r = evaluateRollbackTriggers(
      seconds(600, () => ({})),
      0,
    );
    expect(r.value).toBe(0);
    expect(rows(r).every((t) => !t.fired)).toBe(true);
  });

  it('fires the error-rate trigger only when > 5% is sustained over 5 minutes', () => {
    const burst = evaluateRollbackTriggers(
      seconds(900, (i) => ({ failed: i < 60 ? 20 : 0 })),
      0,
    );
    expect(rows(burst)[0].fired).toBe(false);
    const sustained = evaluateRollbackTriggers(
      seconds(900, (i) => ({ failed: i >= 100 && i < 420 ? 6 : 0 })),
      0,
    );
    expect(rows(sustained)[0].fired).toBe(true);
    expect(sustained.value).toBe(1);
  });

  it('fires the latency trigger after 10 minutes above 500 ms, and the DLQ trigger above 1000 messages', () => {
    const r = evaluateRollbackTriggers(
      seconds(700, (i) => ({ p95: i >= 50 ? 800 : 20 })),
      1001,
    );
    expect(rows(r).map((t) => t.fired)).toEqual([false, true, true, false]);
    expect(rows(r)[1].measured).toBe('650 s above');
  });

  it('shortens windows to a short run and says so', () => {
    const r = evaluateRollbackTriggers(
      seconds(30, () => ({ failed: 10 })),
      0,
    );
    expect(rows(r)[0].fired).toBe(true);
    expect((r.details!.triggers as Array<{ window: string }>)[0].window).toMatch(/30 s \(run shorter than 300 s\)/);
  });

  it("evaluates the fourth trigger, delivery failure > 1%, from the run's deliveries and DLQ arrivals", () => {
    const clean = evaluateRollbackTriggers(
      seconds(60, () => ({})),
      0,
      { deliveries: 1000, failures: 10, source: 'test' },
    );
    expect(rows(clean)[3]).toMatchObject({ fired: false, measured: 0.01 });
    const lossy = evaluateRollbackTriggers(
      seconds(60, () => ({})),
      0,
      { deliveries: 1000, failures: 11, source: 'test' },
    );
    expect(rows(lossy)[3]).toMatchObject({ fired: true, measured: 0.011, action: 'Auto-rollback' });
    expect(lossy.value).toBe(1);
    const unknown = evaluateRollbackTriggers(
      seconds(60, () => ({})),
      0,
    );
    expect(rows(unknown)[3]).toMatchObject({ fired: false, measured: null });
    expect(unknown.note).toMatch(/not measured: delivery-failure/);
  });

  it('takes every window, threshold and action from the one table of the seed', () => {
    expect(ROLLBACK_TRIGGERS.map((t) => [t.id, t.threshold, t.window.kind === 'instant' ? 0 : t.window.seconds, t.action])).toEqual([
      ['error-rate', 0.05, 300, 'auto-rollback'],
      ['p95-latency', 500, 600, 'alert-manual'],
      ['dlq-depth', 1000, 0, 'pause-deployment'],
      ['delivery-failure', 0.01, 300, 'auto-rollback'],
    ]);
  });
});

describe('live trigger windows', () => {
  const sec = (i: number, over: Partial<Parameters<TriggerWindows['push']>[0]> = {}) => ({
    t: 1_000_000 + i * 1000,
    requests: 20,
    failed: 0,
    p95: 10,
    ...over,
  });
  const byId = (w: TriggerWindows, id: string) => w.current().find((s) => s.id === id)!;

  it('fires the error-rate trigger only once the scaled window is full and above 5%', () => {
    const w = new TriggerWindows({ scale: 0.02 });
    expect(byId(w, 'error-rate').windowSeconds).toBe(6);
    for (let i = 0; i < 5; i++) w.push(sec(i, { failed: 2 }));
    expect(byId(w, 'error-rate')).toMatchObject({ firing: false, full: false, value: 0.1, overForSeconds: 5 });
    w.push(sec(5, { failed: 2 }));
    expect(byId(w, 'error-rate')).toMatchObject({ firing: true, full: true, firedAt: 1_005_000 });
  });

  it('does not fire on exactly 5% nor on a burst that the window averages out', () => {
    const w = new TriggerWindows({ scale: 0.02 });
    for (let i = 0; i < 12; i++) w.push(sec(i, { failed: 1 }));
    expect(byId(w, 'error-rate').firing).toBe(false);
    const b = new TriggerWindows({ scale: 0.02 });
    for (let i = 0; i < 12; i++) b.push(sec(i, { failed: i === 8 ? 6 : 0 }));
    expect(b.current().find((s) => s.id === 'error-rate')!.firedAt).toBeNull();
  });

  it('needs the p95 above 500 ms for every second of its window; one second back below resets it', () => {
    const w = new TriggerWindows({ scale: 0.02 });
    for (let i = 0; i < 11; i++) w.push(sec(i, { p95: 700 }));
    w.push(sec(11, { p95: 100 }));
    expect(byId(w, 'p95-latency')).toMatchObject({ firing: false, overForSeconds: 0 });
    for (let i = 12; i < 24; i++) w.push(sec(i, { p95: i === 15 ? null : 700 }));
    expect(byId(w, 'p95-latency')).toMatchObject({ firing: true, overForSeconds: 12 });
  });

  it('pauses on a DLQ reading above 1000 and keeps the last reading between polls', () => {
    const w = new TriggerWindows({ scale: 0.02 });
    w.push(sec(0, { dlqDepth: 1000 }));
    expect(byId(w, 'dlq-depth').firing).toBe(false);
    w.push(sec(1, { dlqDepth: 1001 }));
    w.push(sec(2));
    expect(byId(w, 'dlq-depth')).toMatchObject({ firing: true, value: 1001, overForSeconds: 2 });
  });

  it('reads delivery failures over the deliveries that fell due in the window; gaps count as empty seconds', () => {
    const w = new TriggerWindows({ scale: 0.02 });
    w.push(sec(0, { deliveries: 50, deliveryFailures: 1 }));
    w.push(sec(5, { deliveries: 50, deliveryFailures: 0 }));
    expect(byId(w, 'delivery-failure')).toMatchObject({ value: 0.01, full: true, firing: false });
    w.push(sec(6, { deliveries: 10, deliveryFailures: 1 }));
    expect(byId(w, 'delivery-failure').firing).toBe(true);
  });
});
