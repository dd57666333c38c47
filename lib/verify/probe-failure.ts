import type { ProbeResult } from '../verdict/index.js';

/** A probe that throws is reported, not fatal: its criterion is then "not measured" with the reason. */
export function orProbeFailure(probe: Promise<ProbeResult>): Promise<ProbeResult> {
  return probe.catch((e: unknown) => ({ value: null, note: `probe failed: ${e instanceof Error ? e.message : String(e)}` }));
}
