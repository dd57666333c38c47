import { DEFAULT_ERROR_RATE_FLOOR, DEFAULT_MAX_DEGRADATION, relativeChange, type PhaseStats, type ProbeResult } from '../verdict/index.js';

const pct = (x: number | null) => (x === null ? 'not comparable' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`);
const ms = (x: number | null) => (x === null ? '-' : `${x.toFixed(1)} ms`);
const rate = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(2)}%`);

/**
 * The seed's MVP 2 NO-GO "Performance degradation >20%", measured within the run: the migrated phase's p95 and
 * error rate against the legacy-path phase's (same payment load). Value: the worse of the two relative changes.
 *
 * `p95FloorMs`: a legacy p95 below it counts as it when dividing. A relative bound on a legacy path that answers in a
 * few milliseconds measures the machine, not the platform (20% of 5 ms is one scheduler hiccup). The milestone picks it
 * per kind of target (MVP 2: its 300 ms budget on the embedded sandbox, whose legacy path is in process; 10 ms on a
 * real one).
 */
export function phaseDegradation(
  legacy: PhaseStats | null,
  migrated: PhaseStats,
  opts: { p95FloorMs: number; restoreError?: string },
): ProbeResult {
  if (!legacy) return { value: null, note: 'the legacy-path baseline phase did not run' };
  const p95 = relativeChange(migrated.p95, legacy.p95, opts.p95FloorMs);
  const errorRate = relativeChange(migrated.errorRate, legacy.errorRate, DEFAULT_ERROR_RATE_FLOOR);
  const changes = [p95, errorRate].filter((c): c is number => c !== null);
  const details = { legacy, migrated, change: { p95, errorRate }, p95FloorMs: opts.p95FloorMs, maxDegradation: DEFAULT_MAX_DEGRADATION };
  if (legacy.requests === 0 || migrated.requests === 0 || changes.length === 0) {
    return { value: null, note: `not comparable: ${legacy.requests} requests on the legacy path, ${migrated.requests} migrated`, details };
  }
  return {
    value: Math.max(...changes),
    note:
      `p95 ${pct(p95)} (legacy ${ms(legacy.p95)}, migrated ${ms(migrated.p95)}, against max(legacy, ${opts.p95FloorMs} ms)); ` +
      `error rate ${pct(errorRate)} (legacy ${rate(legacy.errorRate)}, migrated ${rate(migrated.errorRate)})`,
    ...(opts.restoreError ? { veto: `the migrated phase ran on flags that were not restored: ${opts.restoreError}` } : {}),
    details,
  };
}
