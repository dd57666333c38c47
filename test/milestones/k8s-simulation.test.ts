import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { validateSummary } from '../../lib/report/index.js';
import { ensureK6 } from '../../lib/run/k6-binary.js';
import type { RunMeta } from '../../lib/run/run-dir.js';
import type { Summary } from '../../lib/verdict/types.js';
import { startSandboxProcess, writeSandboxTarget } from './sandbox-process.js';

// A 3-runner k6-operator run, simulated on this machine: `npm run k8s` writes the run directory, each
// TestRun becomes three real k6 processes started exactly as the operator starts its runner pods (the
// TestRun's env and arguments, the ConfigMap's files at the script mount, the execution-segment
// arguments of runner i), writing NDJSON into a results folder; `npm run collect --during` watches
// live (event tap, rollback drill, health) and derives the full verdict; collecting again counts once.

interface Cli {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<Cli> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/qsl.ts', ...args], {
    env: { ...process.env, CI: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const done = new Promise<Cli>((res) => child.on('close', (code) => res({ code, stdout, stderr })));
  return { child, done };
}

const explain = (r: Cli) => `exit ${r.code}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`;

describe('k6-operator run simulated locally (3 runners per scenario)', () => {
  it('npm run k8s, three k6 processes per TestRun, npm run collect: a full verdict, collected once', { timeout: 300_000 }, async () => {
    const k6 = await ensureK6({ projectRoot: process.cwd(), build: false });
    const sandbox = await startSandboxProcess(['--flags', 'flags/mvp1.json']);
    try {
      const e = sandbox.endpoints;
      const work = mkdtempSync(join(tmpdir(), 'qsl-k8s-sim-'));
      const target = writeSandboxTarget(e, 'cluster-staging');
      const awsEnv = { AWS_ACCESS_KEY_ID: 'sandbox', AWS_SECRET_ACCESS_KEY: 'sandbox' };
      const dir = join(work, 'run');
      const k8s = await cli([
        'k8s',
        'mvp1',
        '--parallelism',
        '3',
        '--profile',
        'smoke',
        '--target',
        target,
        '--namespace',
        'qa',
        '--out',
        dir,
      ]).done;
      expect(k8s.code, explain(k8s)).toBe(0);
      const meta = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunMeta;
      const plan = meta.plan!;

      // The live observation starts before the first TestRun is applied.
      const results = join(work, 'results');
      mkdirSync(results);
      const collect = cli(['collect', dir, '--during', '--results', results, '--quiet-ms', '8000', '--timeout-ms', '240000'], awsEnv);

      for (const s of plan.scenarios) {
        const docs = (f: string) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as Record<string, any>);
        const [tr] = docs(s.manifest);
        const [cm] = docs(s.manifest.replace('-testrun', '-script').replace('/20-', '/10-'));
        // What k6-operator mounts at /test: the ConfigMap's files.
        const mount = join(work, 'mount', s.name);
        mkdirSync(mount, { recursive: true });
        for (const [name, text] of Object.entries(cm!.data as Record<string, string>)) writeFileSync(join(mount, name), text);
        const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
        for (const v of tr!.spec.runner.env as Array<{ name: string; value?: string }>)
          if (v.value !== undefined) env[v.name] = v.value.replace(/^\/test\//, `${mount}/`);
        const runners = Array.from({ length: tr!.spec.parallelism as number }, (_, i) => {
          const args = (tr!.spec.arguments as string)
            .replace('/results/', `${results}/`)
            .replace('$(POD_NAME)', `runner-${i + 1}`)
            .split(' ');
          const p = spawn(
            k6.path,
            ['run', '--quiet', '--no-color', ...args, ...s.runnerArgs[i]!, join(mount, tr!.spec.script.configMap.file as string)],
            { env, stdio: ['ignore', 'pipe', 'pipe'] },
          );
          let log = '';
          p.stdout!.on('data', (b: Buffer) => (log = (log + b.toString()).slice(-4000)));
          p.stderr!.on('data', (b: Buffer) => (log = (log + b.toString()).slice(-4000)));
          return new Promise<{ code: number | null; log: string }>((res) => p.on('close', (code) => res({ code, log })));
        });
        // A runner checks the thresholds on its own share only (99 when one is crossed there): the
        // verdict is decided on the merged results, as with k6-operator.
        for (const r of await Promise.all(runners)) expect([0, 99], `${s.name} runner exited ${r.code}:\n${r.log}`).toContain(r.code);
      }

      const r = await collect.done;
      expect(r.code, explain(r)).toBe(0);
      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;
      expect(summary.verdict).toBe('GO');
      expect(validateSummary(summary)).toEqual({ ok: true });
      for (const c of summary.criteria) {
        if (c.skipped) continue;
        expect(c.measured, `${c.id} measured`).not.toBeNull();
        expect(c.pass, `${c.id} pass`).toBe(true);
      }
      expect(summary.probes['rollback-drill']!.details?.action).toBe(`POST ${e.admin}/admin/rollback`);
      expect(summary.probes['shadow-divergence']!.details?.compared).toBeGreaterThan(50);
      expect(summary.scenarios.map((s) => s.status)).toEqual(['completed', 'completed', 'completed']);
      expect(readdirSync(join(dir, 'raw')).filter((f) => f.endsWith('.ndjson'))).toHaveLength(9);
      const requests = summary.scenarios.map((x) => x.requests);
      expect(requests.every((n) => n > 0)).toBe(true);

      // Collecting again, with one file also copied under another name: nothing is counted twice,
      // and what only the live observation saw (drill, tap, health) is kept.
      const again = join(work, 'results-again');
      mkdirSync(again);
      copyFileSync(join(results, 'load-runner-1.ndjson'), join(again, 'load-copy.ndjson'));
      const r2 = await cli(['collect', dir, '--results', results, '--results', again], awsEnv).done;
      expect(r2.code, explain(r2)).toBe(0);
      const summary2 = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;
      expect(summary2.scenarios.map((x) => x.requests)).toEqual(requests);
      expect(summary2.criteria.map((c) => [c.id, c.pass])).toEqual(summary.criteria.map((c) => [c.id, c.pass]));
      expect((JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunMeta).collected).toHaveLength(9);
    } finally {
      await sandbox.stop();
    }
  });
});
