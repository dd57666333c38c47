/**
 * lib/run: orchestration only. The CLI, k6 (find or build the binary, bundle scenarios, run a process), the run
 * directory, and a milestone run in stages: check inputs, resolve the target, run the scenarios, probe, summarize.
 * The verdict itself is lib/verdict's; the reports are lib/report's. This file is the folder's public face: the
 * entry points in scripts/ use it; tests reach the parts directly.
 */
export { main } from './cli.js';
export { bundleScenarios } from './bundle.js';
export { runK6, type K6Outcome } from './k6-process.js';
export { ensureK6 } from './k6-binary.js';
export { startSandboxTarget } from './sandbox-target.js';
export { runMilestone } from './milestone-run.js';
export { checkReachable } from './reachable.js';
export { createProgress } from './progress.js';
export { addFlags, sharedFlags, type FlagValues } from './flags.js';
export type { CommandRegistrar } from './cli.js';
