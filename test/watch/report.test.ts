import { describe, expect, it } from 'vitest';
import { TriggerWindows } from '../../lib/verdict/rollback-triggers.js';
import { renderWatchHtml, triggerLine, watchReport, type WatchResult } from '../../lib/watch/index.js';

function result(): WatchResult {
  const w = new TriggerWindows({ scale: 0.02 });
  for (let i = 0; i < 8; i++)
    w.push({ t: 1_000_000 + i * 1000, requests: 20, failed: 2, p95: 12, dlqDepth: 3, deliveries: 4, deliveryFailures: 0 });
  return {
    outcome: 'fired',
    exitCode: 1,
    reason: 'error-rate (Auto-rollback) fired',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:10.000Z',
    states: [...w.current()],
    timeline: [{ at: '2026-01-01T00:00:06.000Z', event: 'fired', trigger: 'error-rate', detail: '<script>alert(1)</script>' }],
    requests: { total: 160, failed: 16 },
    deliveries: { deliveries: 32, failures: 0, undelivered: 0, dlqArrivals: 0 },
    rollback: { trigger: 'error-rate', action: 'POST http://x/admin/rollback', outcome: 'ok', stillOnEventBridge: [] },
    k6: null,
  };
}

describe('watch report', () => {
  it('carries every trigger with its window, value and action, and escapes what it shows', () => {
    const w = watchReport(result(), {
      runId: 'r',
      stage: '1',
      target: { name: '<b>evil</b>', environment: 'staging', sandbox: false },
      windowScale: 0.02,
      ratePerSecond: 20,
      faults: [],
    });
    expect(w.triggers.map((t) => [t.id, t.windowSeconds, t.fired, t.action])).toEqual([
      ['error-rate', 6, true, 'Auto-rollback'],
      ['p95-latency', 12, false, 'Alert + Manual'],
      ['dlq-depth', 0, false, 'Pause deployment'],
      ['delivery-failure', 6, false, 'Auto-rollback'],
    ]);
    const html = renderWatchHtml(w);
    expect(html).not.toMatch(/<script>|<b>evil/);
    expect(html).toMatch(/&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    expect(html).toMatch(/FIRED/);
  });

  it('shows value against threshold, the window and how long it has been over', () => {
    const s = result().states[0];
    expect(triggerLine(s)).toMatch(/error-rate\s+10\.00% \/ 5%\s+6s window\s+FIRED\s+-> Auto-rollback/);
  });
});
