import { SQSClient } from '@aws-sdk/client-sqs';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { guardProduction, loadTargetFile, type Target } from '../config/index.js';
import { createError } from '../errors/index.js';
import { writeIdentities } from '../fixtures/index.js';
import { getMilestone } from '../milestones/index.js';
import { bundleScenarios, checkReachable, ensureK6, startSandboxTarget } from '../run/index.js';
import { parseFaults, type Sandbox } from '../sandbox/index.js';
import { describeTriggers, type WatchDisplay } from './display.js';
import { watchReport, writeWatchReports, type WatchReport } from './report.js';
import { LiveWatch, type WatchResult } from './watcher.js';

/** `2h`, `90m`, `45s`, `1h30m` -> seconds. */
export function parseDuration(v: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(v.trim());
  const s = m && v.trim() !== '' ? Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) : NaN;
  if (!Number.isFinite(s) || s <= 0)
    throw createError('QSL_CONFIG_INVALID', `--duration "${v}" is not a duration: write it like 2h, 90m, 45s or 1h30m.`);
  return s;
}

/** Checks the stage, window scale and rate; errors name the flag and the fix. */
export function checkWatchNumbers(o: { stage: string; windowScale: number; ratePerSecond: number }): void {
  if (!/^[1-9]$/.test(o.stage))
    throw createError(
      'QSL_CONFIG_INVALID',
      `--stage "${o.stage}" is not a stage: give the rollout stage as a number 1-9 (the seed's emergency-rollback.sh argument).`,
    );
  if (!(o.windowScale > 0 && o.windowScale <= 1)) {
    throw createError(
      'QSL_CONFIG_INVALID',
      `--window-scale ${o.windowScale} is out of range: give a factor above 0 and at most 1 (1 = the seed's windows; 0.02 turns 5 minutes into 6 s for tests).`,
    );
  }
  if (!(o.ratePerSecond > 0 && o.ratePerSecond <= 200))
    throw createError(
      'QSL_CONFIG_INVALID',
      `--rate ${o.ratePerSecond} is out of range: give requests per second above 0 and at most 200 (the watch load is meant to be light).`,
    );
}

export function sqsFor(target: Target): SQSClient {
  return new SQSClient({
    region: target.region,
    ...(target.sqsEndpoint ? { endpoint: target.sqsEndpoint } : {}),
    // The sandbox takes any credentials; a real target uses the standard AWS chain.
    ...(target.sandbox ? { credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' } } : {}),
  });
}

/** Everything a live watch needs besides its target: k6, the bundled watch scenario, a run directory. */
export async function prepareWatchRun(projectRoot: string, dir: string, seed: number, log: (l: string) => void) {
  const k6 = await ensureK6({ projectRoot, log });
  const bundle = (await bundleScenarios(projectRoot, 'watch')).find((b) => b.scenario === 'steady');
  if (!bundle) throw createError('QSL_BUILD_FAILED', 'scenario scenarios/watch/steady.ts is missing.');
  mkdirSync(join(dir, 'raw'), { recursive: true });
  mkdirSync(join(dir, 'data'), { recursive: true });
  const identitiesFile = join(dir, 'data', 'identities.json');
  writeIdentities(identitiesFile, 200, seed);
  return { k6Path: k6.path, bundle: bundle.bundle, identitiesFile };
}

export interface WatchOptions {
  projectRoot: string;
  targetFile?: string;
  stage: string;
  durationSeconds: number;
  out?: string;
  windowScale: number;
  ratePerSecond: number;
  faults: string[];
  portBase?: number;
  seed: number;
  alertWebhook?: string;
  pauseWebhook?: string;
  iKnowThisIsProduction: boolean;
  display: WatchDisplay;
  signal: AbortSignal;
}

function timestamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/**
 * `qsl watch`: watches a stage's rollout on the target (or the embedded sandbox) with the seed's
 * rollback triggers live, acts on them, and writes watch.json, report.html and timeline.ndjson.
 */
export async function runWatch(o: WatchOptions): Promise<{ result: WatchResult; report: WatchReport; dir: string }> {
  checkWatchNumbers(o);
  const faultSet = parseFaults(o.faults);
  const fileTarget = o.targetFile ? loadTargetFile(o.targetFile) : null;
  if (fileTarget && o.faults.length)
    throw createError(
      'QSL_CONFIG_INVALID',
      `--fault works only against the embedded sandbox; target "${fileTarget.name}" is a real environment. Drop --fault or drop --target.`,
    );
  if (fileTarget)
    guardProduction(fileTarget, { load: true, faults: [], forcedFailures: false, rollbackDrill: false }, o.iKnowThisIsProduction);
  // The sandbox runs the milestone that goes live with this stage (stage N: MVP N's services and flags).
  const def = fileTarget ? null : getMilestone(`mvp${o.stage}`);
  const started = new Date();
  const runId = `watch-s${o.stage}-${timestamp(started)}-${randomBytes(3).toString('hex')}`;
  const dir = resolve(o.out ?? join(o.projectRoot, 'reports', `watch-stage${o.stage}-${timestamp(started)}`));
  const prepared = await prepareWatchRun(o.projectRoot, dir, o.seed, (l) => o.display.event(l));

  let sandbox: Sandbox | null = null;
  let target: Target;
  if (fileTarget) target = fileTarget;
  else {
    o.display.event('  starting the embedded sandbox platform...');
    ({ sandbox, target } = await startSandboxTarget({
      projectRoot: o.projectRoot,
      flagsFile: def!.flagsFile,
      faults: faultSet,
      seed: o.seed,
      portBase: o.portBase,
      ...def!.sandbox,
      log: () => {},
    }));
  }
  const sqs = sqsFor(target);
  try {
    await checkReachable(target);
    const watch = new LiveWatch({
      target,
      stage: o.stage,
      runId,
      dir,
      windowScale: o.windowScale,
      ratePerSecond: o.ratePerSecond,
      durationSeconds: o.durationSeconds,
      ...prepared,
      sqs,
      runRollback: true,
      alertWebhook: o.alertWebhook,
      pauseWebhook: o.pauseWebhook,
      display: o.display,
      signal: o.signal,
    });
    o.display.event(`watching stage ${o.stage} on ${target.name} for up to ${o.durationSeconds} s (run ${runId}); output ${dir}`);
    for (const l of describeTriggers(watch.states())) o.display.event(l);
    const result = await watch.run();
    const report = watchReport(result, {
      runId,
      stage: o.stage,
      target: { name: target.name, environment: target.environment, sandbox: target.sandbox },
      windowScale: o.windowScale,
      ratePerSecond: o.ratePerSecond,
      faults: o.faults,
    });
    writeWatchReports(dir, report);
    return { result, report, dir };
  } finally {
    sqs.destroy();
    await sandbox?.stop().catch(() => {});
  }
}
