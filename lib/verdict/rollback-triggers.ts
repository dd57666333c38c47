import type { SecondBucket } from '../results/index.js';
import type { ProbeResult } from './types.js';

/** The seed's rollback triggers ("Safety Mechanisms"), as windows over the 1-second time series. */
export const ROLLBACK_TRIGGERS = [
  { id: 'error-rate', metric: 'Error Rate', threshold: 0.05, windowSeconds: 300, action: 'Auto-rollback', recovery: '5 minutes' },
  { id: 'p95-latency', metric: 'P95 Latency', threshold: 500, windowSeconds: 600, action: 'Alert + Manual', recovery: '15 minutes' },
  { id: 'dlq-depth', metric: 'DLQ Depth', threshold: 1000, windowSeconds: 0, action: 'Pause deployment', recovery: '30 minutes' },
] as const;

/** Largest failed/requests over any window of `w` seconds (or the whole series when shorter). */
function worstErrorRate(series: readonly SecondBucket[], w: number): number | null {
  let best: number | null = null;
  let req = 0;
  let fail = 0;
  for (let i = 0, j = 0; i < series.length; i++) {
    req += series[i].requests;
    fail += series[i].failed;
    while (series[i].t - series[j].t >= w * 1000) {
      req -= series[j].requests;
      fail -= series[j].failed;
      j++;
    }
    if (req > 0 && (i === series.length - 1 || series[i].t - series[0].t >= (w - 1) * 1000)) best = Math.max(best ?? 0, fail / req);
  }
  return best;
}

/** The longest run of consecutive seconds whose p95 was above the threshold, in seconds. */
function longestAbove(series: readonly SecondBucket[], threshold: number): number {
  let longest = 0;
  let run = 0;
  for (const b of series) {
    run = b.p95 !== null && b.p95 > threshold ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

/**
 * Would the seed's rollback triggers have fired during this run? Reported beside the verdict (they
 * guard production, not the Go/No-Go decision). Windows longer than the run are shortened to it and
 * the note says so.
 */
export function evaluateRollbackTriggers(series: readonly SecondBucket[], dlqMessages: number | null): ProbeResult {
  const span = series.length;
  const rows = ROLLBACK_TRIGGERS.map((t) => {
    const window = t.windowSeconds === 0 ? 0 : Math.min(t.windowSeconds, span);
    let measured: number | null;
    let fired: boolean;
    if (t.id === 'error-rate') {
      measured = span ? worstErrorRate(series, window) : null;
      fired = measured !== null && measured > t.threshold;
    } else if (t.id === 'p95-latency') {
      measured = longestAbove(series, t.threshold);
      fired = span > 0 && measured >= window;
    } else {
      measured = dlqMessages;
      fired = measured !== null && measured > t.threshold;
    }
    return {
      trigger: `${t.metric} > ${t.threshold}${t.id === 'error-rate' ? ' (ratio)' : t.id === 'p95-latency' ? ' ms' : ' messages'}${t.windowSeconds ? ` for ${t.windowSeconds / 60} min` : ''}`,
      window: t.windowSeconds === 0 ? 'at the end' : window < t.windowSeconds ? `${window} s (run shorter than ${t.windowSeconds} s)` : `${window} s`,
      measured: t.id === 'p95-latency' ? `${measured} s above` : measured,
      fired,
      action: t.action,
    };
  });
  const fired = rows.filter((r) => r.fired).length;
  return {
    value: fired,
    note: fired ? `${fired} rollback trigger(s) would have fired: ${rows.filter((r) => r.fired).map((r) => r.trigger).join('; ')}` : 'no rollback trigger would have fired',
    details: { triggers: rows },
  };
}
