import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { QSL_ENV } from '../contract/index.js';
import { createError } from '../errors/index.js';
import type { PhaseRequest, PhaseRun } from '../milestones/index.js';
import { ingestK6Ndjson } from '../results/index.js';
import type { ScenarioBundle } from './bundle.js';
import { runK6 } from './k6-process.js';
import type { ScenarioProgress } from './progress.js';
import type { RunDir } from './run-dir.js';

export interface PhaseRunnerOptions {
  k6Path: string;
  bundles: readonly ScenarioBundle[];
  /** Where the bundles come from, for the error naming a missing one (e.g. `scenarios/mvp1`). */
  scenariosDir: string;
  dir: RunDir;
  /** The run's k6 environment, read when the phase starts (the session's data files join it after open). */
  env: () => Record<string, string>;
  progress?: (phase: string, plannedMs: number) => ScenarioProgress;
}

/**
 * A milestone's phase (MVP 1's rollback-drill load, MVP 2's legacy-path baseline): one more local k6 process, its raw
 * results kept apart (raw/phases/) from the measured scenarios'. Shared by a local run and `collect --during`.
 */
export function phaseRunner(opts: PhaseRunnerOptions): (req: PhaseRequest) => Promise<PhaseRun> {
  return async (req) => {
    const bundle = opts.bundles.find((b) => b.scenario === req.scenario);
    if (!bundle) throw createError('QSL_BUILD_FAILED', `scenario ${opts.scenariosDir}/${req.scenario}.ts is missing (phase ${req.phase}).`);
    const outFile = opts.dir.phaseResults(req.phase);
    mkdirSync(dirname(outFile), { recursive: true });
    const outcome = await runK6({
      k6Path: opts.k6Path,
      bundle: bundle.bundle,
      scenario: req.phase,
      outFile,
      logFile: opts.dir.phaseK6Log(req.phase),
      // A phase is one process, whatever the scenarios were split over.
      env: { ...opts.env(), [QSL_ENV.segments]: '1', ...req.env },
      ...(opts.progress ? { progress: opts.progress(req.phase, req.plannedMs) } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
      ...(req.stop ? { stop: req.stop } : {}),
    });
    return { outcome, results: existsSync(outFile) ? await ingestK6Ndjson([outFile]) : null };
  };
}
