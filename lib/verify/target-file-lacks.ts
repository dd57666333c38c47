import type { ProbeResult } from '../verdict/index.js';

/**
 * The probe result of a criterion the harness cannot measure because the target file lacks `field` (a hook or a
 * section): unmeasured for want of an input, never a platform failure. Its `missing` makes the run UNDECIDED (exit 2)
 * naming the field, unless a criterion the harness could measure failed (then NO-GO).
 */
export function targetFileLacks(field: string, fix: string): ProbeResult {
  return {
    value: null,
    note: `not measured: the target file has no \`${field}\``,
    missing: `the target file has no \`${field}\`: ${fix}`,
  };
}
