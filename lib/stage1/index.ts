// Stage 1 validation (`qsl stage1`): the seed's infrastructure-only stage checked through the AWS APIs.
export { runStage1, STAGE1_TOPOLOGY } from './run.js';
export type { Stage1RunOptions } from './run.js';
export type { Stage1Result, Stage1Row } from './validate.js';
