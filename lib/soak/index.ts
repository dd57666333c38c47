/** The SSE soak: clients, bus witness, checkpoints and the `sse-stability` probe (see docs/soak-and-cost.md). */
export { runSoak } from './run.js';
export { againstPlanDuration, overOwnDuration, PLAN_SOAK_MS, readCheckpoint, span, sseStability } from './evaluate.js';
export { signUpSoakUsers } from './users.js';
export { SseClientPool } from './clients.js';
export { emptyCounters, newMsHistogram } from './stats.js';
export type { SoakCheckpoint } from './stats.js';
