/**
 * `qsl sandbox` (`npm run sandbox -- [--port-base N] [--fault k=v]... [--milestone ID] [--flags FILE] [--seed N] [--legacy rabbitmq --amqp-url URL]`):
 * the embedded platform alone, in the foreground. First stdout line: one JSON object of endpoint URLs; then log
 * lines. Ctrl-C (or SIGTERM) stops it; the returned promise settles with the exit code once it has stopped.
 */
import { join } from 'node:path';
import { loadFeatureFlags } from '../config/index.js';
import { getMilestone } from '../milestones/index.js';
import { assertPortsFree, buildSandbox, parseFaults } from '../sandbox/index.js';

export interface SandboxCommandOptions {
  portBase?: number;
  fault: string[];
  milestone: string;
  flags?: string;
  seed: number;
  legacy: 'in-process' | 'rabbitmq';
  amqpUrl: string;
}

export async function runSandboxCommand(opts: SandboxCommandOptions, projectRoot: string): Promise<number> {
  // Bad input stops here, before anything listens.
  const milestone = getMilestone(opts.milestone);
  const faults = parseFaults(opts.fault);
  const flags = await loadFeatureFlags(opts.flags ?? join(projectRoot, milestone.flagsFile));
  await assertPortsFree(opts.portBase);

  // Start-up log lines are held back: the endpoints JSON must be the first stdout line.
  let held: string[] | undefined = [];
  const log = (line: string) => (held ? held.push(line) : process.stdout.write(`${line}\n`));
  let sandbox;
  try {
    sandbox = await buildSandbox({
      portBase: opts.portBase ?? 0,
      faults,
      flags,
      ...milestone.sandbox,
      seed: opts.seed,
      ...(opts.legacy === 'rabbitmq' ? { legacy: { kind: 'rabbitmq' as const, url: opts.amqpUrl } } : {}),
      log,
    });
  } catch (e) {
    for (const line of held) process.stderr.write(`${line}\n`);
    throw e;
  }
  process.stdout.write(`${JSON.stringify(sandbox.endpoints)}\n`);
  for (const line of held) process.stdout.write(`${line}\n`);
  held = undefined;

  const running = sandbox;
  return new Promise<number>((resolve) => {
    const shutdown = (signal: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      process.stderr.write(`sandbox: ${signal}, shutting down\n`);
      running.stop().then(
        () => resolve(0),
        (err: unknown) => {
          process.stderr.write(`sandbox: shutdown failed: ${(err as Error).message}\n`);
          resolve(1);
        },
      );
    };
    const onInt = () => shutdown('SIGINT');
    const onTerm = () => shutdown('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}
