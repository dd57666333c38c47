/**
 * `npm run sandbox -- [--port-base N] [--fault k=v]... [--flags FILE] [--seed N] [--legacy rabbitmq --amqp-url URL]`: the embedded platform alone,
 * in the foreground. First stdout line: one JSON object of endpoint URLs; then log lines. Ctrl-C stops it.
 */
import './node-support.js';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { loadFeatureFlags } from '../lib/config/feature-flags.js';
import { getMilestone } from '../lib/milestones/index.js';
import { buildSandbox, describeFaultKnobs, parseFaults } from '../lib/sandbox/index.js';

const int = (v: string) => {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`expected a non-negative integer, got \`${v}\``);
  return Number(v);
};

const opts = new Command('sandbox')
  .description('Run the embedded qsl platform (gateway, services, EventBridge, SQS, legacy bus) in the foreground')
  .option('--port-base <n>', 'gateway N, eventbridge N+1, sqs N+2, admin N+3 (0 = random ports)', int, 0)
  .option('--fault <name=value>', 'fault knob, repeatable', (v: string, acc: string[]) => [...acc, v], [] as string[])
  .option('--milestone <id>', 'which milestone\'s services, queues and flags to start (mvp1, mvp2, mvp3)', 'mvp1')
  .option('--flags <file>', 'feature flags JSON (default: the milestone\'s, e.g. flags/mvp1.json)')
  .option('--seed <n>', 'seed for samplers', int, 1)
  .option('--legacy <bus>', 'legacy bus: in-process (default) or rabbitmq', 'in-process')
  .option('--amqp-url <url>', 'RabbitMQ for --legacy rabbitmq', 'amqp://localhost')
  .addHelpText('after', `\nFault knobs:\n${describeFaultKnobs()}`)
  .parse()
  .opts<{ portBase: number; fault: string[]; milestone: string; flags?: string; seed: number; legacy: string; amqpUrl: string }>();

// Start-up log lines are held back: the endpoints JSON must be the first stdout line.
let held: string[] | undefined = [];
const log = (line: string) => (held ? held.push(line) : process.stdout.write(`${line}\n`));

try {
  const milestone = getMilestone(opts.milestone);
  if (opts.legacy !== 'in-process' && opts.legacy !== 'rabbitmq') throw new Error(`--legacy must be in-process or rabbitmq, got "${opts.legacy}"`);
  const sandbox = await buildSandbox({
    portBase: opts.portBase,
    faults: parseFaults(opts.fault),
    flags: await loadFeatureFlags(opts.flags ?? fileURLToPath(new URL(`../${milestone.flagsFile}`, import.meta.url))),
    ...milestone.sandbox,
    seed: opts.seed,
    ...(opts.legacy === 'rabbitmq' ? { legacy: { kind: 'rabbitmq' as const, url: opts.amqpUrl } } : {}),
    log,
  });
  process.stdout.write(`${JSON.stringify(sandbox.endpoints)}\n`);
  for (const line of held) process.stdout.write(`${line}\n`);
  held = undefined;

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`sandbox: ${signal}, shutting down\n`);
    sandbox.stop().then(
      () => {
        process.exitCode = 0;
      },
      (err: unknown) => {
        process.stderr.write(`sandbox: shutdown failed: ${(err as Error).message}\n`);
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
} catch (err) {
  for (const line of held ?? []) process.stderr.write(`${line}\n`);
  const e = err as Error & { code?: string };
  process.stderr.write(`sandbox: ${e.code ? `[${e.code}] ` : ''}${e.message}\n`);
  process.exitCode = 2;
}
