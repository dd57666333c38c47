/**
 * lib/verdict: the whole verdict assembly. Criteria (thresholds/<milestone>.ts) are evaluated on k6 results and
 * probe results (vetoes included), a baseline adds its deltas and the degradation criterion, and GO / NO-GO (or
 * undecided) follows. Also the k6 thresholds derived from the same criteria and the seed's rollback-trigger windows.
 * This file is the folder's public face.
 */
export type * from './types.js';
export { summarize, exitCodeOf } from './summarize.js';
export { checkBaselineComparable, compareWithBaseline, notEvaluatedDegradation, DEFAULT_MAX_DEGRADATION } from './baseline.js';
export { comparisonSampleOf, DEFAULT_LATENCY_FLOOR_MS, judgeDegradation, subjectsOf } from './compare.js';
export { k6ThresholdsFor } from './k6-thresholds.js';
export {
  deliveryTotals,
  evaluateRollbackTriggers,
  NOTIFICATIONS_PROBE,
  TriggerWindows,
  type NotificationsDeliveredDetails,
  type TriggerState,
  type TriggerSecond,
  type UndeliveredNotification,
} from './rollback-triggers.js';
export { formatNumber } from './format.js';
export { cleanRunBound, criterionSample, type CriterionSample } from './minimum-sample.js';
