/**
 * Feature flags in the seed's `FeatureManagement` shape: per service, whether it publishes to EventBridge
 * (`true`), to RabbitMQ only (`false`), to RabbitMQ with a sampled EventBridge copy (`"shadow"`), or to both
 * with RabbitMQ primary (`"parallel"`).
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { createError, type HarnessError } from '../errors/index.js';

/** Every service the seed's flag file names. Services absent from a file default to `false`. */
export const FLAGGED_SERVICES = [
  'OrchestrationService',
  'PaymentGatewayService',
  'QuantumLedger.Hub',
  'UserService',
  'NotificationService',
  'InfrastructureService',
  'TokenService',
  'SignatureService',
  'MarketplaceService',
  'ComplianceService',
  // Not in the seed's flag example, but Stage 5 services that publish events (MVP 4).
  'AIReviewService',
  'GovernanceService',
  'MobileAPIGateway',
  'WebAPIGateway',
  'AdminAPIGateway',
] as const;
export type FlaggedService = (typeof FLAGGED_SERVICES)[number];

export const eventBridgeModeSchema = z.union([z.boolean(), z.literal('shadow'), z.literal('parallel')]);
/** `false` legacy only; `"shadow"` legacy + sampled EB copy; `"parallel"` both; `true` EventBridge only. */
export type EventBridgeMode = z.infer<typeof eventBridgeModeSchema>;

const serviceShape = Object.fromEntries(FLAGGED_SERVICES.map((s) => [s, eventBridgeModeSchema.default(false)])) as {
  [K in FlaggedService]: z.ZodDefault<typeof eventBridgeModeSchema>;
};

export const featureFlagsSchema = z.strictObject({
  FeatureManagement: z.strictObject({
    EventBridge: z.strictObject(serviceShape),
    DualPublishing: z.strictObject({
      /** When false, "shadow" and "parallel" publish to RabbitMQ only (no validation copies). */
      Enabled: z.boolean(),
      /** Percentage (0..100) of events copied to EventBridge in "shadow" mode. */
      ShadowPercentage: z.number().min(0).max(100),
    }),
  }),
});

/** Validated flags (every known service present). */
export type FeatureFlags = z.output<typeof featureFlagsSchema>;
/** Flags as written in a file (services may be omitted). */
export type FeatureFlagsInput = z.input<typeof featureFlagsSchema>;

/** Invalid flags (QSL_FLAGS_INVALID): the message names each offending field, what was expected and what was found; `details` lists them. */
function flagsError(message: string, issues: readonly string[] = []): HarnessError {
  return createError('QSL_FLAGS_INVALID', message, { details: issues });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.') || '(root)';
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => `${path === '(root)' ? '' : `${path}.`}${k}: unknown field; remove it (check the spelling)`).join('\n');
  }
  return `${path}: ${issue.message}`;
}

/**
 * Validate flags data (unknown keys rejected). Returns a frozen copy.
 * @param origin names the source in error messages (a file path, "PUT /admin/flags").
 * @throws HarnessError QSL_FLAGS_INVALID
 */
export function parseFeatureFlags(data: unknown, origin = 'feature flags'): FeatureFlags {
  const result = featureFlagsSchema.safeParse(data);
  if (!result.success) {
    const issues = result.error.issues.map(describeIssue);
    throw flagsError(`invalid ${origin}:\n  ${issues.join('\n  ')}`, issues);
  }
  return deepFreeze(result.data);
}

/** Read and validate a flags JSON file. @throws HarnessError QSL_FLAGS_INVALID */
export async function loadFeatureFlags(file: string): Promise<FeatureFlags> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw flagsError(`cannot read feature flags file ${file}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw flagsError(`feature flags file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  return parseFeatureFlags(data, `feature flags file ${file}`);
}

/** The seed's MVP 1 flags (same content as flags/mvp1.json), the sandbox default. */
export function defaultFeatureFlags(): FeatureFlags {
  return parseFeatureFlags({
    FeatureManagement: {
      EventBridge: {
        OrchestrationService: true,
        PaymentGatewayService: 'shadow',
        UserService: true,
        NotificationService: 'parallel',
      },
      DualPublishing: { Enabled: true, ShadowPercentage: 10 },
    },
  });
}

/** The seed's emergency rollback: every service's EventBridge flag set to `false`. */
export function rolledBack(flags: FeatureFlags): FeatureFlags {
  const eb = Object.fromEntries(Object.keys(flags.FeatureManagement.EventBridge).map((k) => [k, false]));
  return parseFeatureFlags({ FeatureManagement: { ...flags.FeatureManagement, EventBridge: eb } });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
