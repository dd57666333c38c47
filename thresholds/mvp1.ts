/**
 * MVP 1 "Basic Operations": the seed's success criteria, Go/No-Go rules and decision matrix as data.
 * One source for the harness's verdict and the k6 thresholds it generates.
 */
import type { Criterion } from '../lib/verdict/index.js';

export const mvp1Criteria: Criterion[] = [
  {
    id: 'error-rate',
    description: 'Error rate < 0.1%',
    rule: 'failed HTTP requests / all HTTP requests over the whole run (k6 http_req_failed)',
    selector: { kind: 'metric', metric: 'http_req_failed', stat: 'rate' },
    comparator: '<',
    threshold: 0.001,
    unit: 'ratio',
    hint: 'Look at the per-request table for the endpoint with errors, then at that service\'s logs and 5xx responses.',
  },
  {
    id: 'p95-latency',
    description: 'P95 latency < 200ms',
    rule: 'p95 of http_req_duration over all scenarios, from merged HDR histograms',
    selector: { kind: 'metric', metric: 'http_req_duration', stat: 'p95' },
    comparator: '<',
    threshold: 200,
    unit: 'ms',
    hint: 'Find the slowest request names in the per-request table and the second in the p95 chart where latency rose.',
  },
  {
    id: 'notifications-delivered',
    description: 'All notifications delivered',
    rule: 'delivered / expected notifications for every signup and profile update of this run id (100%)',
    selector: { kind: 'probe', probe: 'notifications-delivered' },
    comparator: '>=',
    threshold: 1,
    unit: 'ratio',
    hint: 'Check the NotificationService queue and its DLQ, and the list of undelivered event ids in the probe details.',
  },
  {
    id: 'services-healthy',
    description: 'All 4 services deployed successfully (NO-GO if any service fails to start)',
    rule: 'Orchestration, User, Notification and Gateway report healthy before and after the run',
    selector: { kind: 'probe', probe: 'services-healthy' },
    comparator: '==',
    threshold: 1,
    unit: 'bool',
    hint: 'The probe details list which service was unhealthy, and when (before or after the run).',
  },
  {
    id: 'shadow-divergence',
    description: 'Shadow mode validation shows < 0.1% divergence',
    rule: 'of the events published to both buses (shadow sample and parallel mode), the fraction missing or different on the EventBridge side',
    selector: { kind: 'probe', probe: 'shadow-divergence' },
    comparator: '<',
    threshold: 0.001,
    unit: 'ratio',
    hint: 'The probe details list divergent event ids with the differing fields; check the EventBridge rules, targets and the audit queue.',
  },
  {
    id: 'rollback-drill',
    description: 'Rollback tested successfully (Rollback Time: 5 minutes)',
    rule: 'during steady load the rollback action sets migrated services to false; within 5 minutes new events flow only on the legacy bus, and the error rate during the drill stays <= 1%',
    selector: { kind: 'probe', probe: 'rollback-drill' },
    comparator: '<=',
    threshold: 300,
    unit: 's',
    hint: 'The drill timeline shows when the action ran and which EventBridge events still appeared after it; check the flag store and the rollback action itself.',
  },
];

