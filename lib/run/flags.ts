/**
 * The command line's flags, declared once: each subcommand picks the shared ones it takes, and the options type of
 * a subcommand follows from the declarations it picks (`FlagValues`). Values are parsed and range-checked here, so
 * a bad value stops the CLI with QSL_USAGE_INVALID before anything is started or written.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { SANDBOX_PORT_COUNT } from '../sandbox/index.js';

interface FlagSpec<T> {
  flags: string;
  description: string;
  parse?: (raw: string, previous: T) => T;
  default?: T;
  choices?: readonly string[];
}

// A table of flags of different value types (any: each entry keeps its own T through `flag<T>()`).
type AnyFlags = Record<string, FlagSpec<any>>;

/** Declares a flag whose parsed value has type T (undefined when absent and without a default). */
function flag<T>(spec: FlagSpec<T>): FlagSpec<T> {
  return spec;
}

function wholeNumber(name: string, max = Number.MAX_SAFE_INTEGER) {
  return (raw: string): number => {
    if (!/^\d+$/.test(raw) || Number(raw) > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from 0 to ${max}, got "${raw}".`);
    }
    return Number(raw);
  };
}

const MAX_PORT_BASE = 65536 - SANDBOX_PORT_COUNT;

/** Flags several subcommands take. */
export const SHARED_FLAGS = {
  portBase: flag<number | undefined>({
    flags: '--port-base <n>',
    description: `sandbox ports: gateway n, eventbridge n+1, sqs n+2, admin n+3; 0 or absent: random free ports (n <= ${MAX_PORT_BASE})`,
    parse: wholeNumber('--port-base', MAX_PORT_BASE),
  }),
  seed: flag<number>({
    flags: '--seed <n>',
    description: 'seed for generated data and fault sampling (reproducible runs)',
    parse: wholeNumber('--seed', 2 ** 32 - 1),
    default: 1,
  }),
  fault: flag<string[]>({
    flags: '--fault <name=value>',
    description: 'inject a fault into the sandbox (repeatable); see the list below',
    parse: (v, acc) => [...acc, v],
    default: [],
  }),
  target: flag<string | undefined>({
    flags: '--target <file>',
    description: 'a target file (targets/<name>.json) describing a real environment; default: the embedded sandbox',
  }),
  out: flag<string | undefined>({
    flags: '--out <dir>',
    description: 'where to write raw results and reports (default reports/<milestone>-<UTC timestamp>/)',
  }),
  baseline: flag<string | undefined>({
    flags: '--baseline <summary.json>',
    description: 'compare with an earlier run: delta columns and the "performance degradation > 20%" criterion',
  }),
  legacy: flag<'in-process' | 'rabbitmq'>({
    flags: '--legacy <bus>',
    description: "the sandbox's legacy bus: in-process (needs nothing) or rabbitmq (a real broker at --amqp-url)",
    choices: ['in-process', 'rabbitmq'],
    default: 'in-process',
  }),
  amqpUrl: flag<string>({ flags: '--amqp-url <url>', description: 'the RabbitMQ of --legacy rabbitmq', default: 'amqp://localhost' }),
} satisfies AnyFlags;

/** Flags of `qsl run` alone. */
export const RUN_FLAGS = {
  profile: flag<'smoke' | 'full'>({
    flags: '--profile <profile>',
    description: "smoke: same scenarios and criteria, shortened for CI; full: the seed's sizes",
    choices: ['smoke', 'full'],
    default: 'full',
  }),
  iKnowThisIsProduction: flag<boolean | undefined>({
    flags: '--i-know-this-is-production',
    description: 'allow load, faults and drills against a target labelled production',
  }),
  segments: flag<number>({
    flags: '--segments <n>',
    description: 'run each scenario as n k6 processes (execution segments), merged into one verdict (docs/scale-out.md)',
    parse: wholeNumber('--segments', 64),
    default: 1,
  }),
} satisfies AnyFlags;

/** Flags of `qsl k8s` alone (with `--target`, `--out`, `--seed` and `--profile`). */
export const K8S_FLAGS = {
  profile: RUN_FLAGS.profile,
  parallelism: flag<number | undefined>({
    flags: '--parallelism <n>',
    description: 'runner pods per scenario (k6 execution segments); required',
    parse: wholeNumber('--parallelism', 64),
  }),
  namespace: flag<string>({
    flags: '--namespace <ns>',
    description: 'Kubernetes namespace of the TestRuns, ConfigMaps and results volume',
    default: 'default',
  }),
  image: flag<string | undefined>({ flags: '--image <image>', description: 'runner image (default grafana/k6 at the pinned k6 version)' }),
  storageClass: flag<string | undefined>({
    flags: '--storage-class <name>',
    description: 'storage class of the ReadWriteMany results volume',
  }),
  iKnowThisIsProduction: flag<boolean | undefined>({
    flags: '--i-know-this-is-production',
    description: 'allow load and drills against a target labelled production',
  }),
} satisfies AnyFlags;

/** Flags of `qsl collect` alone (with `--target`). */
export const COLLECT_FLAGS = {
  results: flag<string[]>({
    flags: '--results <dir>',
    description: "a folder with the runners' NDJSON files (repeatable)",
    parse: (v, acc) => [...acc, v],
    default: [],
  }),
  during: flag<boolean | undefined>({
    flags: '--during',
    description: 'start before applying the TestRuns: observe live (event taps, rollback drill, health) and wait for every runner file',
  }),
  quietMs: flag<number | undefined>({
    flags: '--quiet-ms <n>',
    description: '--during: runner files are complete once none grew for this long (default 20000)',
    parse: wholeNumber('--quiet-ms'),
  }),
  timeoutMs: flag<number | undefined>({
    flags: '--timeout-ms <n>',
    description: '--during: stop waiting for runner files after this long (default 6 h)',
    parse: wholeNumber('--timeout-ms'),
  }),
  iKnowThisIsProduction: flag<boolean | undefined>({
    flags: '--i-know-this-is-production',
    description: 'allow the rollback drill against a target labelled production',
  }),
} satisfies AnyFlags;

/** `5000ms`, `60s`, `30m`, `24h` -> milliseconds. */
function duration(name: string) {
  return (raw: string): number => {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(raw.trim());
    if (!m || Number(m[1]) <= 0) throw new InvalidArgumentError(`${name} must be a duration such as 60s, 30m or 24h, got "${raw}".`);
    return Math.round(Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h']);
  };
}

/** MVP 4's soak size on `qsl run mvp4` (the profile's when absent). */
export const SOAK_RUN_FLAGS = {
  soakDuration: flag<number | undefined>({
    flags: '--soak-duration <duration>',
    description: "mvp4: how long the SSE soak holds its clients, e.g. 60s, 30m, 24h (default: the profile's, smoke 60s, full 24h)",
    parse: duration('--soak-duration'),
  }),
  soakClients: flag<number | undefined>({
    flags: '--soak-clients <n>',
    description: 'mvp4: SSE clients the soak holds (default: smoke 50, full 500)',
    parse: wholeNumber('--soak-clients', 100_000),
  }),
} satisfies AnyFlags;

/** Flags of `qsl soak` alone. */
export const SOAK_FLAGS = {
  duration: flag<number>({
    flags: '--duration <duration>',
    description: 'how long to hold the SSE clients, e.g. 60s, 30m, 24h',
    parse: duration('--duration'),
    default: 24 * 3_600_000,
  }),
  clients: flag<number>({
    flags: '--clients <n>',
    description: 'SSE clients to hold',
    parse: wholeNumber('--clients', 100_000),
    default: 500,
  }),
} satisfies AnyFlags;

/** Flags of `qsl sandbox` alone. */
export const SANDBOX_FLAGS = {
  milestone: flag<string>({
    flags: '--milestone <id>',
    description: "which milestone's services, queues and flags to start",
    default: 'mvp1',
  }),
  flags: flag<string | undefined>({
    flags: '--flags <file>',
    description: "feature flags JSON (default: the milestone's, e.g. flags/mvp1.json)",
  }),
} satisfies AnyFlags;

/** Flags of `qsl reconcile` alone. */
export const RECONCILE_FLAGS = {
  runId: flag<string | undefined>({
    flags: '--run-id <id>',
    description: "only this harness run's payments, accounts and ledger transactions (default: everything)",
  }),
} satisfies AnyFlags;

/** `qsl stage1`'s own flags. */
export const STAGE1_FLAGS = {
  stack: flag<string | undefined>({
    flags: '--stack <name>',
    description:
      "the plan's CloudFormation stack (qsl-eventbridge-mvp) on the target: adds the stack, permission and DLQ-reader checks (needs --target)",
  }),
} satisfies AnyFlags;

/** The parsed options of a set of flag declarations. */
export type FlagValues<F extends AnyFlags> = { [K in keyof F]: F[K] extends FlagSpec<infer T> ? T : never };

/** Adds the given declarations to a command; returns it for chaining. */
export function addFlags<F extends AnyFlags>(cmd: Command, flags: F): Command {
  for (const spec of Object.values(flags) as FlagSpec<unknown>[]) {
    const o = new Option(spec.flags, spec.description);
    if (spec.choices) o.choices(spec.choices);
    if (spec.parse) o.argParser(spec.parse as (raw: string, previous: unknown) => unknown);
    if (spec.default !== undefined) o.default(spec.default);
    cmd.addOption(o);
  }
  return cmd;
}

/** Picks some of the shared flags. */
export function sharedFlags<K extends keyof typeof SHARED_FLAGS>(...names: K[]): Pick<typeof SHARED_FLAGS, K> {
  return Object.fromEntries(names.map((n) => [n, SHARED_FLAGS[n]])) as Pick<typeof SHARED_FLAGS, K>;
}
