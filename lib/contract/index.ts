/**
 * lib/contract: what crosses from Node to k6, declared once. Types and constants only, no imports: the Node side
 * (tsconfig.json) and the k6 side (scenarios/tsconfig.json, bundled by esbuild) both compile this file, so a shape
 * changed here is checked on both sides of the process boundary.
 *
 * The harness hands k6 its inputs as environment variables (names below) and JSON files (shapes below), which the
 * scenarios read with `__ENV` and `open()` into SharedArrays.
 */

/**
 * Every environment variable the harness sets for a k6 scenario (or a user may set for a manual run). An enum, not an
 * object: the k6 bundler inlines its members, so no VU builds a table of names it would keep for the run.
 */
export enum QSL_ENV {
  /** `smoke` | `full`: the scenario's sizes. */
  profile = 'QSL_PROFILE',
  /** The run id every request carries (`X-Run-Id`) and every event is correlated by. */
  runId = 'QSL_RUN_ID',
  /** Base URL of the platform's gateway. */
  gatewayUrl = 'QSL_GATEWAY_URL',
  /** JSON {@link K6Thresholds}, derived from thresholds/<milestone>.ts. */
  thresholds = 'QSL_THRESHOLDS',
  /** Path of an {@link IdentitiesFile} (MVP 1). */
  identities = 'QSL_DATA',
  /** Path of a {@link PaymentPlan} file (MVP 2). */
  paymentData = 'QSL_PAYMENT_DATA',
  /** JSON {@link ForcedFailureHook}, or empty when the target offers no hook (MVP 2). */
  forcedFailure = 'QSL_FORCED_FAILURE',
  /** Path of a {@link SignatureFixturesFile} (MVP 3). */
  signatureFixtures = 'QSL_SIGNATURE_FIXTURES',
  /** Path of a {@link SignatureKeysFile} (MVP 3). */
  signatureKeys = 'QSL_SIGNATURE_KEYS',
  /** Comma-separated network ids to broadcast to (MVP 3; default: what the platform lists). */
  networks = 'QSL_NETWORKS',
  /** Manual overrides of MVP 1's load test (duration as k6 takes it, users, requests per minute). */
  loadDuration = 'QSL_LOAD_DURATION',
  loadUsers = 'QSL_LOAD_USERS',
  loadRatePerMinute = 'QSL_LOAD_RATE_PER_MINUTE',
  /** Manual override of MVP 3's signature validations per second. */
  pqcRate = 'QSL_PQC_RATE',
  /** Number of k6 processes a scenario is split over (`--segments`, k6-operator `parallelism`); default 1. */
  segments = 'QSL_SEGMENTS',
  /** `qsl watch`: the steady watch load's requests per second, duration (seconds) and user pool size. */
  watchRate = 'QSL_WATCH_RATE',
  watchDurationSeconds = 'QSL_WATCH_DURATION_SECONDS',
  watchUsers = 'QSL_WATCH_USERS',
  /** Path of a {@link SoakUsersFile} (MVP 4: the users whose SSE streams the harness holds). */
  soakUsers = 'QSL_SOAK_USERS',
  /** MVP 4: how long the soak's event traffic runs (seconds) and its rate (iterations per second). */
  soakSeconds = 'QSL_SOAK_SECONDS',
  soakRate = 'QSL_SOAK_RATE',
}

export type QslEnvName = `${QSL_ENV}`;

/** Environment a milestone adds for its scenarios: only names declared above. */
export type K6Env = Partial<Record<QslEnvName, string>>;

/** `smoke`: same scenarios and criteria, shortened for CI; `full`: the seed's sizes. */
export type Profile = 'smoke' | 'full';

/** k6 `thresholds` keyed by metric (with tag filter), e.g. `{ "http_req_duration": ["p(95)<200"] }`. */
export type K6Thresholds = Record<string, string[]>;

/** MVP 1: a user the scenarios sign up (generated with faker in Node). */
export interface Identity {
  name: string;
  email: string;
  password: string;
  displayName: string;
  phone: string;
}

/** MVP 4: the soak's users, signed up by the harness, one SSE stream each. */
export interface SoakUsersFile {
  users: Array<{ userId: string; token: string }>;
}

export interface IdentitiesFile {
  identities: Identity[];
}

/** MVP 2: a saga step a payment is forced to fail at. */
export type ForcedStep = 'validate' | 'settle' | 'confirm';

export interface PlannedAccount {
  reference: string;
  /** Minor units. */
  openingBalance: number;
}

export interface PlannedPayment {
  reference: string;
  /** Indexes into the scenario's accounts. */
  payer: number;
  payee: number;
  /** Minor units. */
  amount: number;
  force?: ForcedStep;
}

export interface ScenarioPlan {
  accounts: PlannedAccount[];
  payments: PlannedPayment[];
}

export type PaymentScenario = 'payment-flow' | 'ledger-validation' | 'saga';

/** MVP 2's test data by scenario, generated in Node and read by k6 into SharedArrays. */
export type PaymentPlan = Record<PaymentScenario, ScenarioPlan>;

/**
 * MVP 2's forced-failure hook: a request header naming the step (`X-Force-Failure: settle`), or magic amounts
 * (minor units) that make the environment fail that step.
 */
export type ForcedFailureHook = { header: string } | { magicAmounts: Record<ForcedStep, number> };

/** MVP 3: why a signature fixture is expected to pass or fail validation. */
export type FixtureKind = 'valid' | 'flipped-bit' | 'wrong-key' | 'wrong-message' | 'rotated-key';

/** One signature to validate: `signature` over `message`, claimed to be made by `keyId`. */
export interface SignatureFixture {
  id: number;
  keyId: string;
  /** base64 of the message bytes as presented to the validator. */
  message: string;
  /** base64 of the ML-DSA-44 signature (2420 bytes). */
  signature: string;
  expectValid: boolean;
  kind: FixtureKind;
}

/** A public key of the set; keys with `rotatedOut: true` are rejected by the SignatureService. */
export interface FixtureKey {
  keyId: string;
  /** base64 of the ML-DSA-44 public key (1312 bytes). */
  publicKey: string;
  rotatedOut: boolean;
}

/** The file QSL_SIGNATURE_FIXTURES points at (also the fixture cache file). */
export interface SignatureFixturesFile {
  seed: number;
  count: number;
  keys: FixtureKey[];
  fixtures: SignatureFixture[];
}

/** The file QSL_SIGNATURE_KEYS points at. */
export interface SignatureKeysFile {
  keys: FixtureKey[];
}

/**
 * k6 Counter of successes the platform must follow up (one point per success, tagged `user` and `type`): the
 * scenarios record each signup and profile update they saw succeed, and the notifications-delivered probe reads
 * these points back from the raw results. What is owed comes from the run, not from the platform's own account.
 */
export const RECORDED_SUCCESS_METRIC = 'qsl_recorded_success';

/**
 * MVP 3's networks as the plan states them (Stage 4: "InfrastructureService | 6", Test Scenario 1: "Transaction to
 * all 6 networks", Success Criteria: "5/6 networks minimum success"). Plain counts, never scaled to what a target
 * lists: a target with 4 networks is judged against 6, so no broadcast of it can reach 5. Read by the k6 scenario
 * (per broadcast) and by the network-success probe.
 */
export const PLAN_NETWORKS = 6;
export const PLAN_NETWORK_QUORUM = 5;

/** The event types a recorded success stands for: each must reach its user as a notification. */
export type NotifiedEventType = 'UserSignedUp' | 'UserProfileUpdated';
