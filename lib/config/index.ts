/**
 * lib/config: what a run is pointed at and configured with: target files (schema, production guard) and
 * feature-flag files (the seed's FeatureManagement shape). This file is the folder's public face.
 */
export { guardProduction, loadTargetFile, type CostTargets, type RunIntent, type Target, type TargetFile } from './target.js';
export {
  defaultFeatureFlags,
  loadFeatureFlags,
  parseFeatureFlags,
  rolledBack,
  type FeatureFlags,
  type FlaggedService,
} from './feature-flags.js';
export { describeZodIssues } from './schema-errors.js';
