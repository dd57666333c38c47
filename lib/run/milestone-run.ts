import { SQSClient } from '@aws-sdk/client-sqs';
import { join, relative, resolve } from 'node:path';
import { QSL_ENV } from '../contract/index.js';
import { guardProduction, loadTargetFile, type Target } from '../config/index.js';
import { createError, formatError, isHarnessError } from '../errors/index.js';
import { getMilestone, type MilestoneDefinition, type MilestoneSession, type Profile } from '../milestones/index.js';
import { ingestK6Ndjson, SCENARIO_SAMPLES, type RunResults } from '../results/index.js';
import { writeReports } from '../report/index.js';
import { assertPortsFree, parseFaults, type FaultSet, type Sandbox } from '../sandbox/index.js';
import {
  deliveryTotals,
  evaluateRollbackTriggers,
  exitCodeOf,
  k6ThresholdsFor,
  summarize,
  type ProbeResult,
  type Summary,
} from '../verdict/index.js';
import {
  fetchJson,
  queueDepths,
  readHealth,
  servicesHealthy,
  targetRestored,
  withFlagLease,
  type HealthSnapshot,
} from '../verify/index.js';
import { bundleScenarios, type ScenarioBundle } from './bundle.js';
import { ensureK6, type K6Binary } from './k6-binary.js';
import { runK6Segments } from './k6-process.js';
import { phaseRunner } from './phase-run.js';
import { checkReachable } from './reachable.js';
import { checkSegmentCount } from './segments.js';
import type { ProgressFactory } from './progress.js';
import { newRunId, newRunMeta, RunDir, runTimestamp, type RunMeta } from './run-dir.js';
import { readBaseline } from './run-summary.js';
import { startSandboxTarget } from './sandbox-target.js';
import { unreachableError } from './unreachable.js';

export interface RunOptions {
  milestone: string;
  profile: Profile;
  projectRoot: string;
  targetFile?: string;
  faults: string[];
  out?: string;
  baseline?: string;
  iKnowThisIsProduction: boolean;
  portBase?: number;
  /** The sandbox's legacy bus (default in process). */
  legacy?: { kind: 'rabbitmq'; url: string };
  seed?: number;
  /** k6 processes per scenario (execution segments), merged through HDR histograms; default 1. */
  segments?: number;
  progress: ProgressFactory;
  /** Ctrl-C: stop k6 gracefully, skip what is left, still write everything. */
  signal: AbortSignal;
  /** MVP 4: the soak's duration and clients instead of the profile's. */
  soak?: { durationMs?: number; clients?: number };
}

export interface RunOutcome {
  summary: Summary;
  dir: string;
  exitCode: 0 | 1 | 2;
}

/** Everything a run needs that can be checked before anything is started or written. */
interface CheckedInputs {
  def: MilestoneDefinition;
  faultSet: FaultSet;
  fileTarget: Target | null;
  baseline: ReturnType<typeof readBaseline> | null;
  seed: number;
  segments: number;
}

/** Stage 0: bad input fails here, before a directory is created or a process started. */
async function checkInputs(opts: RunOptions): Promise<CheckedInputs> {
  const def = getMilestone(opts.milestone);
  const faultSet = parseFaults(opts.faults);
  const fileTarget = opts.targetFile ? loadTargetFile(opts.targetFile) : null;
  if (fileTarget && opts.faults.length) {
    throw createError(
      'QSL_CONFIG_INVALID',
      `--fault works only against the embedded sandbox; target "${fileTarget.name}" is a real environment. Drop --fault or drop --target.`,
    );
  }
  if (fileTarget && opts.legacy) {
    throw createError(
      'QSL_CONFIG_INVALID',
      `--legacy chooses the embedded sandbox's legacy bus; target "${fileTarget.name}" is a real environment (its broker goes in the target file as legacy.amqpUrl). Drop --legacy or drop --target.`,
    );
  }
  // With --baseline there is no legacy-path baseline phase: no flag is switched for it.
  if (fileTarget)
    guardProduction(
      fileTarget,
      { ...def.intent, ...(opts.baseline ? { legacyBaseline: false } : {}), faults: opts.faults },
      opts.iKnowThisIsProduction,
    );
  const baseline = opts.baseline ? readBaseline(opts.baseline, def.id) : null;
  const segments = checkSegmentCount(opts.segments ?? 1, '--segments');
  if (!fileTarget) await assertPortsFree(opts.portBase);
  return { def, faultSet, fileTarget, baseline, seed: opts.seed ?? 1, segments };
}

