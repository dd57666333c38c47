import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explain, runCli } from './run-cli.js';
import { startSandboxProcess, writeSandboxTarget } from './sandbox-process.js';

// The sandbox started on its own (`npm run sandbox`) stands in for a staging environment: the harness
// reaches it only through a target file, the AWS SDK's standard credential chain and HTTP, as it
// would reach staging. The secret must not leak into anything the run writes.
const SECRET = 'qslTestSecretValue-9f3c2a71';

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

describe('mvp1 against a target file', () => {
  it(
    'runs unchanged against a separately started platform, leaves its flags as found and keeps credentials out of every output',
    { timeout: 240_000 },
    async () => {
      const sandbox = await startSandboxProcess(['--flags', 'flags/mvp1.json']);
      try {
        const e = sandbox.endpoints;
        // An older file's audit queue still loads (ignored); the restore action puts the flags back.
        const target = writeSandboxTarget(e, 'local-staging', {
          queues: { audit: 'qsl-audit', services: ['qsl-orchestration', 'qsl-user', 'qsl-notification'] },
          restore: { http: { method: 'POST', url: `${e.admin}/admin/restore` } },
        });
        const flagsBefore = await (await fetch(`${e.admin}/admin/flags`)).json();
        const r = await runCli(['run', 'mvp1', '--profile', 'smoke', '--target', target], {
          outName: 'target-file',
          env: { AWS_ACCESS_KEY_ID: 'AKIAQSLTESTACCESSKEY', AWS_SECRET_ACCESS_KEY: SECRET },
        });
        expect(r.code, explain(r)).toBe(0);
        expect(r.summary!.target).toEqual({ name: 'local-staging', environment: 'staging', sandbox: false });
        expect(r.summary!.probes['rollback-drill'].details?.action).toBe(`POST ${e.admin}/admin/rollback`);
        // Leave no trace: the drill rolled the target back, the run restored it.
        expect(r.summary!.probes['target-restored'].details?.action).toBe(`POST ${e.admin}/admin/restore`);
        expect(await (await fetch(`${e.admin}/admin/flags`)).json()).toEqual(flagsBefore);

        for (const f of allFiles(r.dir)) expect(readFileSync(f, 'utf8').includes(SECRET), f).toBe(false);
        expect(r.stdout + r.stderr).not.toContain(SECRET);
      } finally {
        await sandbox.stop();
      }
    },
  );
});
