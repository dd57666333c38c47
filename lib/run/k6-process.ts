import { spawn } from 'node:child_process';
import { createWriteStream, openSync, readSync, closeSync, existsSync, fstatSync } from 'node:fs';
import type { ScenarioOutcome } from '../verdict/index.js';
import type { ScenarioProgress } from './progress.js';
import { segmentArgs, segmentSuffix } from './segments.js';

/** k6's exit codes (go.k6.io/k6 errext/exitcodes) that the harness tells apart. */
export const K6_EXIT = {
  ok: 0,
  thresholdsFailed: 99,
  invalidConfig: 104,
  externalAbort: 105,
  scriptException: 107,
  scriptAborted: 108,
} as const;

export interface K6RunSpec {
  k6Path: string;
  bundle: string;
  scenario: string;
  /** Raw results: `--out json=<file>`. */
  outFile: string;
  /** k6's own stdout+stderr (including its end-of-test summary). */
  logFile: string;
  env: Record<string, string>;
  /** Extra `k6 run` arguments (e.g. execution segment flags). */
  args?: readonly string[];
  progress?: ScenarioProgress;
  /** Aborting sends k6 one SIGINT: it stops gracefully and flushes its results (an interruption). */
  signal?: AbortSignal;
  /** The planned end of a background load (the harness's work beside it is done): the same graceful stop, completed. */
  stop?: AbortSignal;
}

export type K6Outcome = Omit<ScenarioOutcome, 'requests' | 'errorRate' | 'p95'>;

/** Maps k6's exit code to the harness's scenario status. */
export function classifyK6Exit(code: number | null, interrupted: boolean): ScenarioOutcome['status'] {
  if (interrupted) return 'interrupted';
  switch (code) {
    case K6_EXIT.ok:
      return 'completed';
    case K6_EXIT.thresholdsFailed:
      return 'thresholds-crossed';
    case K6_EXIT.externalAbort:
      return 'interrupted';
    case K6_EXIT.scriptAborted:
      return 'aborted';
    default:
      return 'script-error';
  }
}

/** Counts finished HTTP requests by tailing the NDJSON file k6 is writing (cheap: a prefix match per line). */
export class RequestCounter {
  private offset = 0;
  private carry = '';
  count = 0;
  constructor(private readonly file: string) {}
  poll(): number {
    if (!existsSync(this.file)) return this.count;
    const fd = openSync(this.file, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size <= this.offset) return this.count;
      const buf = Buffer.alloc(Math.min(size - this.offset, 8 << 20));
      const n = readSync(fd, buf, 0, buf.length, this.offset);
      this.offset += n;
      const text = this.carry + buf.toString('utf8', 0, n);
      const lines = text.split('\n');
      this.carry = lines.pop() ?? '';
      for (const l of lines) if (l.startsWith('{"metric":"http_reqs","type":"Point"')) this.count++;
      return this.count;
    } finally {
      closeSync(fd);
    }
  }
}