/** The pinned k6 and this milestone's scenario bundles. */
async function prepareK6(opts: RunOptions, def: MilestoneDefinition): Promise<{ k6: K6Binary; bundles: ScenarioBundle[] }> {
  const k6 = await ensureK6({ projectRoot: opts.projectRoot, log: (l) => opts.progress.line(l) });
  const bundles = await bundleScenarios(opts.projectRoot, def.bundleOf ?? def.id);
  for (const s of def.scenarios) {
    if (!bundles.some((b) => b.scenario === s.name))
      throw createError('QSL_BUILD_FAILED', `scenario scenarios/${def.bundleOf ?? def.id}/${s.name}.ts is missing.`);
  }
  return { k6, bundles };
}

/** Stage 1: the target file's environment, or the embedded sandbox started for this milestone. */
async function resolveTarget(opts: RunOptions, inputs: CheckedInputs): Promise<{ sandbox: Sandbox | null; target: Target }> {
  if (inputs.fileTarget) return { sandbox: null, target: inputs.fileTarget };
  opts.progress.line('  starting the embedded sandbox platform...');
  return startSandboxTarget({
    projectRoot: opts.projectRoot,
    flagsFile: inputs.def.flagsFile,
    faults: inputs.faultSet,
    seed: inputs.seed,
    portBase: opts.portBase,
    ...inputs.def.sandbox,
    ...(opts.legacy ? { legacy: opts.legacy } : {}),
    log: () => {},
  });
}

interface ScenarioStage {
  def: MilestoneDefinition;
  opts: RunOptions;
  k6: K6Binary;
  bundles: ScenarioBundle[];
  dir: RunDir;
  meta: RunMeta;
  session: MilestoneSession;
  k6Env: Record<string, string>;
  segments: number;
}

/**
 * Stage 2: the milestone's phase before the scenarios (MVP 2's legacy-path baseline), each scenario on real k6 in
 * order (with the milestone's work beside it), the phase after them (MVP 1's rollback drill), then the raw results read.
 */
async function runScenarios({ def, opts, k6, bundles, dir, meta, session, k6Env, segments }: ScenarioStage): Promise<RunResults | null> {
  const log = (l: string) => opts.progress.line(l);
  if (!opts.signal.aborted) await session.before?.();
  for (const [i, s] of def.scenarios.entries()) {
    if (opts.signal.aborted) break;
    const bundle = bundles.find((b) => b.scenario === s.name)!;
    const scenarioAbort = new AbortController();
    const forward = () => scenarioAbort.abort();
    opts.signal.addEventListener('abort', forward, { once: true });
    const beside = session.during?.(s.name, scenarioAbort.signal) ?? null;
    const outcome = await runK6Segments(
      {
        k6Path: k6.path,
        bundle: bundle.bundle,
        scenario: s.name,
        outFile: dir.rawResults(s.name),
        logFile: dir.k6Log(s.name),
        env: k6Env,
        progress: opts.progress.scenario(s.name, s.plannedMs[opts.profile]),
        signal: scenarioAbort.signal,
      },
      segments,
      (suffix) => ({ outFile: dir.rawResults(s.name, suffix), logFile: dir.k6Log(s.name, suffix) }),
    );
    if (opts.signal.aborted) scenarioAbort.abort();
    await beside;
    opts.signal.removeEventListener('abort', forward);
    meta.scenarios[i] = { ...meta.scenarios[i], ...outcome };
    dir.writeMeta(meta);
    if (outcome.status === 'script-error' || outcome.status === 'aborted') {
      meta.undecided = `k6 ${outcome.status} in scenario ${s.name}: ${outcome.message ?? ''}`.trim();
      log(`  ${meta.undecided}`);
      break;
    }
  }
  // A run that already lost sight of part of the target (the legacy broker went away) starts no drill on it.
  const lost = session.undecided?.();
  if (lost && !meta.undecided) {
    meta.undecided = lost;
    log(`  ${lost}`);
  }
  if (!opts.signal.aborted && !meta.undecided && session.after) {
    try {
      await session.after();
    } catch (e) {
      // The phase after the scenarios failing must not lose what the scenarios measured: undecided, and go on.
      meta.undecided = `the phase after the scenarios failed: ${isHarnessError(e) ? e.message : ((e as Error).message ?? String(e))}`;
      log(`  ${meta.undecided}`);
    }
  }
  meta.interrupted = opts.signal.aborted || meta.scenarios.some((s) => s.status === 'interrupted');
  const files = dir.rawFiles();
  return files.length ? await ingestK6Ndjson(files) : null;
}

