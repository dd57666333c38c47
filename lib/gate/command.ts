import { type Command, InvalidArgumentError, Option } from 'commander';
import { resolve, join } from 'node:path';
import { guardProduction, loadTargetFile } from '../config/index.js';
import { createError } from '../errors/index.js';
import { addFlags, checkReachable, createProgress, runMilestone, sharedFlags, type FlagValues } from '../run/index.js';
import { checkWatchNumbers, parseDuration, prepareWatchRun, sqsFor } from '../watch/index.js';
import { buildGateApp, FlaggerGate, smokeAutoRollback, type SmokeVerdict } from './gate.js';

function numberArg(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number, got "${v}"`);
    return n;
  };
}

const GATE = sharedFlags('target', 'out');

/** `qsl gate`: an HTTP server answering Flagger's webhooks; runs until Ctrl-C / SIGTERM (exit 0). */
export function registerGateCommand(program: Command, projectRoot: string, setExit: (code: number) => void): void {
  addFlags(
    program
      .command('gate')
      .description(
        "serve Flagger's canary webhooks (pre-rollout, rollout, confirm-rollout, confirm-traffic-increase, confirm-promotion, rollback, post-rollout) from smoke milestones and the seed's live rollback triggers; --target is required",
      ),
    GATE,
  )
    .option('--port <n>', 'port to listen on (0: any free port)', numberArg('--port'), 8080)
    .option('--host <address>', 'address to listen on', '0.0.0.0')
    .addOption(
      new Option('--pre-rollout <check>', "what pre-rollout runs: the stage's smoke milestone, or only the live triggers")
        .choices(['smoke', 'triggers'])
        .default('smoke'),
    )
    .option('--window-scale <f>', 'multiply every trigger window by f (0 < f <= 1), for tests', numberArg('--window-scale'), 1)
    .option('--rate <n>', 'requests per second of the synthetic watch load', numberArg('--rate'), 5)
    .option('--duration <d>', 'longest live watch of one rollout', '2h')
    .option('--alert-webhook <url>', 'POSTed a JSON alert whenever a trigger fires')
    .option('--pause-webhook <url>', 'POSTed a JSON pause request when "DLQ Depth > 1000" fires')
    .option('--i-know-this-is-production', 'allow the smoke milestone and watch load against a target labelled production')
    .addHelpText(
      'after',
      '\nFlagger: point each webhook of the Canary at http://<gate>:<port>/<type> with metadata.stage; see deploy/flagger/canary.yaml and docs/live-safety.md.',
    )
    .action(
      async (
        o: FlagValues<typeof GATE> & {
          port: number;
          host: string;
          preRollout: 'smoke' | 'triggers';
          windowScale: number;
          rate: number;
          duration: string;
          alertWebhook?: string;
          pauseWebhook?: string;
          iKnowThisIsProduction?: boolean;
        },
      ) => {
        if (!o.target)
          throw createError(
            'QSL_CONFIG_INVALID',
            '--target is required: the gate answers for one environment, e.g. --target targets/staging.json.',
          );
        checkWatchNumbers({ stage: '1', windowScale: o.windowScale, ratePerSecond: o.rate });
        const durationSeconds = parseDuration(o.duration);
        const target = loadTargetFile(o.target);
        guardProduction(target, { load: true, faults: [], forcedFailures: false, rollbackDrill: false }, !!o.iKnowThisIsProduction);
        await checkReachable(target);
        const outDir = resolve(o.out ?? join(projectRoot, 'reports', 'gate'));
        const log = (l: string) => process.stderr.write(`${new Date().toISOString()} ${l}\n`);
        const sqs = sqsFor(target);
        const runSmoke = async (stage: string, dir: string): Promise<SmokeVerdict> => {
          const r = await runMilestone({
            milestone: `mvp${stage}`,
            profile: 'smoke',
            projectRoot,
            targetFile: o.target,
            faults: [],
            out: dir,
            iKnowThisIsProduction: !!o.iKnowThisIsProduction,
            progress: createProgress(process.stderr, { tty: false, plainEveryMs: 60_000 }),
            signal: new AbortController().signal,
          });
          return {
            verdict: r.summary.verdict,
            dir: r.dir,
            failing: r.summary.criteria.filter((c) => !c.pass && !c.skipped).map((c) => c.id),
            autoRollback: smokeAutoRollback(r.summary.probes),
          };
        };
        const gate = new FlaggerGate({
          target,
          preRollout: o.preRollout,
          windowScale: o.windowScale,
          ratePerSecond: o.rate,
          durationSeconds,
          outDir,
          prepare: (dir) => prepareWatchRun(projectRoot, dir, 1, log),
          runSmoke,
          sqs,
          alertWebhook: o.alertWebhook,
          pauseWebhook: o.pauseWebhook,
          log,
        });
        const app = buildGateApp(gate);
        const address = await app.listen({ port: o.port, host: o.host });
        console.log(
          `gate listening on ${address.replace('[::1]', '127.0.0.1')} for target ${target.name}; POST /<webhook type> (Flagger payload with metadata.stage)`,
        );
        await new Promise<void>((done) => {
          const stop = () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            log('gate: stopping; ending live watches and writing their reports');
            void app
              .close()
              .then(() => gate.close())
              .finally(() => {
                sqs.destroy();
                done();
              });
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
        setExit(0);
      },
    );
}
