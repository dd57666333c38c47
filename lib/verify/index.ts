// Node-side probes of what k6 cannot see: queues, notifications, both buses, the rollback drill.
export { EventTap, type TappedEvent, type PlatformEvent } from './event-tap.js';
export { readHealth, servicesHealthy, type HealthSnapshot } from './services-healthy.js';
export { notificationsDelivered, readOwedNotifications, type OwedNotifications } from './notifications-delivered.js';
export { shadowDivergence, differingFields } from './shadow-divergence.js';
export { runRollbackDrill, drillResult, type DrillRecord, type DrillOptions } from './rollback-drill.js';
export { performStageRollback } from './rollback-action.js';
export { queueDepths } from './queue-depths.js';
export { fetchJson } from './http-json.js';
export { orProbeFailure } from './probe-failure.js';
export { networkSuccess, pqcValidationTime } from './network-success.js';
export { tokenSupply } from './token-supply.js';
export { journalCapture, type JournalSource } from './journal-completeness.js';
export { countJournal } from './journal-capture.js';
export { readLedgerSnapshot, settledLedgerSnapshot, type LedgerSnapshot } from './ledger-snapshot.js';
export { reconcileLedger, type ReconciliationPlan } from './ledger-reconciliation.js';
export { parallelValidation } from './ledger-parallel-validation.js';
export { sagaCompensation } from './saga-compensation.js';
export { createRunQueue, eventBridgeClientFor, tapName, type RunQueue } from './run-tap.js';
