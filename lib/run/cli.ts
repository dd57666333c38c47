import { Command, CommanderError } from 'commander';
import { createError, formatError, isHarnessError } from '../errors/index.js';
import { MILESTONES, getMilestone } from '../milestones/index.js';
import { writeReports } from '../report/index.js';
import { describeFaultKnobs } from '../sandbox/index.js';
import { exitCodeOf } from '../verdict/index.js';
import { formatConsoleSummary } from './console-summary.js';
import {
  addFlags,
  COLLECT_FLAGS,
  K8S_FLAGS,
  RECONCILE_FLAGS,
  RUN_FLAGS,
  SANDBOX_FLAGS,
  sharedFlags,
  SOAK_FLAGS,
  SOAK_RUN_FLAGS,
  STAGE1_FLAGS,
  type FlagValues,
} from './flags.js';
import { ensureK6 } from './k6-binary.js';
import { runMilestone } from './milestone-run.js';
import { createProgress } from './progress.js';
import { reconcileTarget } from './reconcile.js';
import { summarizeRunDir } from './run-summary.js';
import { runSandboxCommand } from './sandbox-command.js';
import { collectRun } from './collect.js';
import { writeK8sRun } from './k8s-run.js';
import { runStage1 } from '../stage1/index.js';

const RUN = {
  ...sharedFlags('target', 'fault', 'out', 'baseline', 'portBase', 'seed', 'legacy', 'amqpUrl'),
  ...RUN_FLAGS,
  ...SOAK_RUN_FLAGS,
};
const SOAK = { ...sharedFlags('target', 'fault', 'out', 'portBase', 'seed', 'legacy', 'amqpUrl'), ...RUN_FLAGS, ...SOAK_FLAGS };
const REPORT = sharedFlags('baseline');
const RECONCILE = { ...sharedFlags('target'), ...RECONCILE_FLAGS };
const SANDBOX = { ...sharedFlags('portBase', 'fault', 'seed', 'legacy', 'amqpUrl'), ...SANDBOX_FLAGS };
const STAGE1 = { ...sharedFlags('target', 'fault'), ...STAGE1_FLAGS };
const K8S = { ...sharedFlags('target', 'out', 'seed'), ...K8S_FLAGS };
const COLLECT = { ...sharedFlags('target'), ...COLLECT_FLAGS };

/** The harness's command line. Exit codes: 0 GO, 1 NO-GO, 2 could not decide. */
/** Adds a subcommand from a folder above lib/run (watch, gate), so lib/run never imports them. */
export type CommandRegistrar = (program: Command, projectRoot: string, setExit: (code: number) => void) => void;

