import { SQSClient } from '@aws-sdk/client-sqs';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { guardProduction, loadTargetFile, type Target } from '../config/target.js';
import { HarnessError } from '../errors/index.js';
import { getMilestone, type MilestoneSession, type Profile } from '../milestones/index.js';
import { ingestK6Ndjson, SCENARIO_SAMPLES, type RunResults } from '../results/index.js';
import { writeReports } from '../report/index.js';
import { parseFaults, type Sandbox } from '../sandbox/index.js';
import { k6ThresholdsFor } from '../verdict/k6-thresholds.js';
import { deliveryTotals, evaluateRollbackTriggers } from '../verdict/rollback-triggers.js';
import type { ProbeResult, Summary } from '../verdict/types.js';
import { fetchJson, queueDepths, readHealth, servicesHealthy } from '../verify/index.js';
import { bundleScenarios } from './bundle.js';
import { ensureK6 } from './k6-binary.js';
import { runK6Segments } from './k6-process.js';
import { checkSegmentCount } from './segments.js';
import type { ProgressFactory } from './progress.js';
import { RunDir, type RunMeta } from './run-dir.js';
import { startSandboxTarget } from './sandbox-target.js';
import { exitCodeOf, readBaseline, summarize } from './summarize.js';

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
  seed?: number;
  /** k6 processes per scenario (execution segments), merged through HDR histograms; default 1. */
  segments?: number;
  progress: ProgressFactory;
  /** Ctrl-C: stop k6 gracefully, skip what is left, still write everything. */
  signal: AbortSignal;
}

export interface RunOutcome {
  summary: Summary;
  dir: string;
  exitCode: 0 | 1 | 2;
}

function harnessVersion(root: string): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

function timestamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

async function checkReachable(target: Target): Promise<void> {
  try {
    const res = await fetch(`${target.gateway}/health`, { signal: AbortSignal.timeout(5000) });
    await res.body?.cancel();
  } catch (e) {
    throw new HarnessError(
      'QSL_TARGET_UNREACHABLE',
      `target "${target.name}" did not answer at ${target.gateway}/health (${(e as Error).cause ? String((e as Error).cause) : (e as Error).message}). ` +
        'Check the gateway URL in the target file and that the environment is up (VPN, DNS), or omit --target to use the embedded sandbox.',
    );
  }
}

/**
 * One milestone run, start to verdict: validate inputs, start or reach the target, run each
 * scenario on real k6, probe, evaluate, report. Raw results are on disk as they come; a crash or
 * Ctrl-C still ends with run.json, probes.json and a (partial) summary and reports.
 */
