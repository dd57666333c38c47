// Stage 1 validation (`qsl stage1`): the seed's infrastructure-only stage checked through the AWS APIs, and the plan's
// CloudFormation template (`npm run infra`) generated from the same topology.
export { runStage1, STAGE1_TOPOLOGY } from './run.js';
export type { Stage1RunOptions } from './run.js';
export type { Stage1Result, Stage1Row } from './validate.js';
export { stage1Template, templateResources, serviceRoles, logicalIds } from './template.js';
export { evaluateAccess, openStatements, parsePolicyDocument } from './policy.js';
export type { NamedPolicy } from './policy.js';

/** Where the plan keeps the template (`infra/aws/qsl-eventbridge.template.json`), relative to the project root. */
export const TEMPLATE_FILE = 'infra/aws/qsl-eventbridge.template.json';
