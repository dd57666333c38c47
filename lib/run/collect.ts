/**
 * `npm run collect -- <run dir> --results DIR...`: takes the NDJSON of k6-operator runners (or any
 * split run) into a run directory written by `npm run k8s`, exactly once per file, runs the probes
 * that need the live platform, and writes the same summary, report and JUnit as a local run.
 *
 * With `--during`, collect is started before the TestRuns are applied: it opens the milestone's
 * live observation (event taps, health and flags before), starts each scenario's live action when
 * that scenario's first runner file appears, and waits until every runner's file is complete, then runs the milestone's phase after the scenarios (MVP 1's rollback drill, its background load one local
 * k6 process under its own run id, raw results in raw/phases/) and reads the flags back. Without it, probes that
 * need live evidence are unmeasured and name the missing step.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { QSL_ENV } from '../contract/index.js';
import { guardProduction, loadTargetFile, type Target } from '../config/index.js';
import { createError, isHarnessError } from '../errors/index.js';
import { getMilestone, type MilestoneDefinition, type MilestoneSession, type PhaseRequest, type PhaseRun } from '../milestones/index.js';
import { writeReports } from '../report/index.js';
import { ingestK6Ndjson } from '../results/index.js';
import { bundleScenarios } from './bundle.js';
import { ensureK6 } from './k6-binary.js';
import { phaseRunner } from './phase-run.js';
import { RunDir, type CollectedFile, type K8sPlan, type RunMeta } from './run-dir.js';
import {
  deliveryTotals,
  evaluateRollbackTriggers,
  exitCodeOf,
  k6ThresholdsFor,
  summarize,
  type ProbeResult,
  type Summary,
} from '../verdict/index.js';
import { fetchJson, queueDepths, readHealth, servicesHealthy, targetRestored, type HealthSnapshot } from '../verify/index.js';

export interface CollectOptions {
  dir: string;
  projectRoot: string;
  results: string[];
  /** Observe live while the runners run (see above). */
  during: boolean;
  /** A target file other than the one the manifests were written for. */
  targetFile?: string;
  /** --during: a runner file is complete once every expected file exists and none grew for this long. */
  quietMs?: number;
  /** --during: give up waiting for the runners' files after this long. */
  timeoutMs?: number;
  iKnowThisIsProduction: boolean;
  signal: AbortSignal;
  log: (line: string) => void;
}

