import type { SQSClient } from '@aws-sdk/client-sqs';
import type { RunIntent, Target } from '../config/target.js';
import type { RunResults } from '../results/index.js';
import type { Criterion, PhaseStats, ProbeResult } from '../verdict/types.js';
import type { K6Outcome } from '../run/k6-process.js';
import type { RunDir } from '../run/run-dir.js';
import type { Sandbox, ServiceFactory, Topology } from '../sandbox/index.js';

export type Profile = 'smoke' | 'full';

export interface MilestoneContext {
  runId: string;
  profile: Profile;
  target: Target;
  dir: RunDir;
  sqs: SQSClient;
  /** Aborted on Ctrl-C: long waits end early. */
  signal: AbortSignal;
  seed: number;
  log: (line: string) => void;
  /** The embedded sandbox when the target is the sandbox (in-process handles such as the journal), else null. */
  sandbox: Sandbox | null;
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
  /** k6 environment on top of the run's (e.g. its own QSL_RUN_ID). */
  env: Record<string, string>;
  plannedMs: number;
  /** Aborting stops the phase's k6 gracefully (its results are kept). */
  signal?: AbortSignal;
}

export interface PhaseRun {
  outcome: K6Outcome;
  results: RunResults | null;
}

/** One run of a milestone, opened after the target is up and before the first scenario. */
export interface MilestoneSession {
  /** Extra k6 environment (data files and the like) for every scenario. */
  k6Env: Record<string, string>;
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
  open(ctx: MilestoneContext): Promise<MilestoneSession>;
}
