import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ForcedFailureHook as ForcedFailureHookShape } from '../contract/index.js';
import { createError } from '../errors/index.js';
import { describeZodIssues } from './schema-errors.js';

const url = z.url({ message: 'expected an absolute URL such as "https://staging.example.com"' });

const RollbackAction = z.union([
  z.strictObject({
    http: z.strictObject({
      method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
      url,
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
    }),
  }),
  z.strictObject({ command: z.string().min(1, 'give the shell command that performs the action, e.g. "./emergency-rollback.sh 1"') }),
]);

/**
 * MVP 2's forced-failure hook: a request header naming the step (`X-Force-Failure: settle`), or magic amounts
 * (minor units) that make the environment fail that step.
 */
export const ForcedFailureHook: z.ZodType<ForcedFailureHookShape> = z.union([
  z.strictObject({ header: z.string().regex(/^[A-Za-z0-9-]+$/, 'expected an HTTP header name such as "X-Force-Failure"') }),
  z.strictObject({
    magicAmounts: z.strictObject({
      validate: z.number().int().positive(),
      settle: z.number().int().positive(),
      confirm: z.number().int().positive(),
    }),
  }),
]);
// The shape is lib/contract's (k6 reads it from QSL_FORCED_FAILURE); the annotation keeps the schema in step.
export type ForcedFailureHook = ForcedFailureHookShape;

/** MVP 4's cost model inputs (see docs/soak-and-cost.md). */
export const CostTargets = z.strictObject({
  /** Business operations per month to extrapolate the measured cost per operation to. */
  monthlyOperations: z.number().int().positive('expected the monthly number of business operations, e.g. 20000000'),
  /** What the legacy (RabbitMQ) messaging costs per month, USD. */
  legacyMonthlyUsd: z.number().positive('expected the legacy monthly cost in USD, e.g. 2400'),
  /** The reduction the migration must achieve, percent of the legacy cost. */
  reductionTargetPct: z.number().min(0).max(100),
  /** A price file other than pricing/aws-us-east-1.json (same shape), relative to the working directory. */
  pricingFile: z.string().min(1).optional(),
});
export type CostTargets = z.infer<typeof CostTargets>;

/**
 * A real environment the harness can run against. Credentials never go here: the AWS SDK takes
 * them from the standard chain (environment, profile, SSO, instance role).
 */
export const TargetSchema = z.strictObject({
  name: z.string().min(1),
  environment: z.string().min(1, 'label the environment, e.g. "staging" or "production"'),
  gateway: url,
  /** The platform's admin/read API (health, flags, notifications, legacy tap): see lib/sandbox/openapi.yaml. */
  admin: url,
  aws: z.strictObject({
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region such as "eu-west-1"'),
    eventbridgeEndpoint: url.optional(),
    sqsEndpoint: url.optional(),
    /** Stage 1 (`--stack`): CloudFormation and IAM endpoint overrides (an emulator such as moto). */
    cloudformationEndpoint: url.optional(),
    iamEndpoint: url.optional(),
    /**
     * Stage 1 on an emulator: resource types its CloudFormation does not create (moto 5.2: AWS::SQS::QueuePolicy).
     * Their resources are not required in the stack's listing, their effect is checked instead, and the lines say so.
     */
    cloudformationUnsupported: z
      .array(z.string().regex(/^AWS::\w+::\w+$/, 'expected a resource type such as "AWS::SQS::QueuePolicy"'))
      .optional(),
  }),
  eventBus: z.string().min(1).default('qsl-core'),
  queues: z
    .strictObject({
      /** No longer read: the harness taps the bus with its own run-scoped rule and queue. Accepted so older files still load. */
      audit: z.string().min(1).optional(),
      /** Service queues whose DLQ depth is reported. */
      services: z.array(z.string().min(1)).default([]),
    })
    .default({ services: [] }),
  journal: z.strictObject({ url }).optional(),
  /**
   * The legacy RabbitMQ side: the harness binds its own exclusive auto-delete queue to this topic exchange.
   * Credentials come from QSL_AMQP_USER / QSL_AMQP_PASS, never from this file.
   */
  legacy: z
    .strictObject({
      amqpUrl: z
        .string()
        .regex(/^amqps?:\/\/[^/]+/, 'expected an AMQP URL such as "amqps://rabbitmq.staging.example.com"')
        .refine(
          (v) => !/^amqps?:\/\/[^/@]*@/.test(v),
          'put no credentials in the target file: set QSL_AMQP_USER and QSL_AMQP_PASS in the environment',
        ),
      exchange: z.string().min(1).default('qsl.events'),
    })
    .optional(),
  /** MVP 3: the blockchain networks the platform broadcasts to (default: what GET /api/networks lists). */
  networks: z
    .array(z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected a network id such as "ethereum"'))
    .min(1)
    .optional(),
  rollback: RollbackAction,
  /**
   * Undoes the rollback after the drill (same shapes as `rollback`). Without it the harness puts back the flags it
   * found at the start through the admin API (PUT /admin/flags); either way it then checks the flags and the
   * EventBridge flow, and fails the run loudly if the target was not restored.
   */
  restore: RollbackAction.optional(),
  /**
   * The seed's `emergency-rollback.sh <stage>` per stage (`"1"`, `"2"`, ...; `"*"`: any other stage), used by
   * `watch` when an auto-rollback trigger fires. `{stage}` in a command, URL or body string is replaced by the
   * stage. Absent: `rollback` with `{stage}` replaced.
   */
  stageRollback: z
    .record(z.string(), RollbackAction)
    .superRefine((stages, ctx) => {
      for (const key of Object.keys(stages)) {
        if (!/^([1-9]|\*)$/.test(key))
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `"${key}" is not a stage: use a stage number such as "1", or "*" for every other stage`,
          });
      }
    })
    .optional(),
  /** How the environment lets a test force a payment saga step to fail (MVP 2 saga scenario). */
  forcedFailure: ForcedFailureHook.optional(),
  /** MVP 4 cost targets: the monthly volume to extrapolate to and the legacy cost to beat. */
  cost: CostTargets.optional(),
});