export interface CollectOutcome {
  summary: Summary;
  dir: string;
  exitCode: 0 | 1 | 2;
  /** Files taken into raw/ by this call (0 when everything was collected before). */
  added: number;
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The scenario a runner file belongs to: the longest `<prefix>-` its name starts with. */
function scenarioOf(file: string, plan: K8sPlan): string | null {
  const hits = plan.scenarios.filter((s) => file.startsWith(`${s.resultsPrefix}-`) || file.startsWith(`${s.resultsPrefix}.`));
  return hits.sort((a, b) => b.resultsPrefix.length - a.resultsPrefix.length)[0]?.name ?? null;
}

function runnerFiles(dirs: readonly string[], plan: K8sPlan): Array<{ path: string; name: string; scenario: string }> {
  const out: Array<{ path: string; name: string; scenario: string }> = [];
  for (const d of dirs) {
    if (!existsSync(d) || !statSync(d).isDirectory()) {
      throw createError(
        'QSL_RUN_DIR_INVALID',
        `--results ${d} is not a directory. Pass the folder the runners' NDJSON files were copied to.`,
      );
    }
    for (const name of readdirSync(d).sort()) {
      if (!/\.ndjson(\.gz)?$/.test(name)) continue;
      const scenario = scenarioOf(name, plan);
      if (scenario) out.push({ path: join(d, name), name, scenario });
    }
  }
  return out;
}

/**
 * Copies runner files into raw/, keyed by content: a file already collected (under any name) is
 * skipped; a different file under a name already used is an error rather than a silent overwrite.
 */
export function takeRunnerFiles(dir: RunDir, meta: RunMeta, plan: K8sPlan, dirs: readonly string[], log: (l: string) => void): number {
  const collected: CollectedFile[] = meta.collected ?? [];
  let added = 0;
  for (const f of runnerFiles(dirs, plan)) {
    const hash = sha256(f.path);
    if (collected.some((c) => c.sha256 === hash)) continue;
    const clash = collected.find((c) => c.file === f.name);
    if (clash) {
      throw createError(
        'QSL_RUN_DIR_INVALID',
        `${f.path} differs from the ${f.name} collected earlier (a runner's file copied before it was complete?). Remove raw/${f.name} and its entry in run.json "collected", then collect again.`,
      );
    }
    copyFileSync(f.path, join(dir.raw, f.name));
    collected.push({ scenario: f.scenario, file: f.name, sha256: hash, bytes: statSync(f.path).size });
    added++;
  }
  meta.collected = collected;
  if (added) log(`  collected ${added} runner file(s) into ${relative(process.cwd(), dir.raw) || dir.raw}`);
  return added;
}

/** --during: waits for every runner file (scenario x parallelism), starting live actions as scenarios begin. */
async function watchRunners(opts: CollectOptions, plan: K8sPlan, session: MilestoneSession, live: Array<Promise<void>>): Promise<boolean> {
  const quietMs = opts.quietMs ?? 20_000;
  const deadline = Date.now() + (opts.timeoutMs ?? 6 * 3600_000);
  const started = new Set<string>();
  const sizes = new Map<string, number>();
  let lastGrowth = Date.now();
  while (!opts.signal.aborted && Date.now() < deadline) {
    const files = runnerFiles(opts.results, plan);
    for (const f of files) {
      if (!started.has(f.scenario)) {
        started.add(f.scenario);
        opts.log(`  ${f.scenario}: runners started`);
        const action = session.during?.(f.scenario, opts.signal);
        if (action) live.push(action.then(() => undefined));
      }
      const size = statSync(f.path).size;
      if (sizes.get(f.path) !== size) {
        sizes.set(f.path, size);
        lastGrowth = Date.now();
      }
    }
    const complete = plan.scenarios.every((s) => files.filter((f) => f.scenario === s.name).length >= plan.parallelism);
    if (complete && Date.now() - lastGrowth >= quietMs) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

/**
 * --during: a phase (MVP 1's drill load) as a local k6 process, exactly as a local run runs it, with the environment
 * the runners get (their run id, target, thresholds, the milestone's data files at their local paths). k6 and the
 * bundles are prepared on the first phase only: a collect without one needs neither.
 */
function collectPhaseRunner(
  opts: CollectOptions,
  def: MilestoneDefinition,
  dir: RunDir,
  meta: RunMeta,
  target: Target,
  k6Env: () => Record<string, string>,
): (req: PhaseRequest) => Promise<PhaseRun> {
  let run: ((req: PhaseRequest) => Promise<PhaseRun>) | null = null;
  return async (req) => {
    if (!run) {
      const k6 = await ensureK6({ projectRoot: opts.projectRoot, log: opts.log });
      const bundles = await bundleScenarios(opts.projectRoot, def.bundleOf ?? def.id);
      run = phaseRunner({
        k6Path: k6.path,
        bundles,
        scenariosDir: `scenarios/${def.bundleOf ?? def.id}`,
        dir,
        env: () => ({
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          [QSL_ENV.profile]: meta.profile,
          [QSL_ENV.runId]: meta.runId,
          [QSL_ENV.gatewayUrl]: target.gateway,
          [QSL_ENV.thresholds]: JSON.stringify(k6ThresholdsFor(def.criteria, meta.profile)),
          K6_NO_USAGE_REPORT: 'true',
          ...k6Env(),
        }),
        progress: () => ({ update: () => {}, stop: (line) => opts.log(line) }),
      });
      opts.log(`  ${req.phase}: one local k6 process (raw/phases/${req.phase}.ndjson)`);
    }
    return run(req);
  };
}

function scenarioStatuses(meta: RunMeta, plan: K8sPlan): void {
  const collected = meta.collected ?? [];
  meta.scenarios = meta.scenarios.map((s) => {
    const n = collected.filter((c) => c.scenario === s.name).length;
    const p = plan.scenarios.find((x) => x.name === s.name)!;
    if (n === 0)
      return {
        ...s,
        status: 'not-run',
        message: `no runner results collected: apply ${p.manifest} and collect its ${p.resultsPrefix}-*.ndjson files`,
      };
    if (n < plan.parallelism) return { ...s, status: 'interrupted', message: `results of ${n} of ${plan.parallelism} runners collected` };
    if (n > plan.parallelism) {
      // A restarted runner pod writes a second file under its new name: its first attempt would count twice.
      return {
        ...s,
        status: 'interrupted',
        message: `${n} result files for ${plan.parallelism} runners (a restarted pod?): remove the stale files from raw/ and run.json "collected", then collect again`,
      };
    }
    const { message: _m, ...rest } = s;
    return { ...rest, status: 'completed' };
  });
}

export async function collectRun(opts: CollectOptions): Promise<CollectOutcome> {
  const dir = new RunDir(resolve(opts.dir));
  const meta = dir.readMeta();
  const plan = meta.plan;
  if (!plan) {
    throw createError(
      'QSL_RUN_DIR_INVALID',
      `${dir.root} was not written by "npm run k8s" (run.json has no plan). To re-render a local run use "npm run report -- ${opts.dir}".`,
    );
  }
  if (opts.results.length === 0 && !opts.during) {
    throw createError(
      'QSL_CONFIG_INVALID',
      "pass --results <folder> with the runners' NDJSON files (repeatable), or --during to observe the run live.",
    );
  }
  // Each collect decides afresh from everything collected so far.
  delete meta.undecided;
  meta.interrupted = false;
  const def = getMilestone(meta.milestone);
  const target = loadTargetFile(opts.targetFile ?? plan.targetFile);
  if (opts.during)
    guardProduction(
      target,
      { load: false, faults: [], forcedFailures: false, rollbackDrill: def.intent.rollbackDrill },
      opts.iKnowThisIsProduction,
    );
  const log = opts.log;

  const sqs = new SQSClient({ region: target.region, ...(target.sqsEndpoint ? { endpoint: target.sqsEndpoint } : {}) });
  let session: MilestoneSession | null = null;
  const probes: Record<string, ProbeResult> = {};
  let added = 0;
  let results = null;
  try {
    let healthBefore: HealthSnapshot | null = null;
    let dlqBefore: number | null = null;
    const live: Array<Promise<void>> = [];
    if (opts.during) {
      // What the drill's restore puts back and target-restored compares with at the end.
      meta.flags = await fetchJson<Record<string, unknown>>(`${target.admin}/admin/flags`).catch(() => null);
      healthBefore = await readHealth(target.admin);
      dlqBefore = (await queueDepths(sqs, target.serviceQueues)).value;
    }
    session = await def.open({
      runId: meta.runId,
      profile: meta.profile,
      target,
      dir,
      sqs,
      signal: opts.signal,
      seed: plan.seed,
      log,
      sandbox: null,
      projectRoot: opts.projectRoot,
      flagsFound: meta.flags,
      hasBaseline: false,
      // --during: phases run after the runners (see collectPhaseRunner); a collect afterwards has no live target to run them on.
      runPhase: opts.during
        ? collectPhaseRunner(opts, def, dir, meta, target, () => session?.k6Env ?? {})
        : (req) =>
            Promise.reject(new Error(`phase ${req.phase} needs "npm run collect -- ${opts.dir} --during", started before the TestRuns`)),
    });
    if (opts.during) {
      log(
        `  watching ${opts.results.join(', ')} for ${plan.scenarios.length} x ${plan.parallelism} runner files; apply the TestRuns now (k8s/STEPS.md)`,
      );
      const done = await watchRunners(opts, plan, session, live);
      if (!done)
        meta.undecided = opts.signal.aborted
          ? 'collect --during was interrupted before every runner finished'
          : "timed out waiting for every runner's results";
      await Promise.all(live);
      // The phase after the measured scenarios (MVP 1's rollback drill), as in a local run: only after a complete run.
      if (done && !opts.signal.aborted) await session.after?.();
    }
    added = takeRunnerFiles(dir, meta, plan, opts.results, log);
    scenarioStatuses(meta, plan);
    dir.writeMeta(meta);

    const files = dir.rawFiles();
    results = files.length ? await ingestK6Ndjson(files) : null;
    const missing = meta.scenarios.filter((s) => s.status !== 'completed');
    log('  probing queues, buses and notifications...');
    Object.assign(probes, await session.probes(results, { interrupted: missing.length > 0 }));
    // What only a live observation saw: from this call with --during, else from an earlier one, else unmeasured.
    const earlier = meta.observedLive ? dir.readProbes() : {};
    if (!opts.during) {
      // Not seen live: the harness lacks the evidence (UNDECIDED unless a measured criterion failed), not a platform failure.
      const during = `"npm run collect -- ${relative(process.cwd(), dir.root) || '.'} --during" running while the TestRuns run (see k8s/STEPS.md)`;
      for (const [id, step] of Object.entries(def.liveEvidence ?? {})) {
        probes[id] = earlier[id] ?? { value: null, note: `not measured: ${step} needs ${during}`, missing: `${step} needs ${during}` };
      }
    }
    probes['services-healthy'] = opts.during
      ? servicesHealthy(def.services, healthBefore!, await readHealth(target.admin))
      : (earlier['services-healthy'] ?? {
          value: null,
          note: 'not measured: the health before the run is read by "npm run collect --during", started before the TestRuns',
          missing: 'the health before the run is read by "npm run collect --during", started before the TestRuns',
        });
    if (opts.during) {
      // Leave no trace: the flags at the very end equal what collect --during found.
      probes['target-restored'] = await targetRestored(target.admin, meta.flags, probes['target-restored']);
      if (session.phases) meta.phases = session.phases(results);
    } else if (earlier['target-restored']) {
      probes['target-restored'] = earlier['target-restored'];
    }
    if (opts.during && !meta.undecided) meta.observedLive = true;
    probes['queue-depths'] = await queueDepths(sqs, target.serviceQueues);
    const dlqAfter = probes['queue-depths']?.value ?? null;
    probes['rollback-triggers'] = evaluateRollbackTriggers(
      results?.timeSeries() ?? [],
      dlqAfter,
      deliveryTotals(probes, dlqBefore !== null && dlqAfter !== null ? Math.max(0, dlqAfter - dlqBefore) : null),
    );
    if (missing.length) meta.undecided ??= `runner results missing: ${missing.map((s) => `${s.name} (${s.message})`).join('; ')}`;
  } catch (e) {
    if (!isHarnessError(e)) throw e;
    meta.undecided = e.message;
    if (e.code === 'QSL_RUN_DIR_INVALID' || e.code === 'QSL_CONFIG_INVALID') {
      await session?.close().catch(() => {});
      sqs.destroy();
      throw e;
    }
  } finally {
    // Only once probing began: a collect refused early must not wipe what an earlier one (--during) observed.
    if (Object.keys(probes).length > 0) dir.writeProbes(probes);
  }
  await session?.close().catch(() => {});
  sqs.destroy();

  meta.finishedAt = new Date().toISOString();
  dir.writeMeta(meta);
  const summary = summarize({ meta, results, probes, criteria: def.criteria, degradationCriterion: def.degradationCriterion });
  await writeReports(dir.root, summary);
  return { summary, dir: dir.root, exitCode: exitCodeOf(summary), added };
}
