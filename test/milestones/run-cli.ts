import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { validateSummary } from '../../lib/report/index.js';
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
export async function runCli(
  args: string[],
  opts: {
    outName?: string;
    env?: NodeJS.ProcessEnv;
    onOutput?: (chunk: string, child: import('node:child_process').ChildProcess) => void;
  } = {},
): Promise<CliRun> {
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

/** A clean run: exit 0, GO, every criterion measured and passing (skipped ones excepted), a valid summary. */
export function expectCleanGo(r: CliRun, milestone: string): void {
  expect(r.code, explain(r)).toBe(0);
  expect(r.summary!.verdict).toBe('GO');
  for (const c of r.summary!.criteria) {
    if (c.skipped) continue;
    expect(c.measured, `${c.id} measured`).not.toBeNull();
    expect(c.pass, `${c.id} pass`).toBe(true);
  }
  expect(validateSummary(r.summary)).toEqual({ ok: true });
  expect(r.stdout).toMatch(new RegExp(`${milestone} verdict: GO`));
}

/** A fault run: exit 1, NO-GO, the named criterion failing with its measured value on the console. */
export function expectNoGoOn(r: CliRun, criterion: string): void {
  expect(r.code, explain(r)).toBe(1);
  expect(r.summary!.verdict).toBe('NO-GO');
  const c = r.criterion(criterion);
  expect(c.pass).toBe(false);
  expect(r.stdout).toMatch(new RegExp(`FAIL\\s+${criterion}`));
  expect(r.stdout).toMatch(new RegExp(`failing: .*${criterion}`));
}

/**
 * The whole criteria vector of a fault run: NO-GO (exit 1), exactly the criteria in `failing` fail (each with the
 * reason the fault must break it), and every other criterion is measured and passes (those in `mayFail` excepted).
 */
export function expectVector(r: CliRun, failing: Readonly<Record<string, string>>, mayFail: Readonly<Record<string, string>> = {}): void {
  expect(r.code, explain(r)).toBe(1);
  expect(r.summary!.verdict).toBe('NO-GO');
  // `mayFail`: criteria the fault breaks only when its deterministic gate happens to hit a particular request (named with why).
  const vector = Object.fromEntries(
    r.summary!.criteria.filter((c) => !c.skipped && !(c.id in mayFail)).map((c) => [c.id, c.pass ? 'pass' : 'FAIL']),
  );
  const expected = Object.fromEntries(Object.keys(vector).map((id) => [id, id in failing ? 'FAIL' : 'pass']));
  const notes = r.summary!.criteria.map((c) => `${c.id}: ${c.pass ? 'pass' : 'FAIL'} ${c.measured} ${c.note ?? ''}`).join('\n');
  expect(vector, `criteria vector\n${notes}`).toEqual(expected);
  for (const id of Object.keys(failing)) {
    expect(r.criterion(id).pass, id).toBe(false);
    expect(r.stdout).toMatch(new RegExp(`FAIL\\s+${id}`));
  }
  for (const c of r.summary!.criteria)
    if (!c.skipped && !(c.id in failing) && !(c.id in mayFail)) expect(c.measured, `${c.id} measured`).not.toBeNull();
}

/** summary.json and the reports are derived: deleted and re-rendered from the raw results, the verdict and values stay. */
export function expectRerenderSame(r: CliRun): void {
  for (const f of ['summary.json', 'report.html', 'junit.xml']) rmSync(join(r.dir, f));
  const again = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/qsl.ts', 'report', r.dir], { encoding: 'utf8' });
  expect(again.status, again.stderr).toBe(r.code);
  const rerendered = JSON.parse(readFileSync(join(r.dir, 'summary.json'), 'utf8')) as Summary;
  expect(rerendered.verdict).toBe(r.summary!.verdict);
  expect(rerendered.criteria.map((c) => [c.id, c.measured])).toEqual(r.summary!.criteria.map((c) => [c.id, c.measured]));
  expect(existsSync(join(r.dir, 'report.html'))).toBe(true);
}

/** A smoke run with fault knobs injected (`--fault` per knob), written to a directory named after them. */
export function runWithFaults(base: string[], knobs: string[], extra: string[] = []): Promise<CliRun> {
  return runCli([...base, ...knobs.flatMap((k) => ['--fault', k]), ...extra], { outName: knobs.join('-').replace(/[^a-z0-9]+/gi, '-') });
}