export type TargetFile = z.infer<typeof TargetSchema>;

/** The resolved target a run works against: a file's target, or the embedded sandbox. */
export interface Target {
  name: string;
  environment: string;
  sandbox: boolean;
  gateway: string;
  admin: string;
  region: string;
  eventbridgeEndpoint?: string;
  sqsEndpoint?: string;
  cloudformationEndpoint?: string;
  iamEndpoint?: string;
  /** Resource types the endpoint's CloudFormation does not create (see TargetSchema). */
  cloudformationUnsupported?: string[];
  eventBus: string;
  serviceQueues: string[];
  journalUrl?: string;
  /** The legacy exchange the harness taps; absent: the platform's admin legacy tap (the in-process sandbox bus). */
  legacy?: { amqpUrl: string; exchange: string };
  networks?: string[];
  rollback: TargetFile['rollback'] | { sandbox: true };
  /** Absent: the harness restores through PUT {admin}/admin/flags with the flags it found. */
  restore?: TargetFile['rollback'] | { sandbox: true };
  /** Per-stage emergency rollback (see TargetSchema.stageRollback). */
  stageRollback?: Record<string, TargetFile['rollback']>;
  /** How to force a payment saga failure; absent: the environment offers no hook. */
  forcedFailure?: ForcedFailureHook;
  /** MVP 4 cost targets (the sandbox uses example figures). */
  cost?: CostTargets;
}

export function targetFromFile(file: TargetFile): Target {
  return {
    name: file.name,
    environment: file.environment,
    sandbox: false,
    gateway: file.gateway.replace(/\/$/, ''),
    admin: file.admin.replace(/\/$/, ''),
    region: file.aws.region,
    eventbridgeEndpoint: file.aws.eventbridgeEndpoint,
    sqsEndpoint: file.aws.sqsEndpoint,
    ...(file.aws.cloudformationEndpoint ? { cloudformationEndpoint: file.aws.cloudformationEndpoint } : {}),
    ...(file.aws.iamEndpoint ? { iamEndpoint: file.aws.iamEndpoint } : {}),
    ...(file.aws.cloudformationUnsupported ? { cloudformationUnsupported: file.aws.cloudformationUnsupported } : {}),
    eventBus: file.eventBus,
    serviceQueues: file.queues.services,
    journalUrl: file.journal?.url,
    ...(file.legacy ? { legacy: { amqpUrl: file.legacy.amqpUrl, exchange: file.legacy.exchange } } : {}),
    ...(file.networks ? { networks: file.networks } : {}),
    rollback: file.rollback,
    ...(file.restore ? { restore: file.restore } : {}),
    ...(file.stageRollback ? { stageRollback: file.stageRollback } : {}),
    ...(file.forcedFailure ? { forcedFailure: file.forcedFailure } : {}),
    ...(file.cost ? { cost: file.cost } : {}),
  };
}

/** Reads and validates a target file; errors name the field and the fix. */
export function loadTargetFile(path: string): Target {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const why =
      (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : `it is not valid JSON (${(e as Error).message})`;
    throw createError(
      'QSL_CONFIG_INVALID',
      `cannot read target file ${path}: ${why}. Pass --target with a JSON file shaped like targets/staging.example.json, or omit --target to use the embedded sandbox.`,
    );
  }
  const parsed = TargetSchema.safeParse(raw);
  if (!parsed.success) {
    throw createError(
      'QSL_CONFIG_INVALID',
      `target file ${path} is invalid:\n  ${describeZodIssues(parsed.error).join('\n  ')}\nFix these fields (see targets/staging.example.json for a complete example) and run again.`,
    );
  }
  return targetFromFile(parsed.data);
}

/** What a run is about to do to the target, for the production guard. */
export interface RunIntent {
  load: boolean;
  faults: readonly string[];
  forcedFailures: boolean;
  rollbackDrill: boolean;
  /** MVP 2 without --baseline: a phase on the legacy path (flags rolled back, then restored). */
  legacyBaseline?: boolean;
}

/**
 * A target labelled `production` gets no load, faults, forced failures or rollback drills unless
 * the operator said --i-know-this-is-production.
 */
export function guardProduction(target: Target, intent: RunIntent, acknowledged: boolean): void {
  if (target.environment.toLowerCase() !== 'production' || acknowledged) return;
  const what = [
    intent.load && 'load',
    intent.faults.length > 0 && `faults (${intent.faults.join(', ')})`,
    intent.forcedFailures && 'forced failures',
    intent.rollbackDrill && 'a rollback drill',
    intent.legacyBaseline && 'a legacy-path baseline phase (its flags rolled back, then restored)',
  ].filter(Boolean);
  if (what.length === 0) return;
  throw createError(
    'QSL_PRODUCTION_GUARD',
    `target "${target.name}" is labelled production and this run would apply ${what.join(', ')} to it. ` +
      'Run against staging instead, or add --i-know-this-is-production if that is really intended.',
  );
}
