/**
 * MVP 1 "Basic Operations": the seed's success criteria, Go/No-Go rules and decision matrix as data.
 * One source for the harness's verdict and the k6 thresholds it generates.
 */
import type { Criterion, SampleNeed } from '../lib/verdict/index.js';

/**
 * Test Scenario 3, "Load Test: 100 concurrent users, 1000 requests/minute": the whole load run at that rate on its
 * 100 VUs, none of its iterations dropped for want of a VU (10 min in full, 30 s in smoke).
 */
const LOAD_SAMPLE: readonly SampleNeed[] = [
  { what: 'load-test iterations at 1,000/min', metric: 'iterations', tags: { scenario: 'load' }, atLeast: { smoke: 500, full: 10_000 } },
  { what: 'dropped load-test iterations', metric: 'dropped_iterations', tags: { scenario: 'load' }, atMost: 0 },
];

export const mvp1Criteria: Criterion[] = [
  {
    id: 'error-rate',
    description:
      'MVP 1 Success Criteria: "Error rate < 0.1%". Shown beside it, Deployment Decision Matrix: "Error rate <1%", and MVP 1 NO-GO if: "Error rate >1%"; the stricter 0.1% decides.',
    rule: 'failed HTTP requests / all HTTP requests over the whole run (k6 http_req_failed)',
    selector: { kind: 'metric', metric: 'http_req_failed', stat: 'rate' },
    comparator: '<',
    threshold: 0.001,
    unit: 'ratio',
    hint: "Look at the per-request table for the endpoint with errors, then at that service's logs and 5xx responses.",
    sample: LOAD_SAMPLE,
  },
  {
    id: 'p95-latency',
    description: 'MVP 1 Success Criteria: "P95 latency < 200ms"; Deployment Decision Matrix: "Latency <200ms".',
    rule: 'p95 of http_req_duration over all scenarios, from merged HDR histograms',
    selector: { kind: 'metric', metric: 'http_req_duration', stat: 'p95' },
    comparator: '<',
    threshold: 200,
    unit: 'ms',
    hint: 'Find the slowest request names in the per-request table and the second in the p95 chart where latency rose.',
    sample: LOAD_SAMPLE,
  },
  {
    id: 'notifications-delivered',
    description: 'MVP 1 Success Criteria: "All notifications delivered".',
    rule: 'delivered / expected notifications for every signup and profile update of this run id (100%)',
    selector: { kind: 'probe', probe: 'notifications-delivered' },
    comparator: '>=',
    threshold: 1,
    unit: 'ratio',
    hint: 'Check the NotificationService queue and its DLQ, and the list of undelivered event ids in the probe details.',
    // Test Scenario 1, "User Journey: Signup → Login → Profile Update → Notification".
    sample: [{ what: 'user journeys', metric: 'iterations', tags: { scenario: 'user-journey' }, atLeast: { smoke: 25, full: 300 } }],
  },
  {
    id: 'services-healthy',
    description: 'MVP 1 Launch, GO if: "All 4 services deployed successfully"; NO-GO if: "Any service fails to start".',
    rule: 'Orchestration, User, Notification and Gateway report healthy before and after the run',
    selector: { kind: 'probe', probe: 'services-healthy' },
    comparator: '==',
    threshold: 1,
    unit: 'bool',
    hint: 'The probe details list which service was unhealthy, and when (before or after the run).',
  },
  {
    id: 'shadow-divergence',
    description: 'MVP 1 Launch, GO if: "Shadow mode validation shows <0.1% divergence".',
    rule: 'of the events published to both buses (shadow sample and parallel mode), the fraction missing or different on the EventBridge side',
    selector: { kind: 'probe', probe: 'shadow-divergence' },
    comparator: '<',
    threshold: 0.001,
    unit: 'ratio',
    hint: 'The probe details list divergent event ids with the differing fields; check the EventBridge rules, targets and the audit queue.',
  },
  {
    id: 'rollback-drill',
    description:
      'MVP 1 Launch, GO if: "Rollback tested successfully"; NO-GO if: "Rollback fails in testing"; Stage 2: "Rollback Time: 5 minutes".',
    rule:
      'a phase of its own after the load measurement, under its own steady background load (its own run id): the rollback action sets the migrated services to false; ' +
      'within the observation window (5 minutes in full) new events flow only on the legacy bus and the cutover holds to the end of the window (an EventBridge event after the cutover fails); ' +
      "the error rate of the drill's own window stays <= 1%; measured: seconds from the action to the cutover",
    selector: { kind: 'probe', probe: 'rollback-drill' },
    comparator: '<=',
    threshold: 300,
    unit: 's',
    hint: 'The drill timeline shows when the action ran, the cutover, and any EventBridge event after it; check the flag store and the rollback action itself.',
  },
  {
    id: 'target-restored',
    description: "Harness guard, not in the seed: the run leaves the target's feature flags as it found them",
    rule: 'after the drill the restore action (or PUT /admin/flags with the flags found) puts the flags back; they read back equal to the start of the run, events flow on EventBridge again, and the flags still equal the start when the run ends',
    selector: { kind: 'probe', probe: 'target-restored' },
    comparator: '==',
    threshold: 1,
    unit: 'bool',
    hint: "The probe details name the restore action and each flag that differs: set those flags back by hand now, then fix the target file's restore action.",
  },
  {
    id: 'workflow-completion',
    description:
      'MVP 1 Test Scenario 2: "Workflow Test: Create → Execute → Complete workflow". The seed names the scenario; that every executed workflow must complete is the harness\'s own guard (a stuck workflow is NO-GO even if every request answered 200).',
    rule: 'workflows seen completed / workflows executed in the workflow scenario (k6 rate workflow_completed; a workflow not completed within the poll time counts as stuck)',
    selector: { kind: 'metric', metric: 'workflow_completed', stat: 'rate' },
    comparator: '>=',
    threshold: 1,
    unit: 'ratio',
    hint: 'The functional-checks note counts "workflow completed" failures; look at the OrchestrationService queue, its DLQ and whether WorkflowCompleted events are published and consumed.',
    // Defined in the workflow scenario only: a k6 threshold on it would be refused by the other scenarios.
    k6Threshold: false,
    sample: [{ what: 'workflows executed', metric: 'iterations', tags: { scenario: 'workflow' }, atLeast: { smoke: 25, full: 300 } }],
  },
  {
    id: 'functional-checks',
    description:
      'Harness\'s own guard: every functional check the scenarios make (status and response body) passes: 100% in smoke, >= 99.9% in full, the error budget of the seed\'s "Error rate < 0.1%".',
    rule: 'passed / all k6 checks over every scenario (k6 rate checks); the failing check names are listed in the note',
    selector: { kind: 'checks' },
    comparator: '>=',
    threshold: 1,
    thresholdByProfile: { full: 0.999 },
    unit: 'ratio',
    hint: 'The note names each failing check with its scenario and count; a check fails on a wrong status or on a body without what a client needs.',
  },
];
