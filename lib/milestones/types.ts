import type { SQSClient } from '@aws-sdk/client-sqs';
import type { RunIntent, Target } from '../config/index.js';
import type { RunResults } from '../results/index.js';
import type { Criterion, PhaseStats, ProbeResult, ScenarioOutcome } from '../verdict/index.js';
import type { Sandbox, ServiceFactory, Topology } from '../sandbox/index.js';
import type { K6Env, Profile } from '../contract/index.js';

export type { Profile };

/** The part of the run directory a milestone uses: `data`, for the files it hands to k6, and the raw results to read back. */
export interface DataDir {
  readonly data: string;
  /** The raw k6 results written so far (probes read what k6 recorded, e.g. the successes it saw). */
  rawFiles(): string[];
}

export interface MilestoneContext {
  runId: string;
  profile: Profile;
  target: Target;
  dir: DataDir;
  sqs: SQSClient;
  /** Aborted on Ctrl-C: long waits end early. */
  signal: AbortSignal;
  seed: number;
  log: (line: string) => void;
  /** The embedded sandbox when the target is the sandbox (in-process handles such as the journal), else null. */
  sandbox: Sandbox | null;
  /** The harness's own directory (price files and the like). */
  projectRoot: string;
  /** MVP 4's soak size from the command line (`--soak-duration`, `--soak-clients`); the profile's when absent. */
  soak?: { durationMs?: number; clients?: number };
  /** The target's flags as found at the start of the run (GET {admin}/admin/flags), null when unreadable: what a restore puts back. */
  flagsFound: Record<string, unknown> | null;
  /** A --baseline summary was given: compare with it instead of measuring a baseline phase. */
  hasBaseline: boolean;
  /** Runs a scenario bundle as a phase of its own: raw results kept apart from the measured scenarios'. */
  runPhase(req: PhaseRequest): Promise<PhaseRun>;
}

export interface PhaseRequest {
  /** Phase name: its raw files are raw/phases/<phase>.ndjson. */
  phase: string;
  /** The scenario bundle to run. */
  scenario: string;
  /** k6 environment on top of the run's (e.g. its own run id). */
  env: K6Env;
  plannedMs: number;
  /** Aborting stops the phase's k6 gracefully (its results are kept): an interruption. */
  signal?: AbortSignal;
  /** The planned end of a background load, once the work beside it is done: the same graceful stop, completed. */
  stop?: AbortSignal;
}

export interface PhaseRun {
  outcome: Omit<ScenarioOutcome, 'requests' | 'errorRate' | 'p95'>;
  results: RunResults | null;
}

/** What writing a milestone's k6 test data needs (no live connection: k8s manifests are written from it too). */
export type K6DataContext = Pick<MilestoneContext, 'runId' | 'profile' | 'seed' | 'dir' | 'target' | 'log'>;

/** One run of a milestone, opened after the target is up and before the first scenario. */
export interface MilestoneSession {
  /** Extra k6 environment (data files and the like) for every scenario: names from lib/contract's QSL_ENV. */
  k6Env: K6Env;
  /** Work beside a scenario's k6 process. */
  during?(scenario: string, signal: AbortSignal): Promise<void> | null;
  /** A phase before the measured scenarios (MVP 2: the legacy-path baseline). */
  before?(): Promise<void>;
  /** A phase after the measured scenarios, before the probes (MVP 1: the rollback drill). */
  after?(): Promise<void>;
  /** The run's phases side by side for the report, once the k6 results are read. */
  phases?(results: RunResults | null): PhaseStats[];
  /** Probe results once the scenarios are done and their k6 results are read. */
  probes(results: RunResults | null, opts: { interrupted: boolean }): Promise<Record<string, ProbeResult>>;
  /** Why this run cannot decide, when the session lost sight of part of the target (e.g. the legacy broker went away). */
  undecided?(): string | undefined;
  close(): Promise<void>;
}

export interface MilestoneDefinition {
  id: string;
  title: string;
  criteria: readonly Criterion[];
  /** Feature flags the sandbox starts with (the seed's FeatureManagement shape). */
  flagsFile: string;
  /** Run order, with the planned duration per profile for progress display. */
  scenarios: ReadonlyArray<{ name: string; plannedMs: Record<Profile, number> }>;
  /** Services whose health is read before and after the run (the `services-healthy` probe). */
  services: readonly string[];
  /** What the run does to the target (production guard). */
  intent: Omit<RunIntent, 'faults'>;
  /** Go/No-Go includes "performance degradation > 20%" (reported as not evaluated without --baseline). */
  degradationCriterion?: boolean;
  /** What the embedded sandbox starts for this milestone (default: MVP 1's topology and services). */
  sandbox?: { topology?: Topology; services?: readonly ServiceFactory[] };
  /**
   * Writes the run's k6 test data (seeded: the same run id and seed write the same data) and returns
   * the extra k6 environment for every scenario; values naming files are shipped with the bundles on
   * k6-operator. `open` hands the same environment to local runs. Absent when the k6 part needs live set-up first
   * (MVP 4 signs up its soak users against the target): such a milestone does not run on k6-operator yet.
   */
  k6Data?(ctx: K6DataContext): Promise<K6Env>;
  /**
   * Probes whose evidence is only seen live, while the scenarios run (an event tap, a drill), by
   * probe id -> the step that provides it. `npm run collect` without `--during` reports them unmeasured.
   */
  liveEvidence?: Readonly<Record<string, string>>;
  open(ctx: MilestoneContext): Promise<MilestoneSession>;
  /** Whose scenarios/<id>/ folder to bundle (a milestone running a subset of another's scenarios). Default: id. */
  bundleOf?: string;
  /** Completes probes.json when a run died before writing it (e.g. a soak killed with SIGKILL: its checkpoints). */
  rederiveProbes?(dataDir: string, probes: Record<string, ProbeResult>): Record<string, ProbeResult>;
}
