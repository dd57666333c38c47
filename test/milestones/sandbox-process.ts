// A platform started apart from the run (`qsl sandbox`), and target files pointing at it: what the tests of
// `--target` use to stand in for a real environment.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AUDIT_QUEUE, MVP1_TOPOLOGY } from '../../lib/sandbox/index.js';

/** What `qsl sandbox` prints as its first stdout line. */
export interface SandboxEndpoints {
  gateway: string;
  admin: string;
  eventbridge: string;
  sqs: string;
  region: string;
  legacy?: { amqpUrl: string; exchange: string };
}

/** Starts `qsl sandbox <args>` in its own process; resolves once it has printed its endpoints. */
export async function startSandboxProcess(args: string[]): Promise<{ endpoints: SandboxEndpoints; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/qsl.ts', 'sandbox', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (c) => reject(new Error(`sandbox exited with ${c}`)));
  });
  return {
    endpoints: JSON.parse(first) as SandboxEndpoints,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Writes a staging target file for the sandbox at `e` (its MVP 1 service queues and rollback action), with `extra`
 * fields on top (e.g. `restore`, `legacy`), into a new temporary directory; returns its path.
 */
export function writeSandboxTarget(e: SandboxEndpoints, name: string, extra: Record<string, unknown> = {}): string {
  const file = join(mkdtempSync(join(tmpdir(), 'qsl-target-')), `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      environment: 'staging',
      gateway: e.gateway,
      admin: e.admin,
      aws: { region: e.region, eventbridgeEndpoint: e.eventbridge, sqsEndpoint: e.sqs },
      queues: { services: MVP1_TOPOLOGY.queues.map((q) => q.name).filter((q) => q !== AUDIT_QUEUE) },
      rollback: { http: { method: 'POST', url: `${e.admin}/admin/rollback` } },
      ...extra,
    }),
  );
  return file;
}
