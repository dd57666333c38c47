import { type Command, InvalidArgumentError } from 'commander';
import { addFlags, sharedFlags, type FlagValues } from '../run/index.js';
import { describeFaultKnobs } from '../sandbox/index.js';
import { createWatchDisplay } from './display.js';
import { parseDuration, runWatch } from './run-watch.js';

function numberArg(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number, got "${v}"`);
    return n;
  };
}

const WATCH = sharedFlags('target', 'fault', 'out', 'portBase', 'seed');

/** `qsl watch`: exit 0 the rollout window ended clean, 1 a trigger fired, 2 could not watch. */
export function registerWatchCommand(program: Command, projectRoot: string, setExit: (code: number) => void): void {
  addFlags(
    program
      .command('watch')
      .description(
        "watch a stage's rollout with the seed's rollback triggers live and act on them. Exit code: 0 clean, 1 a trigger fired, 2 could not watch",
      ),
    WATCH,
  )
    .requiredOption('--stage <n>', "the rollout stage (the seed's emergency-rollback.sh argument; the sandbox runs MVP n)")
    .option('--duration <d>', 'how long to watch, e.g. 2h, 90m, 45s', '2h')
    .option(
      '--window-scale <f>',
      "multiply every trigger window by f (0 < f <= 1; tests use 0.02: 5 min -> 6 s). The seed's numbers are never edited",
      numberArg('--window-scale'),
      1,
    )
    .option('--rate <n>', 'requests per second of the synthetic watch load', numberArg('--rate'), 5)
    .option('--alert-webhook <url>', 'POSTed a JSON alert whenever a trigger fires')
    .option('--pause-webhook <url>', 'POSTed a JSON pause request when "DLQ Depth > 1000" fires (Pause deployment)')
    .option('--i-know-this-is-production', 'allow the watch load against a target labelled production')
    .addHelpText(
      'after',
      `\nThe seed's triggers (thresholds/rollback-triggers.ts): Error Rate > 5% for 5 min -> Auto-rollback; P95 Latency > 500 ms for 10 min -> Alert + Manual;\nDLQ Depth > 1000 messages -> Pause deployment; Delivery Failure > 1% for 5 min -> Auto-rollback.\n\nFault knobs (sandbox only):\n${describeFaultKnobs()}\n\nExamples:\n  npm run watch -- --stage 1 --duration 30m\n  npm run watch -- --stage 1 --fault user.error=0.06 --window-scale 0.02 --rate 25 --duration 30s\n  npm run watch -- --target targets/staging.json --stage 2 --alert-webhook https://hooks.example/alert`,
    )
    .action(
      async (
        o: FlagValues<typeof WATCH> & {
          stage: string;
          duration: string;
          windowScale: number;
          rate: number;
          alertWebhook?: string;
          pauseWebhook?: string;
          iKnowThisIsProduction?: boolean;
        },
      ) => {
        const display = createWatchDisplay();
        const abort = new AbortController();
        let presses = 0;
        const onSigint = () => {
          presses += 1;
          if (presses === 1) {
            display.event('\ninterrupted: stopping the watch load and writing the timeline (Ctrl-C again to quit at once)');
            abort.abort();
          } else process.exit(130);
        };
        process.on('SIGINT', onSigint);
        process.on('SIGTERM', onSigint);
        try {
          const { result, dir } = await runWatch({
            projectRoot,
            targetFile: o.target,
            stage: o.stage,
            durationSeconds: parseDuration(o.duration),
            out: o.out,
            windowScale: o.windowScale,
            ratePerSecond: o.rate,
            faults: o.fault,
            portBase: o.portBase,
            seed: o.seed,
            alertWebhook: o.alertWebhook,
            pauseWebhook: o.pauseWebhook,
            iKnowThisIsProduction: !!o.iKnowThisIsProduction,
            display,
            signal: abort.signal,
          });
          const colour = result.exitCode === 0 ? '\x1b[32m' : result.exitCode === 1 ? '\x1b[31m' : '\x1b[33m';
          console.log(`watch stage ${o.stage}: ${colour}${result.outcome.toUpperCase()}\x1b[0m (${result.reason})`);
          if (result.rollback)
            console.log(
              `rollback: ${result.rollback.outcome}${result.rollback.action ? ` (${result.rollback.action})` : ''}${result.rollback.detail ? `: ${result.rollback.detail}` : ''}`,
            );
          console.log(`timeline and report: ${dir}/timeline.ndjson, watch.json, report.html`);
          setExit(result.exitCode);
        } finally {
          process.off('SIGINT', onSigint);
          process.off('SIGTERM', onSigint);
        }
      },
    );
}
