import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError } from '../errors/index.js';
import type { ProbeResult, ScenarioOutcome, Summary } from '../verdict/types.js';

/** Everything needed to re-derive a summary, written as the run goes (so a crash still leaves it). */
export interface RunMeta {
  schemaVersion: 1;
  milestone: string;
  profile: Summary['profile'];
  runId: string;
  target: Summary['target'];
  startedAt: string;
  finishedAt: string | null;
  interrupted: boolean;
  undecided?: string;
  versions: Summary['versions'];
  flags: Record<string, unknown> | null;
  faults: string[];
  /** k6 processes per scenario (execution segments); absent = 1. */
  segments?: number;
  /** The criteria the verdict is decided on (written up front by `npm run k8s`). */
  criteria?: string[];
  /** A run planned for k6-operator. */
  plan?: K8sPlan;
  collected?: CollectedFile[];
  /** `npm run collect --during` observed the run live (taps, drill, health before). */
  observedLive?: boolean;
  scenarios: ScenarioOutcome[];
  baselineFile?: string;
}

/** How `npm run k8s` split the run over k6-operator runners; `npm run collect` reads it back. */
export interface K8sPlan {
  kind: 'k6-operator';
  parallelism: number;
  namespace: string;
  seed: number;
  image: string;
  resultsClaim: string;
  /** The target file the manifests were written for (collect probes it). */
  targetFile: string;
  scenarios: Array<{
    name: string;
    testRun: string;
    /** The TestRun manifest, relative to the run directory. */
    manifest: string;
    /** How the script reaches the runners: bundle and data in a ConfigMap, or a k6 archive on the shared volume. */
    script: 'configmap' | 'archive-volume';
    /** `k6 inspect --execution-requirements` maxVUs with the runners' environment. */
    maxVUs: number;
    /** Runner files are `<resultsPrefix>-<pod>.ndjson`. */
    resultsPrefix: string;
    /** The execution-segment arguments k6-operator gives runner i (for running the same split elsewhere). */
    runnerArgs: string[][];
  }>;
}

/** One NDJSON file taken into raw/ by `npm run collect` (by content hash: collecting twice counts once). */
export interface CollectedFile {
  scenario: string;
  file: string;
  sha256: string;
  bytes: number;
}

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
  create(): this {
    mkdirSync(this.raw, { recursive: true });
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
      throw new HarnessError('QSL_RUN_DIR_INVALID', `${this.root} has no run.json: pass a directory written by a milestone run (e.g. reports/mvp1-<timestamp>/).`);
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
