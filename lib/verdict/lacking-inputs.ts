import type { Criterion, CriterionResult, ProbeResult } from './types.js';

/**
 * UNDECIDED for want of an input: the reason when criteria went unmeasured because the harness was not given what
 * it needs (a probe's `missing`: a target file without the `forcedFailure` hook, `journal.url` or `cost` section),
 * naming each. Undefined when nothing was lacking, or when a criterion the harness could measure failed: the
 * platform failed whatever the missing ones would say (NO-GO; their notes still name what is missing).
 */
export function lackingInputsReason(
  criteria: readonly Criterion[],
  results: readonly CriterionResult[],
  probes: Readonly<Record<string, ProbeResult>>,
): string | undefined {
  const lacking = new Map<string, string>();
  for (const c of criteria) {
    const missing = c.selector.kind === 'probe' ? probes[c.selector.probe]?.missing : undefined;
    if (missing) lacking.set(c.id, missing);
  }
  if (lacking.size === 0) return undefined;
  if (results.some((r) => !r.pass && !r.skipped && !lacking.has(r.id))) return undefined;
  return `the harness lacks what it needs to decide: ${[...lacking].map(([id, what]) => `${id} not measured: ${what}`).join('; ')}`;
}