export async function runMilestone(opts: RunOptions): Promise<RunOutcome> {
  const def = getMilestone(opts.milestone);
  const log = (l: string) => opts.progress.line(l);
  const faultSet = parseFaults(opts.faults);
  const fileTarget = opts.targetFile ? loadTargetFile(opts.targetFile) : null;
  if (fileTarget && opts.faults.length) {
    throw new HarnessError('QSL_CONFIG_INVALID', `--fault works only against the embedded sandbox; target "${fileTarget.name}" is a real environment. Drop --fault or drop --target.`);
  }
  if (fileTarget) guardProduction(fileTarget, { ...def.intent, faults: opts.faults }, opts.iKnowThisIsProduction);
  const baseline = opts.baseline ? readBaseline(opts.baseline, def.id) : null;
  const seed = opts.seed ?? 1;
  const segments = checkSegmentCount(opts.segments ?? 1, '--segments');

  const k6 = await ensureK6({ projectRoot: opts.projectRoot, log });
  const bundles = await bundleScenarios(opts.projectRoot, def.id);
  for (const s of def.scenarios) {
    if (!bundles.some((b) => b.scenario === s.name)) throw new HarnessError('QSL_BUILD_FAILED', `scenario scenarios/${def.id}/${s.name}.ts is missing.`);
  }

  const started = new Date();
  const runId = `${def.id}-${timestamp(started)}-${randomBytes(3).toString('hex')}`;
  const dir = new RunDir(resolve(opts.out ?? join(opts.projectRoot, 'reports', `${def.id}-${timestamp(started)}`))).create();
  log(`${def.title}: profile ${opts.profile}, run ${runId}${segments > 1 ? `, ${segments} k6 processes per scenario` : ''}`);
  log(`  output: ${relative(process.cwd(), dir.root) || '.'}`);

  let sandbox: Sandbox | null = null;
  let target: Target;
  if (fileTarget) target = fileTarget;
  else {
    log('  starting the embedded sandbox platform...');
    ({ sandbox, target } = await startSandboxTarget({
      projectRoot: opts.projectRoot,
      flagsFile: def.flagsFile,
      faults: faultSet,
      seed,
      portBase: opts.portBase,
      ...def.sandbox,
      log: () => {},
    }));
  }

  const meta: RunMeta = {
    schemaVersion: 1,
    milestone: def.id,
    profile: opts.profile,
    runId,
    target: { name: target.name, environment: target.environment, sandbox: target.sandbox },
    startedAt: started.toISOString(),
    finishedAt: null,
    interrupted: false,
    versions: { harness: harnessVersion(opts.projectRoot), k6: k6.version, node: process.version },
    flags: null,
    faults: opts.faults,
    ...(segments > 1 ? { segments } : {}),
    scenarios: def.scenarios.map((s) => ({ name: s.name, status: 'not-run', k6ExitCode: null, requests: 0, errorRate: null, p95: null, durationMs: null })),
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
    await checkReachable(target);
    meta.flags = await fetchJson<Record<string, unknown>>(`${target.admin}/admin/flags`).catch(() => null);
    const healthBefore = await readHealth(target.admin);
    // DLQ arrivals during the run feed the seed's "Delivery Failure" trigger.
    const dlqBefore = (await queueDepths(sqs, target.serviceQueues)).value;
    session = await def.open({ runId, profile: opts.profile, target, dir, sqs, signal: opts.signal, seed, log, sandbox });
    const k6Env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      QSL_PROFILE: opts.profile,
      QSL_RUN_ID: runId,
      QSL_GATEWAY_URL: target.gateway,
      QSL_THRESHOLDS: JSON.stringify(k6ThresholdsFor(def.criteria)),
      QSL_SEGMENTS: String(segments),
      K6_NO_USAGE_REPORT: 'true',
      ...session.k6Env,
    };

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
    meta.interrupted = opts.signal.aborted || meta.scenarios.some((s) => s.status === 'interrupted');

    const files = dir.rawFiles();
    results = files.length ? await ingestK6Ndjson(files) : null;
    log(meta.interrupted ? '  interrupted: reading what was measured, skipping the waits of the probes' : '  probing queues, buses and notifications...');
    const cutShort = meta.interrupted || !!meta.undecided;
    probes = await session.probes(results, { interrupted: cutShort });
    // Every milestone: the services' health before and after, and the queues and DLQs they leave behind.
    probes['services-healthy'] = servicesHealthy(def.services, healthBefore, cutShort ? null : await readHealth(target.admin));
    probes['queue-depths'] = await queueDepths(sqs, target.serviceQueues);
    const dlqAfter = probes['queue-depths']?.value ?? null;
    probes['rollback-triggers'] = evaluateRollbackTriggers(
      results?.timeSeries(SCENARIO_SAMPLES) ?? [],
      dlqAfter,
      deliveryTotals(probes, dlqBefore !== null && dlqAfter !== null ? Math.max(0, dlqAfter - dlqBefore) : null),
    );
  } catch (e) {
    // Keep going to write what there is; the CLI prints the error itself.
    meta.undecided = e instanceof HarnessError ? e.message : `harness error: ${(e as Error).stack ?? String(e)}`;
    if (!(e instanceof HarnessError)) log(`  ${meta.undecided}`);
    if (e instanceof HarnessError && e.code === 'QSL_TARGET_UNREACHABLE') {
      await cleanUp(session, sandbox, sqs);
      throw e;
    }
  } finally {
    dir.writeProbes(probes);
  }
  await cleanUp(session, sandbox, sqs);

  meta.finishedAt = new Date().toISOString();
  dir.writeMeta(meta);
  const summary = summarize({ meta, results, probes, criteria: def.criteria, degradationCriterion: def.degradationCriterion, baseline });
  await writeReports(dir.root, summary);
  return { summary, dir: dir.root, exitCode: exitCodeOf(summary) };
}

async function cleanUp(session: MilestoneSession | null, sandbox: Sandbox | null, sqs: SQSClient): Promise<void> {
  await session?.close().catch(() => {});
  await sandbox?.stop().catch(() => {});
  sqs.destroy();
}
