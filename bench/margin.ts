/**
 * `npm run bench -- margin [--milestones mvp1,mvp3] [--busy N] [--seed S] [--keep DIR]`: how far the embedded
 * sandbox's latency floor sits below the seed's thresholds. Each registered milestone's clean smoke run, first on
 * a quiet machine, then with N busy-loop processes beside it (1 by default: one core taken, as on a shared
 * machine); each run is the real CLI (`qsl run <milestone> --profile smoke`) in its own process.
 *
 * A milestone's ratio is the worst measured/threshold over its latency criteria: the metric criteria measured in
 * ms (thresholds/<milestone>.ts), so a new latency criterion or milestone is picked up without editing this file.
 * The baseline is the threshold itself; a ratio of 1 is the threshold, so a verdict can only flip to NO-GO under
 * load when the ratio nears 1. Targets on 2 cores: worst <= 0.35 quiet, busy_worst <= 0.6.
 * Last line: `margin worst=<ratio> busy_worst=<ratio> mvp1=<quiet>/<busy> mvp2=... mvp3=...`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MILESTONES } from '../lib/milestones/index.js';
import type { Criterion, Summary } from '../lib/verdict/types.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** A run that takes longer than this is stopped (and its busy loops end by themselves too). */
const RUN_TIMEOUT_MS = 10 * 60_000;

/** The criteria a milestone's latency floor shows in: metric criteria measured in ms with an upper bound. */
export function latencyCriteria(criteria: readonly Criterion[]): Criterion[] {
  return criteria.filter((c) => c.selector.kind === 'metric' && c.unit === 'ms' && (c.comparator === '<' || c.comparator === '<='));
}

/** Worst measured/threshold over the latency criteria of one run; null when one of them was not measured. */
export function worstRatio(
  latency: readonly Criterion[],
  summary: Pick<Summary, 'criteria'>,
): { ratio: number | null; worst: string | null } {
  let ratio = 0;
  let worst: string | null = null;
  for (const c of latency) {
    const result = summary.criteria.find((r) => r.id === c.id);
    const measured = result?.measured;
    if (measured === null || measured === undefined || !Number.isFinite(measured)) return { ratio: null, worst: c.id };
    // The threshold the run was judged by (a criterion may have one per profile).
    const r = measured / (result?.threshold ?? c.threshold);
    if (worst === null || r > ratio) {
      ratio = r;
      worst = c.id;
    }
  }
  return { ratio: worst === null ? null : ratio, worst };
}

export interface MilestoneMargin {
  milestone: string;
  quiet: number | null;
  busy: number | null;
}

const fmt = (r: number | null): string => (r === null ? 'n/a' : r.toFixed(2));

/** Worst of a list of ratios; null (unmeasured) wins, since an unmeasured margin is no margin. */
function worstOf(values: ReadonlyArray<number | null>): number | null {
  if (values.length === 0 || values.some((v) => v === null)) return null;
  return Math.max(...(values as number[]));
}

/** The bench's last line. */
export function marginLine(rows: readonly MilestoneMargin[]): string {
  const parts = rows.map((r) => `${r.milestone}=${fmt(r.quiet)}/${fmt(r.busy)}`);
  return `margin worst=${fmt(worstOf(rows.map((r) => r.quiet)))} busy_worst=${fmt(worstOf(rows.map((r) => r.busy)))} ${parts.join(' ')}`;
}

/** One process spinning on a core until killed (or, bounded, until `ms` has passed). */
function startBusyLoop(ms: number): ChildProcess {
  const code = `const end = Date.now() + ${ms}; let x = 0; while (Date.now() < end) { for (let i = 0; i < 1e6; i++) x = (x + i) | 0; }`;
  return spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
}

