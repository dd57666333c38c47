import {
  DEFAULT_MAX_DEGRADATION,
  judgeDegradation,
  type ComparisonSample,
  type ComparisonSpec,
  type ProbeResult,
  subjectsOf,
} from '../verdict/index.js';

/**
 * The seed's MVP 2 NO-GO "Performance degradation >20%", measured within the run: the migrated phase against the
 * legacy-path phase (same payment load), judged with confidence (lib/verdict/compare.ts): the payment processing
 * times by a rank test with a Hodges-Lehmann shift and its interval, the error rates by a difference of proportions
 * with its interval; each comparison passes, fails or is inconclusive. Value: the degradation shown (null when
 * inconclusive: unmeasured, the note names the sample that would decide).
 *
 * `latencyFloorMs`: a legacy median below it counts as it when dividing the shift. A relative bound on a legacy path
 * that answers in a few milliseconds measures the machine, not the platform. The milestone picks it per kind of target
 * (MVP 2: its 300 ms budget on the embedded sandbox, whose legacy path is in process; 10 ms on a real one).
 */
export function phaseDegradation(
  legacy: ComparisonSample | null,
  migrated: ComparisonSample,
  opts: { latencyFloorMs: number; spec: ComparisonSpec; restoreError?: string },
): ProbeResult {
  if (!legacy) return { value: null, note: 'the legacy-path baseline phase did not run' };
  const j = judgeDegradation(legacy, migrated, subjectsOf(opts.spec), {
    margin: DEFAULT_MAX_DEGRADATION,
    latencyFloorMs: opts.latencyFloorMs,
  });
  return {
    value: j.value,
    note: j.note,
    ...(opts.restoreError ? { veto: `the migrated phase ran on flags that were not restored: ${opts.restoreError}` } : {}),
    comparisons: j.comparisons,
    details: { outcome: j.outcome, latencyFloorMs: opts.latencyFloorMs, maxDegradation: DEFAULT_MAX_DEGRADATION },
  };
}
