// Node-side probes of what k6 cannot see: queues, notifications, both buses, the rollback drill.
export { EventTap, type TappedEvent, type PlatformEvent } from './event-tap.js';
export { readHealth, servicesHealthy, type HealthSnapshot } from './services-healthy.js';
export { notificationsDelivered } from './notifications-delivered.js';
export { shadowDivergence, differingFields } from './shadow-divergence.js';
export { runRollbackDrill, drillResult, type DrillRecord, type DrillOptions } from './rollback-drill.js';
export { performRollback } from './rollback-action.js';
export { queueDepths } from './queue-depths.js';
export { fetchJson } from './http-json.js';