async function runSmoke(
  milestone: string,
  out: string,
  seed: number,
): Promise<{ exitCode: number | null; summary: Summary | null; seconds: number }> {
  const t = performance.now();
  mkdirSync(out, { recursive: true });
  // The run's console output goes to a file beside its reports (printed when the run gives no summary).
  const log = openSync(join(out, 'console.log'), 'w');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'scripts/qsl.ts'), 'run', milestone, '--profile', 'smoke', '--seed', String(seed), '--out', out],
    {
      cwd: root,
      stdio: ['ignore', log, log],
    },
  );
  const timer = setTimeout(() => child.kill('SIGINT'), RUN_TIMEOUT_MS);
  const exitCode = await new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  clearTimeout(timer);
  closeSync(log);
  const file = join(out, 'summary.json');
  const summary = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Summary) : null;
  if (!summary) process.stderr.write(readFileSync(join(out, 'console.log'), 'utf8'));
  return { exitCode, summary, seconds: (performance.now() - t) / 1000 };
}

export async function main(args: string[]): Promise<void> {
  const only = option(args, '--milestones')?.split(',').filter(Boolean);
  const busy = int(option(args, '--busy') ?? '1', '--busy', 0);
  const seed = int(option(args, '--seed') ?? '1', '--seed', 0);
  const keep = option(args, '--keep');
  const unknown = (only ?? []).filter((id) => !(id in MILESTONES));
  if (unknown.length || only?.length === 0)
    throw new Error(`--milestones: unknown ${unknown.join(', ') || '(none given)'}; known: ${Object.keys(MILESTONES).join(', ')}`);
  const ids = Object.keys(MILESTONES).filter((id) => !only || only.includes(id));
  const withoutLatency = ids.filter((id) => latencyCriteria(MILESTONES[id]!.criteria).length === 0);
  if (withoutLatency.length) console.log(`not run (no latency criterion in thresholds/): ${withoutLatency.join(', ')}`);
  const measured = ids.filter((id) => !withoutLatency.includes(id));
  if (measured.length === 0) throw new Error(`none of ${ids.join(', ')} has a latency criterion to measure`);

  const dir = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'qsl-margin-'));
  const rows: MilestoneMargin[] = measured.map((milestone) => ({ milestone, quiet: null, busy: null }));
  let failed = false;
  try {
    for (const mode of ['quiet', 'busy'] as const) {
      if (mode === 'busy' && busy === 0) continue;
      for (const row of rows) {
        const latency = latencyCriteria(MILESTONES[row.milestone]!.criteria);
        const loops = mode === 'busy' ? Array.from({ length: busy }, () => startBusyLoop(RUN_TIMEOUT_MS)) : [];
        let run: Awaited<ReturnType<typeof runSmoke>>;
        try {
          run = await runSmoke(row.milestone, join(dir, `${row.milestone}-${mode}`), seed);
        } finally {
          for (const l of loops) l.kill();
        }
        const { ratio, worst } = run.summary ? worstRatio(latency, run.summary) : { ratio: null, worst: null };
        row[mode] = ratio;
        const values = latency
          .map((c) => {
            const r = run.summary?.criteria.find((x) => x.id === c.id);
            const m = r?.measured;
            return `${c.id} ${m === null || m === undefined ? 'n/a' : `${+m.toFixed(2)} ${c.unit}`} (${c.comparator} ${r?.threshold ?? c.threshold})`;
          })
          .join(', ');
        const verdict = run.summary
          ? `${run.summary.verdict}${run.summary.undecided ? ' (undecided)' : ''}`
          : `no summary (exit ${run.exitCode})`;
        console.log(
          `${row.milestone} ${mode}${mode === 'busy' ? ` (${busy} busy loop${busy === 1 ? '' : 's'})` : ''}: ${verdict} in ${run.seconds.toFixed(0)} s; ${values}; ratio ${fmt(ratio)}${worst ? ` (${worst})` : ''}`,
        );
        if (!run.summary || ratio === null) failed = true;
      }
    }
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
    else console.log(`run directories kept in ${dir}`);
  }
  console.log(`targets on 2 cores: worst <= 0.35, busy_worst <= 0.6`);
  console.log(marginLine(rows));
  if (failed) process.exitCode = 1;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i !== -1 ? args[i + 1] : args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

function int(raw: string, name: string, min: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}: expected an integer >= ${min}, got ${raw}`);
  return n;
}
