/** The SSE soak: clients, bus witness, checkpoints and the `sse-stability` probe (see docs/soak-and-cost.md). */
export { runSoak, CHECKPOINT_FILE, type SoakOptions } from './run.js';
export { readCheckpoint, sseStability } from './evaluate.js';
export type { SoakUser } from './clients.js';
export type { SoakCheckpoint, SoakCounters } from './stats.js';
export { signUpSoakUsers } from './users.js';
