/**
 * lib/config: what a run is pointed at and configured with: target files (schema, production guard) and
 * feature-flag files (the seed's FeatureManagement shape). This file is the folder's public face.
 */
export {
  ForcedFailureHook,
  TargetSchema,
  guardProduction,
  loadTargetFile,
  targetFromFile,
  type RunIntent,
  type Target,
  type TargetFile,
} from './target.js';
export {
  FLAGGED_SERVICES,
  defaultFeatureFlags,
  eventBridgeModeSchema,
  featureFlagsSchema,
  loadFeatureFlags,
  parseFeatureFlags,
  rolledBack,
  type EventBridgeMode,
  type FeatureFlags,
  type FeatureFlagsInput,
  type FlaggedService,
} from './feature-flags.js';
export { describeZodIssues } from './schema-errors.js';
