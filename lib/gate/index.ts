// Flagger's canary webhooks answered by the harness: smoke milestones and the seed's live rollback triggers.
export { FlaggerGate, buildGateApp, smokeAutoRollback, GATE_HOOKS, type GateHook, type GateOptions, type SmokeVerdict, type HookAnswer } from './gate.js';
export { parseFlaggerPayload, FlaggerPayload, FLAGGER_PHASES } from './payload.js';
export { registerGateCommand } from './command.js';
