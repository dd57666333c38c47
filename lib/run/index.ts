/**
 * lib/run: orchestration only. The CLI, k6 (find or build the binary, bundle scenarios, run a process), the run
 * directory, and a milestone run in stages: check inputs, resolve the target, run the scenarios, probe, summarize.
 * The verdict itself is lib/verdict's; the reports are lib/report's. This file is the folder's public face.
 */
export { main, buildCli } from './cli.js';
export { runMilestone, type RunOptions, type RunOutcome } from './milestone-run.js';
export { bundleScenarios, listScenarioSources, type ScenarioBundle } from './bundle.js';
export { ensureK6, k6CacheDir, readK6Version, type K6Binary, type EnsureK6Options } from './k6-binary.js';
export { runK6, classifyK6Exit, RequestCounter, K6_EXIT, type K6RunSpec, type K6Outcome } from './k6-process.js';
export { RunDir, type RunMeta } from './run-dir.js';
export { readBaseline, summarizeRunDir } from './run-summary.js';
export { reconcileTarget, type ReconcileOutcome } from './reconcile.js';
export { startSandboxTarget } from './sandbox-target.js';
export { createProgress, type ProgressFactory, type ScenarioProgress } from './progress.js';
