import { Command, InvalidArgumentError, Option } from 'commander';
import { HarnessError } from '../errors/index.js';
import { FeatureFlagsError } from '../config/feature-flags.js';
import { MILESTONES, getMilestone } from '../milestones/index.js';
import { writeReports } from '../report/index.js';
import { describeFaultKnobs, FaultError } from '../sandbox/index.js';
import { formatConsoleSummary } from './console-summary.js';
import { runMilestone } from './milestone-run.js';
import { createProgress } from './progress.js';
import { exitCodeOf, summarizeRunDir } from './summarize.js';
import { reconcileTarget } from './reconcile.js';
import { collectRun, writeK8sRun } from '../scaleout/index.js';

function intArg(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number, got "${v}"`);
    return n;
  };
}

/** The harness's command line. Exit codes: 0 GO, 1 NO-GO, 2 could not decide. */
export function buildCli(projectRoot: string, setExit: (code: number) => void): Command {
  const program = new Command('qsl')
    .description('Go/No-Go harness for the RabbitMQ -> EventBridge + SQS migration. Exit code: 0 GO, 1 NO-GO, 2 could not decide.')
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('run')
    .description(`run a milestone's scenarios on real k6, probe the platform and decide GO / NO-GO`)
    .argument('<milestone>', `one of: ${Object.keys(MILESTONES).join(', ')}`)
    .addOption(new Option('--profile <profile>', 'smoke: same scenarios and criteria, shortened for CI; full: the seed\'s sizes').choices(['smoke', 'full']).default('full'))
    .option('--target <file>', 'a target file (targets/<name>.json) describing a real environment; default: the embedded sandbox')
    .option('--fault <name=value>', 'inject a fault into the sandbox (repeatable); see the list below', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--out <dir>', 'where to write raw results and reports (default reports/<milestone>-<UTC timestamp>/)')
    .option('--baseline <summary.json>', 'compare with an earlier run: delta columns and the "performance degradation > 20%" criterion')
    .option('--port-base <n>', 'sandbox ports: gateway n, eventbridge n+1, sqs n+2, admin n+3 (default: random free ports)', intArg('--port-base'))
    .option('--seed <n>', 'seed for generated data and fault sampling (reproducible runs)', intArg('--seed'), 1)
    .option('--segments <n>', 'run each scenario as n k6 processes (execution segments), merged into one verdict', intArg('--segments'), 1)
    .option('--i-know-this-is-production', 'allow load, faults and drills against a target labelled production')
    .addHelpText('after', `\nFault knobs (sandbox only):\n${describeFaultKnobs()}\n\nExamples:\n  npm run mvp1 -- --profile smoke\n  npm run mvp1 -- --profile smoke --fault notification.drop=0.05\n  npm run mvp1 -- --target targets/staging.json --out reports/staging-mvp1`)
    .action(async (milestone: string, o: { profile: 'smoke' | 'full'; target?: string; fault: string[]; out?: string; baseline?: string; portBase?: number; seed: number; segments: number; iKnowThisIsProduction?: boolean }) => {
      getMilestone(milestone);
      const progress = createProgress();
      const abort = new AbortController();
      let presses = 0;
      const onSigint = () => {
        presses += 1;
        if (presses === 1) {
          progress.line('\ninterrupted: stopping k6 gracefully and writing partial results (Ctrl-C again to quit at once)');
          abort.abort();
        } else process.exit(130);
      };
      process.on('SIGINT', onSigint);
      process.on('SIGTERM', onSigint);
      try {
        const r = await runMilestone({
          milestone,
          profile: o.profile,
          projectRoot,
          targetFile: o.target,
          faults: o.fault,
          out: o.out,
          baseline: o.baseline,
          iKnowThisIsProduction: !!o.iKnowThisIsProduction,
          portBase: o.portBase,
          seed: o.seed,
          segments: o.segments,
          progress,
          signal: abort.signal,
        });
        console.log(formatConsoleSummary(r.summary, r.dir));
        setExit(r.exitCode);
      } finally {
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigint);
      }
    });

  program
    .command('report')
    .description('re-render summary.json, report.html and junit.xml of a run directory from its raw results')
    .argument('<run-dir>', 'a directory written by a milestone run')
    .option('--baseline <summary.json>', 'compare with an earlier run')
    .action(async (dir: string, o: { baseline?: string }) => {
      const summary = await summarizeRunDir(dir, (m) => getMilestone(m), o.baseline);
      await writeReports(dir, summary);
      console.log(formatConsoleSummary(summary, dir));
      setExit(exitCodeOf(summary));
    });

  program
    .command('k8s')
    .description("write a run directory to run a milestone's k6 scenarios on k6-operator (one TestRun per scenario, N runner pods each); then npm run collect")
    .argument('<milestone>', `one of: ${Object.keys(MILESTONES).join(', ')}`)
    .requiredOption('--parallelism <n>', 'runner pods per scenario (k6 execution segments)', intArg('--parallelism'))
    .option('--target <file>', 'the target file of the environment the runners load (required)')
    .option('--namespace <ns>', 'Kubernetes namespace of the TestRuns, ConfigMaps and results volume', 'default')
    .addOption(new Option('--profile <profile>', 'smoke or full (the seed\'s sizes)').choices(['smoke', 'full']).default('full'))
    .option('--seed <n>', 'seed for generated data (collect regenerates the same data from it)', intArg('--seed'), 1)
    .option('--image <image>', 'runner image (default grafana/k6 at the pinned k6 version)')
    .option('--storage-class <name>', 'storage class of the ReadWriteMany results volume')
    .option('--out <dir>', 'the run directory (default reports/<milestone>-k8s-<UTC timestamp>/)')
    .option('--i-know-this-is-production', 'allow load and drills against a target labelled production')
    .addHelpText('after', '\nExample:\n  npm run k8s -- mvp1 --parallelism 4 --target targets/staging.json --namespace load-tests\n  (then follow <run dir>/k8s/STEPS.md; see docs/scale-out.md)')
    .action(async (milestone: string, o: { parallelism: number; target?: string; namespace: string; profile: 'smoke' | 'full'; seed: number; image?: string; storageClass?: string; out?: string; iKnowThisIsProduction?: boolean }) => {
      const r = await writeK8sRun({
        milestone,
        parallelism: o.parallelism,
        targetFile: o.target,
        namespace: o.namespace,
        profile: o.profile,
        seed: o.seed,
        image: o.image,
        storageClass: o.storageClass,
        out: o.out,
        projectRoot,
        iKnowThisIsProduction: !!o.iKnowThisIsProduction,
        log: (l) => console.error(l),
      });
      console.log(r.dir);
      setExit(0);
    });

  program
    .command('collect')
    .description('take k6-operator runners\' NDJSON into a run directory written by "k8s" (once per file), probe the target and write summary, report and JUnit')
    .argument('<run-dir>', 'a directory written by npm run k8s')
    .option('--results <dir>', "a folder with the runners' NDJSON files (repeatable)", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--during', 'start before applying the TestRuns: observe live (event taps, rollback drill, health) and wait for every runner file')
    .option('--target <file>', 'probe this target file instead of the one the manifests were written for')
    .option('--quiet-ms <n>', '--during: runner files are complete when none grew for this long (default 20000)', intArg('--quiet-ms'))
    .option('--timeout-ms <n>', '--during: stop waiting for runner files after this long (default 6 h)', intArg('--timeout-ms'))
    .option('--i-know-this-is-production', 'allow the rollback drill against a target labelled production')
    .action(async (dir: string, o: { results: string[]; during?: boolean; target?: string; quietMs?: number; timeoutMs?: number; iKnowThisIsProduction?: boolean }) => {
      const abort = new AbortController();
      const onSigint = () => abort.abort();
      process.once('SIGINT', onSigint);
      try {
        const r = await collectRun({
          dir,
          results: o.results,
          during: !!o.during,
          targetFile: o.target,
          quietMs: o.quietMs,
          timeoutMs: o.timeoutMs,
          iKnowThisIsProduction: !!o.iKnowThisIsProduction,
          signal: abort.signal,
          log: (l) => console.error(l),
        });
        console.log(formatConsoleSummary(r.summary, r.dir));
        setExit(r.exitCode);
      } finally {
        process.off('SIGINT', onSigint);
      }
    });

  program
    .command('reconcile')
    .description('run the MVP 2 ledger reconciliation probe alone against an environment (exit 0 consistent, 1 inconsistent, 2 could not reconcile)')
    .option('--target <file>', 'the environment whose ledger to reconcile (required)')
    .option('--run-id <id>', "only this harness run's payments, accounts and ledger transactions (default: everything)")
    .action(async (o: { target?: string; runId?: string }) => {
      const r = await reconcileTarget({ targetFile: o.target, runId: o.runId });
      console.log(r.text);
      setExit(r.exitCode);
    });

  return program;
}

/** The one top-level catch: known errors become exit 2 with their message; anything else is a bug. */
export async function main(argv: string[], projectRoot: string): Promise<number> {
  let exit = 0;
  const program = buildCli(projectRoot, (c) => (exit = c));
  program.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exit;
  } catch (e) {
    const err = e as { code?: string; exitCode?: number };
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
    if (typeof err.code === 'string' && err.code.startsWith('commander.')) return 2;
    if (e instanceof HarnessError || e instanceof FaultError || e instanceof FeatureFlagsError) {
      console.error(`error [${(e as { code: string }).code}]: ${e.message}`);
      return 2;
    }
    console.error(`error: the harness failed unexpectedly; this is a bug. ${(e as Error).stack ?? String(e)}`);
    return 2;
  }
}
