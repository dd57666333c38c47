/**
 * lib/verdict: the whole verdict assembly. Criteria (thresholds/<milestone>.ts) are evaluated on k6 results and
 * probe results (vetoes included), a baseline adds its deltas and the degradation criterion, and GO / NO-GO (or
 * undecided) follows. Also the k6 thresholds derived from the same criteria and the seed's rollback-trigger windows.
 * This file is the folder's public face.
 */
export type * from './types.js';
export { summarize, exitCodeOf, type SummarizeInput } from './summarize.js';
export { compare, decideVerdict, evaluateCriteria, readMetric, undecidedReason } from './evaluate.js';
export {
  compareWithBaseline,
  notEvaluatedDegradation,
  overallOf,
  relativeChange,
  DEGRADATION_ID,
  DEFAULT_MAX_DEGRADATION,
  DEFAULT_ERROR_RATE_FLOOR,
  type BaselineOptions,
  type BaselineComparison,
} from './baseline.js';
export { k6ThresholdsFor } from './k6-thresholds.js';
export { deliveryTotals, evaluateRollbackTriggers, ROLLBACK_TRIGGERS, TriggerWindows, type DeliveryTotals, type TriggerSecond, type TriggerState } from './rollback-triggers.js';
export { formatNumber } from './format.js';
