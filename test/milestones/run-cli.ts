import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CriterionResult, Summary } from '../../lib/verdict/types.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  dir: string;
  summary: Summary | null;
  criterion(id: string): CriterionResult;
}

/**
 * Runs the real CLI (`node --import tsx scripts/qsl.ts ...`) as a user would, with real k6 and the
 * embedded sandbox, and reads back what it wrote.
 */
export async function runCli(args: string[], opts: { outName?: string; env?: NodeJS.ProcessEnv; onOutput?: (chunk: string, child: import('node:child_process').ChildProcess) => void } = {}): Promise<CliRun> {
  const dir = join(mkdtempSync(join(tmpdir(), 'qsl-it-')), opts.outName ?? 'run');
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/qsl.ts', ...args, '--out', dir], {
    env: { ...process.env, CI: 'true', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString();
    opts.onOutput?.(b.toString(), child);
  });
  const code = await new Promise<number | null>((res) => child.on('close', res));
  const file = join(dir, 'summary.json');
  const summary = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Summary) : null;
  return {
    code,
    stdout,
    stderr,
    dir,
    summary,
    criterion(id) {
      const c = summary?.criteria.find((x) => x.id === id);
      if (!c) throw new Error(`criterion ${id} not in summary (exit ${code}); stderr:\n${stderr.slice(-3000)}`);
      return c;
    },
  };
}

/** A failure message with the run's console output, for when an expectation about a run fails. */
export function explain(r: CliRun): string {
  return `exit ${r.code}\n${r.stdout.slice(-2500)}\n${r.stderr.slice(-2500)}`;
}
