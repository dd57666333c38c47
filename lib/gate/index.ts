// Flagger's canary webhooks answered by the harness: smoke milestones and the seed's live rollback triggers.
export { GATE_HOOKS, type GateHook, type GateOptions, type SmokeVerdict, type HookAnswer } from './gate.js';
export { parseFlaggerPayload } from './payload.js';
export { registerGateCommand } from './command.js';
