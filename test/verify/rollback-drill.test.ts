import { describe, expect, it } from 'vitest';
import {
  drillResult,
  restoreResult,
  runRollbackDrill,
  type DrillRecord,
  type RestoreOutcome,
  type TappedEvent,
} from '../../lib/verify/index.js';
import type { SecondBucket } from '../../lib/results/index.js';

const t0 = Date.parse('2026-11-26T12:00:00Z');
const rec = (over: Partial<DrillRecord>): DrillRecord => ({
  ebAfter: 0,
  legacyAfter: 40,
  timeline: [],
  actionAt: t0,
  action: 'POST /admin/rollback',
  ...over,
});
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

describe('drillResult: the cutover must hold', () => {
  it('vetoes an EventBridge event after the cutover, naming it', () => {
    const r = drillResult(
      rec({ cutoverAt: t0 + 500, observedUntil: t0 + 10_000, relapse: { at: t0 + 6500, type: 'UserSignedUp', eventId: 'e-9' } }),
      series(0),
    );
    expect(r.value).toBe(0.5);
    expect(r.veto).toMatch(/the cutover did not hold: UserSignedUp e-9 on EventBridge 6.0 s after it/);
  });
});

describe('restoreResult', () => {
  const restored = (over: Partial<RestoreOutcome>): RestoreOutcome => ({ action: 'POST /admin/restore', at: t0, ok: true, ...over });
  it('passes only when the flags are back and events flow on EventBridge again', () => {
    expect(restoreResult(rec({ restore: restored({}), resumedAt: t0 + 300 }))?.value).toBe(1);
    const quiet = restoreResult(rec({ restore: restored({}) }));
    expect(quiet?.value).toBe(0);
    expect(quiet?.veto).toMatch(/no event flowed on EventBridge afterwards/);
    const broken = restoreResult(rec({ restore: restored({ ok: false, error: 'flags differ: UserService: false, was true' }) }));
    expect(broken?.veto).toMatch(/the target was NOT restored: flags differ: UserService: false, was true/);
    expect(restoreResult(rec({}))).toBeNull();
  });
});

describe('runRollbackDrill', () => {
  const ev = (path: TappedEvent['path'], at: number, id: string): TappedEvent => ({
    path,
    occurredAt: at,
    receivedAt: at,
    event: { eventId: id, type: 'UserSignedUp' },
  });
  const opts = { steadyMs: 50, warmupTimeoutMs: 1000, observeMs: 1500, quietMs: 300, resumeTimeoutMs: 1000 };

  /** A fake platform: both buses until the rollback, legacy only after it (or EventBridge again at `relapseAfterMs`), EventBridge again after the restore. */
  function platform(o: { relapseAfterMs?: number; restoreOk?: boolean }) {
    const view = { eventbridge: [] as TappedEvent[], legacy: [] as TappedEvent[] };
    let mode: 'migrated' | 'rolled-back' = 'migrated';
    let rolledBackAt = 0;
    let n = 0;
    const timer = setInterval(() => {
      const now = Date.now();
      n += 1;
      view.legacy.push(ev('legacy', now, `l${n}`));
      const relapsed = o.relapseAfterMs !== undefined && mode === 'rolled-back' && now - rolledBackAt > o.relapseAfterMs;
      if (mode === 'migrated' || relapsed) view.eventbridge.push(ev('eventbridge', now, `e${n}`));
    }, 20);
    const calls: string[] = [];
    const actions = {
      rollback: async () => {
        calls.push('rollback');
        mode = 'rolled-back';
        rolledBackAt = Date.now();
        return 'POST /admin/rollback';
      },
      restore: async (): Promise<RestoreOutcome> => {
        calls.push('restore');
        if (o.restoreOk !== false) mode = 'migrated';
        return {
          action: 'POST /admin/restore',
          at: Date.now(),
          ok: o.restoreOk !== false,
          ...(o.restoreOk === false ? { error: 'flags differ' } : {}),
        };
      },
    };
    return { view, actions, calls, stop: () => clearInterval(timer) };
  }

  it('rolls back, sees the cutover hold to the end of the window, restores and sees EventBridge again', async () => {
    const p = platform({});
    try {
      const r = await runRollbackDrill(p.view, p.actions, opts);
      expect(p.calls).toEqual(['rollback', 'restore']);
      expect(r.cutoverAt).toBeDefined();
      expect(r.relapse).toBeUndefined();
      // Watched the whole window, not just until the cutover.
      expect(r.observedUntil! - r.actionAt!).toBeGreaterThanOrEqual(opts.observeMs);
      expect(r.resumedAt).toBeGreaterThan(r.observedUntil!);
      expect(restoreResult(r)?.value).toBe(1);
    } finally {
      p.stop();
    }
  });

  it('records a relapse to EventBridge after the cutover, and still restores', async () => {
    const p = platform({ relapseAfterMs: 800 });
    try {
      const r = await runRollbackDrill(p.view, p.actions, opts);
      expect(r.relapse).toBeDefined();
      expect(drillResult(r, []).veto).toMatch(/the cutover did not hold/);
      expect(p.calls).toEqual(['rollback', 'restore']);
    } finally {
      p.stop();
    }
  });

  it('restores even when the rollback action fails; reports a restore that did not take', async () => {
    const p = platform({ restoreOk: false });
    try {
      const r = await runRollbackDrill(p.view, { ...p.actions, rollback: () => Promise.reject(new Error('exit 1')) }, opts);
      expect(r.actionError).toBe('exit 1');
      expect(p.calls).toEqual(['restore']);
      expect(restoreResult(r)?.veto).toMatch(/NOT restored: flags differ/);
    } finally {
      p.stop();
    }
  });
});