/** Last k6 error lines (level=error), for a script error message. */
function errorLines(log: string): string {
  const lines = log.split('\n').filter((l) => /level=error/.test(l) || /^\s*(ERRO|Error|SyntaxError|TypeError|ReferenceError)/.test(l));
  return lines
    .slice(-5)
    .map((l) => l.replace(/^time="[^"]*"\s*/, ''))
    .join('\n');
}

/**
 * Runs one scenario bundle with `k6 run --out json=...`. k6 gets its own process group so a
 * terminal Ctrl-C reaches only the harness, which forwards exactly one SIGINT (k6 treats a second
 * one as "abort now, drop results").
 */
export async function runK6(spec: K6RunSpec): Promise<K6Outcome> {
  const started = Date.now();
  const log = createWriteStream(spec.logFile);
  let tail = '';
  const child = spawn(
    spec.k6Path,
    ['run', '--no-color', '--quiet', '--no-usage-report', '--out', `json=${spec.outFile}`, ...(spec.args ?? []), spec.bundle],
    {
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  const capture = (b: Buffer) => {
    log.write(b);
    tail = (tail + b.toString()).slice(-20_000);
  };
  child.stdout.on('data', capture);
  child.stderr.on('data', capture);

  // Ctrl-C (`signal`) and the planned end (`stop`) both send one SIGINT; a run that saw Ctrl-C is interrupted either way.
  let interrupted = false;
  let stopped = false;
  const sigint = (planned: boolean) => () => {
    if (planned) stopped = true;
    else interrupted = true;
    if (child.exitCode === null) child.kill('SIGINT');
  };
  const onAbort = sigint(false);
  const onStop = sigint(true);
  if (spec.signal?.aborted) onAbort();
  spec.signal?.addEventListener('abort', onAbort, { once: true });
  if (spec.stop?.aborted) onStop();
  spec.stop?.addEventListener('abort', onStop, { once: true });
  // If the harness itself dies, k6 must not linger in its own process group.
  const killOnExit = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const counter = new RequestCounter(spec.outFile);
  const ticker = setInterval(() => spec.progress?.update(Date.now() - started, counter.poll()), 1000);

  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c));
  }).finally(() => {
    clearInterval(ticker);
    spec.signal?.removeEventListener('abort', onAbort);
    spec.stop?.removeEventListener('abort', onStop);
    process.removeListener('exit', killOnExit);
  });
  await new Promise<void>((r) => log.end(r));

  // Stopped as planned (not interrupted): k6 reports its graceful stop as an external abort.
  const plannedStop = stopped && !interrupted && code === K6_EXIT.externalAbort;
  const status = plannedStop ? 'completed' : classifyK6Exit(code, interrupted);
  const durationMs = Date.now() - started;
  const requests = counter.poll();
  const how = plannedStop ? 'stopped as planned' : status;
  spec.progress?.stop(`  ${spec.scenario}: ${how} in ${(durationMs / 1000).toFixed(1)} s, ${requests} requests (k6 exit ${code})`);
  const outcome: K6Outcome = { name: spec.scenario, status, k6ExitCode: code, durationMs };
  if (status === 'script-error' || status === 'aborted')
    outcome.message = errorLines(tail) || `k6 exited with code ${code}; see ${spec.logFile}`;
  return outcome;
}

const SEVERITY: ReadonlyArray<ScenarioOutcome['status']> = ['completed', 'thresholds-crossed', 'interrupted', 'aborted', 'script-error'];

/** One scenario's outcome from its k6 processes (execution segments): the worst status, the longest duration. */
export function combineK6Outcomes(name: string, parts: readonly K6Outcome[]): K6Outcome {
  if (parts.length === 1) return parts[0]!;
  const worst = parts.reduce((w, p) => (SEVERITY.indexOf(p.status) > SEVERITY.indexOf(w.status) ? p : w));
  const messages = parts.flatMap((p, i) => (p.message ? [`segment ${i + 1}: ${p.message}`] : []));
  const out: K6Outcome = {
    name,
    status: worst.status,
    k6ExitCode: worst.k6ExitCode,
    durationMs: Math.max(...parts.map((p) => p.durationMs ?? 0)),
  };
  if (messages.length) out.message = messages.join('\n');
  return out;
}

/**
 * Runs a scenario as `segments` k6 processes at once (execution segments over the same full
 * sequence), each writing its own NDJSON next to the others; one process when segments is 1.
 */
export async function runK6Segments(
  spec: K6RunSpec,
  segments: number,
  files: (suffix: string) => { outFile: string; logFile: string },
): Promise<K6Outcome> {
  const parts = await Promise.all(
    Array.from({ length: segments }, (_, i) => {
      const suffix = segmentSuffix(i, segments);
      const quiet: ScenarioProgress = { update() {}, stop: (line) => spec.progress?.stop(line) };
      return runK6({
        ...spec,
        ...files(suffix),
        scenario: segments > 1 ? `${spec.scenario}[${i + 1}/${segments}]` : spec.scenario,
        args: [...(spec.args ?? []), ...segmentArgs(i, segments)],
        // One progress bar (the first process's); the others print their final line only.
        progress: i === 0 ? spec.progress : spec.progress && quiet,
      });
    }),
  );
  return combineK6Outcomes(spec.scenario, parts);
}
