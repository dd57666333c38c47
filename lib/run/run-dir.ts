import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createError } from '../errors/index.js';
import type { ProbeResult, RunMeta } from '../verdict/index.js';

export type { RunMeta };

export type { CollectedFile, K8sPlan } from '../verdict/index.js';

/** The layout of one run directory. */
export class RunDir {
  constructor(readonly root: string) {}
  get raw(): string {
    return join(this.root, 'raw');
  }
  get data(): string {
    return join(this.root, 'data');
  }
  /** `suffix` tells apart the k6 processes of one scenario (execution segments, runners). */
  rawResults(scenario: string, suffix = ''): string {
    return join(this.raw, `${scenario}${suffix}.ndjson`);
  }
  k6Log(scenario: string, suffix = ''): string {
    return join(this.raw, `${scenario}${suffix}.k6.log`);
  }
  /** A phase's raw results (raw/phases/): kept apart from the measured scenarios', which rawFiles() lists. */
  phaseResults(phase: string): string {
    return join(this.raw, 'phases', `${phase}.ndjson`);
  }
  phaseK6Log(phase: string): string {
    return join(this.raw, 'phases', `${phase}.k6.log`);
  }
  create(): this {
    mkdirSync(join(this.raw, 'phases'), { recursive: true });
    mkdirSync(this.data, { recursive: true });
    return this;
  }
  /** Written atomically: a crash never leaves half a file. */
  private writeJson(name: string, value: unknown): void {
    const file = join(this.root, name);
    writeFileSync(`${file}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
  }
  writeMeta(meta: RunMeta): void {
    this.writeJson('run.json', meta);
  }
  writeProbes(probes: Record<string, ProbeResult>): void {
    this.writeJson('probes.json', probes);
  }
  readMeta(): RunMeta {
    const file = join(this.root, 'run.json');
    if (!existsSync(file)) {
      throw createError(
        'QSL_RUN_DIR_INVALID',
        `${this.root} has no run.json: pass a directory written by a milestone run (e.g. reports/mvp1-<timestamp>/).`,
      );
    }
    return JSON.parse(readFileSync(file, 'utf8')) as RunMeta;
  }
  readProbes(): Record<string, ProbeResult> {
    const file = join(this.root, 'probes.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, ProbeResult>) : {};
  }
  rawFiles(): string[] {
    if (!existsSync(this.raw)) return [];
    return readdirSync(this.raw)
      .filter((f) => f.endsWith('.ndjson'))
      .sort()
      .map((f) => join(this.raw, f));
  }
}

/** `20261130T091500Z`: the UTC time a run started, as run ids and default run directory names carry it. */
export function runTimestamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** A new run's id: `<milestone>-<UTC start>-<6 hex>`, unique across runs against one environment. */
export function newRunId(milestone: string, started: Date): string {
  return `${milestone}-${runTimestamp(started)}-${randomBytes(3).toString('hex')}`;
}

/** The `run.json` a run starts with (every scenario not run yet), for `qsl run` and `qsl k8s` alike. */
export function newRunMeta(o: {
  milestone: string;
  scenarios: readonly { name: string }[];
  profile: RunMeta['profile'];
  runId: string;
  target: { name: string; environment: string; sandbox: boolean };
  started: Date;
  projectRoot: string;
  k6Version: string;
  faults: string[];
}): RunMeta {
  return {
    schemaVersion: 1,
    milestone: o.milestone,
    profile: o.profile,
    runId: o.runId,
    target: { name: o.target.name, environment: o.target.environment, sandbox: o.target.sandbox },
    startedAt: o.started.toISOString(),
    finishedAt: null,
    interrupted: false,
    versions: {
      harness: (JSON.parse(readFileSync(join(o.projectRoot, 'package.json'), 'utf8')) as { version: string }).version,
      k6: o.k6Version,
      node: process.version,
    },
    flags: null,
    faults: o.faults,
    scenarios: o.scenarios.map((s) => ({
      name: s.name,
      status: 'not-run',
      k6ExitCode: null,
      requests: 0,
      errorRate: null,
      p95: null,
      durationMs: null,
    })),
  };
}