/**
 * Stage 3: what every milestone gets: the services' health before and after, the queues and DLQs left behind, and
 * the seed's rollback triggers (DLQ arrivals during the run feed the "Delivery Failure" trigger).
 */
async function runCommonProbes(
  probes: Record<string, ProbeResult>,
  def: MilestoneDefinition,
  target: Target,
  sqs: SQSClient,
  results: RunResults | null,
  before: { healthBefore: HealthSnapshot; dlqBefore: number | null },
  cutShort: boolean,
): Promise<void> {
  // Added one by one into the milestone's probes: a failing read still leaves the earlier ones in probes.json.
  const { healthBefore, dlqBefore } = before;
  probes['services-healthy'] = servicesHealthy(def.services, healthBefore, cutShort ? null : await readHealth(target.admin));
  probes['queue-depths'] = await queueDepths(sqs, target.serviceQueues);
  const dlqAfter = probes['queue-depths']?.value ?? null;
  probes['rollback-triggers'] = evaluateRollbackTriggers(
    results?.timeSeries(SCENARIO_SAMPLES) ?? [],
    dlqAfter,
    deliveryTotals(probes, dlqBefore !== null && dlqAfter !== null ? Math.max(0, dlqAfter - dlqBefore) : null),
  );
}

/**
 * One milestone run, start to verdict, in stages: check inputs, resolve the target, run the scenarios, run the
 * milestone's and the common probes, summarize (lib/verdict) and report. Raw results are on disk as they come;
 * a crash or Ctrl-C still ends with run.json, probes.json and a (partial) summary and reports.
 */