export function buildCli(projectRoot: string, setExit: (code: number) => void, commands: readonly CommandRegistrar[] = []): Command {
  const program = new Command('qsl')
    .description('Go/No-Go harness for the RabbitMQ -> EventBridge + SQS migration. Exit code: 0 GO, 1 NO-GO, 2 could not decide.')
    // Set before the subcommands are added, so they inherit it: usage errors reach main()'s one catch.
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showHelpAfterError(false);

  /** One milestone run from the command line: Ctrl-C once stops gracefully (partial results), twice quits. */
  const runFromCli = async (
    milestone: string,
    o: FlagValues<typeof RUN_FLAGS> & Omit<FlagValues<typeof RUN>, 'soakDuration' | 'soakClients'>,
    soak?: { durationMs?: number; clients?: number },
  ) => {
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
        ...(o.legacy === 'rabbitmq' ? { legacy: { kind: 'rabbitmq' as const, url: o.amqpUrl } } : {}),
        ...(soak ? { soak } : {}),
        progress,
        signal: abort.signal,
      });
      console.log(formatConsoleSummary(r.summary, r.dir));
      setExit(r.exitCode);
    } finally {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
    }
  };

  addFlags(
    program
      .command('run')
      .description(`run a milestone's scenarios on real k6, probe the platform and decide GO / NO-GO`)
      .argument('<milestone>', `one of: ${Object.keys(MILESTONES).join(', ')}`),
    RUN,
  )
    .addHelpText(
      'after',
      `\nFault knobs (sandbox only):\n${describeFaultKnobs()}\n\nExamples:\n  npm run mvp1 -- --profile smoke\n  npm run mvp1 -- --profile smoke --fault notification.drop=0.05\n  npm run mvp1 -- --target targets/staging.json --out reports/staging-mvp1`,
    )
    .action(async (milestone: string, o: FlagValues<typeof RUN>) => {
      getMilestone(milestone);
      await runFromCli(
        milestone,
        o,
        o.soakDuration !== undefined || o.soakClients !== undefined ? { durationMs: o.soakDuration, clients: o.soakClients } : undefined,
      );
    });

  addFlags(
    program
      .command('soak')
      .description(
        'the MVP 4 SSE soak alone: k6 drives event traffic while the harness holds the SSE clients; judged on sse-stability, with checkpoints in <out>/data/soak/',
      ),
    SOAK,
  )
    .addHelpText(
      'after',
      '\nExamples:\n  npm run soak -- --duration 24h --clients 500\n  npm run soak -- --duration 10m --clients 50 --target targets/staging.json\n  npm run report -- reports/mvp4-soak-<timestamp>   (also after a crash: renders from the checkpoints)',
    )
    .action(async (o: FlagValues<typeof SOAK>) =>
      runFromCli('mvp4-soak', { ...o, baseline: undefined }, { durationMs: o.duration, clients: o.clients }),
    );

  addFlags(
    program
      .command('report')
      .description('re-render summary.json, report.html and junit.xml of a run directory from its raw results')
      .argument('<run-dir>', 'a directory written by a milestone run'),
    REPORT,
  ).action(async (dir: string, o: FlagValues<typeof REPORT>) => {
    const summary = await summarizeRunDir(dir, (m) => getMilestone(m), o.baseline);
    await writeReports(dir, summary);
    console.log(formatConsoleSummary(summary, dir));
    setExit(exitCodeOf(summary));
  });

  addFlags(
    program
      .command('reconcile')
      .description(
        'run the MVP 2 ledger reconciliation probe alone against an environment (exit 0 consistent, 1 inconsistent, 2 could not reconcile)',
      ),
    RECONCILE,
  ).action(async (o: FlagValues<typeof RECONCILE>) => {
    const r = await reconcileTarget({ targetFile: o.target, runId: o.runId });
    console.log(r.text);
    setExit(r.exitCode);
  });

  addFlags(
    program
      .command('k8s')
      .description(
        "write a run directory to run a milestone's k6 scenarios on k6-operator (one TestRun per scenario, N runner pods each); then npm run collect",
      )
      .argument('<milestone>', `one of: ${Object.keys(MILESTONES).join(', ')}`),
    K8S,
  )
    .addHelpText(
      'after',
      '\nExample:\n  npm run k8s -- mvp1 --parallelism 4 --target targets/staging.json --namespace load-tests\n  then follow <run dir>/k8s/STEPS.md (docs/scale-out.md)',
    )
    .action(async (milestone: string, o: FlagValues<typeof K8S>) => {
      if (o.parallelism === undefined)
        throw createError('QSL_USAGE_INVALID', '--parallelism is required: the number of runner pods per scenario, e.g. --parallelism 4.');
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

  addFlags(
    program
      .command('collect')
      .description(
        "take k6-operator runners' NDJSON into a run directory written by k8s (each file once), probe the target, write summary, report and JUnit",
      )
      .argument('<run-dir>', 'a directory written by npm run k8s'),
    COLLECT,
  ).action(async (dir: string, o: FlagValues<typeof COLLECT>) => {
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    try {
      const r = await collectRun({
        dir,
        projectRoot,
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

  addFlags(
    program
      .command('sandbox')
      .description(
        'run the embedded platform (gateway, services, EventBridge, SQS, legacy bus) in the foreground; first stdout line: its endpoints as JSON',
      ),
    SANDBOX,
  )
    .addHelpText('after', `\nFault knobs:\n${describeFaultKnobs()}`)
    .action(async (o: FlagValues<typeof SANDBOX>) => setExit(await runSandboxCommand(o, projectRoot)));

  addFlags(
    program
      .command('stage1')
      .description(
        "check the seed's Stage 1 infrastructure through the AWS APIs: bus, queues (FIFO, DLQ, redrive), rules and targets, patterns (TestEventPattern), a canary round trip per rule, security findings; with --stack: the CloudFormation stack's resources and drift, and each service role's permissions (exit 0 GO, 1 NO-GO, 2 could not decide); without --target: the embedded sandbox started as Stage 1 (EventBridge, SQS, topology, no services)",
      ),
    STAGE1,
  )
    .addHelpText(
      'after',
      '\nFault knobs for stage1 (sandbox only): topology.<rule>.missing, topology.<queue>.no-dlq (a FIFO queue without .fifo)',
    )
    .action(async (o: FlagValues<typeof STAGE1>) => {
      const r = await runStage1({ targetFile: o.target, stackName: o.stack, faults: o.fault, log: (l) => console.error(l) });
      console.log(r.text);
      setExit(r.exitCode);
    });

  program
    .command('setup')
    .description('find or build the pinned k6 (K6_BINARY and PATH first) and print where it is')
    .action(async () => {
      const k6 = await ensureK6({ projectRoot, log: (l) => console.error(l) });
      console.log(`k6 ${k6.version} (${k6.source}): ${k6.path}`);
    });

  for (const register of commands) register(program, projectRoot, setExit);

  return program;
}

/** A commander usage error as a coded error that says how to get the usage. */
function usageError(e: CommanderError, argv: readonly string[]): Error {
  const command = argv.find((a) => !a.startsWith('-'));
  const help =
    command && ['run', 'soak', 'report', 'reconcile', 'sandbox', 'setup', 'k8s', 'collect'].includes(command)
      ? `npm run qsl -- ${command} --help`
      : 'npm run qsl -- --help';
  const what = e.message.replace(/^error: /, '').replace(/([^.])$/, '$1.');
  return createError('QSL_USAGE_INVALID', `${what} Run "${help}" for the commands and flags.`);
}

/** The one top-level catch: coded errors become exit 2 with their message; anything else is a bug (also exit 2). */
export async function main(argv: string[], projectRoot: string, commands: readonly CommandRegistrar[] = []): Promise<number> {
  let exit = 0;
  const program = buildCli(projectRoot, (c) => (exit = c), commands);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exit;
  } catch (e) {
    const err =
      e instanceof CommanderError && !['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(e.code)
        ? usageError(e, argv)
        : e;
    if (err instanceof CommanderError) return 0;
    if (isHarnessError(err)) {
      console.error(formatError(err));
      return err.exitCode;
    }
    console.error(`error: the harness failed unexpectedly; this is a bug. ${(err as Error).stack ?? String(err)}`);
    return 2;
  }
}