export async function runMilestone(opts: RunOptions): Promise<RunOutcome> {
  const inputs = await checkInputs(opts);
  const { def, seed, segments } = inputs;
  const log = (l: string) => opts.progress.line(l);
  const { k6, bundles } = await prepareK6(opts, def);

  const started = new Date();
  const runId = newRunId(def.id, started);
  const dir = new RunDir(resolve(opts.out ?? join(opts.projectRoot, 'reports', `${def.id}-${runTimestamp(started)}`))).create();
  log(`${def.title}: profile ${opts.profile}, run ${runId}${segments > 1 ? `, ${segments} k6 processes per scenario` : ''}`);
  log(`  output: ${relative(process.cwd(), dir.root) || '.'}`);

  const { sandbox, target } = await resolveTarget(opts, inputs);

  const meta: RunMeta = {
    ...newRunMeta({
      milestone: def.id,
      scenarios: def.scenarios,
      profile: opts.profile,
      runId,
      target,
      started,
      projectRoot: opts.projectRoot,
      k6Version: k6.version,
      faults: opts.faults,
    }),
    ...(segments > 1 ? { segments } : {}),
    ...(opts.baseline ? { baselineFile: resolve(opts.baseline) } : {}),
  };
  dir.writeMeta(meta);

  const sqs = new SQSClient({
    region: target.region,
    ...(target.sqsEndpoint ? { endpoint: target.sqsEndpoint } : {}),
    // The sandbox takes any credentials; a real target uses the standard AWS chain.
    ...(target.sandbox ? { credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' } } : {}),
  });
  let session: MilestoneSession | null = null;
  let results: RunResults | null = null;
  let probes: Record<string, ProbeResult> = {};
  try {
    await checkReachable(target, ', or omit --target to use the embedded sandbox');
    // The flags as found, what the run puts back: never read in the middle of another run's drill or baseline.
    meta.flags = await withFlagLease({ admin: target.admin, holder: `run ${runId}`, log, signal: opts.signal }, () =>
      fetchJson<Record<string, unknown>>(`${target.admin}/admin/flags`).catch(() => null),
    );
    const healthBefore = await readHealth(target.admin);
    // DLQ arrivals during the run feed the seed's "Delivery Failure" trigger.
    const dlqBefore = (await queueDepths(sqs, target.serviceQueues)).value;
    let k6Env: Record<string, string> = {};
    // A phase: one more k6 process, its raw results kept apart (raw/phases/) from the measured scenarios'.
    const runPhase = phaseRunner({
      k6Path: k6.path,
      bundles,
      scenariosDir: `scenarios/${def.bundleOf ?? def.id}`,
      dir,
      env: () => k6Env,
      progress: (phase, plannedMs) => opts.progress.scenario(phase, plannedMs),
    });
    // Milestones see only the data directory of the run and its raw results, not the rest of its layout.
    session = await def.open({
      runId,
      profile: opts.profile,
      target,
      dir: { data: dir.data, rawFiles: () => dir.rawFiles() },
      sqs,
      signal: opts.signal,
      seed,
      log,
      sandbox,
      projectRoot: opts.projectRoot,
      ...(opts.soak ? { soak: opts.soak } : {}),
      flagsFound: meta.flags,
      hasBaseline: inputs.baseline !== null,
      runPhase,
    });
    k6Env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      [QSL_ENV.profile]: opts.profile,
      [QSL_ENV.runId]: runId,
      [QSL_ENV.gatewayUrl]: target.gateway,
      [QSL_ENV.thresholds]: JSON.stringify(k6ThresholdsFor(def.criteria, opts.profile)),
      [QSL_ENV.segments]: String(segments),
      K6_NO_USAGE_REPORT: 'true',
      ...session.k6Env,
    };
    results = await runScenarios({ def, opts, k6, bundles, dir, meta, session, k6Env, segments });

    log(
      meta.interrupted
        ? '  interrupted: reading what was measured, skipping the waits of the probes'
        : '  probing queues, buses and notifications...',
    );
    const cutShort = meta.interrupted || !!meta.undecided;
    probes = await session.probes(results, { interrupted: cutShort });
    await runCommonProbes(probes, def, target, sqs, results, { healthBefore, dlqBefore }, cutShort);
    // Leave no trace: the flags at the very end equal what the run found.
    probes['target-restored'] = await targetRestored(target.admin, meta.flags, probes['target-restored']);
    if (session.phases) meta.phases = session.phases(results);
    // A session that lost sight of part of the target (e.g. the legacy broker went away) cannot decide.
    const lost = session.undecided?.();
    if (lost && !meta.undecided) {
      meta.undecided = lost;
      log(`  ${lost}`);
    }
  } catch (caught) {
    // Keep going to write what there is; the CLI prints the error itself.
    const e = isHarnessError(caught) ? caught : (unreachableError(caught, target) ?? caught);
    meta.undecided = isHarnessError(e) ? e.message : `harness error: ${(e as Error).stack ?? String(e)}`;
    if (!isHarnessError(e)) log(`  ${meta.undecided}`);
    // Unreachable before any scenario ran: nothing to report, only the error to show.
    if (isHarnessError(e, 'QSL_TARGET_UNREACHABLE') && meta.scenarios.every((s) => s.status === 'not-run')) {
      await cleanUp(session, sandbox, sqs);
      throw e;
    }
    if (isHarnessError(e, 'QSL_TARGET_UNREACHABLE')) log(`  ${formatError(e)}`);
  } finally {
    dir.writeProbes(probes);
  }
  await cleanUp(session, sandbox, sqs);

  meta.finishedAt = new Date().toISOString();
  dir.writeMeta(meta);
  // Stage 4: the verdict (lib/verdict), then the reports (lib/report).
  const summary = summarize({
    meta,
    results,
    probes,
    criteria: def.criteria,
    degradationCriterion: def.degradationCriterion,
    baseline: inputs.baseline,
  });
  await writeReports(dir.root, summary);
  return { summary, dir: dir.root, exitCode: exitCodeOf(summary) };
}

async function cleanUp(session: MilestoneSession | null, sandbox: Sandbox | null, sqs: SQSClient): Promise<void> {
  await session?.close().catch(() => {});
  await sandbox?.stop().catch(() => {});
  sqs.destroy();
}
