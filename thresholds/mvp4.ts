/**
 * MVP 4 "Full Platform": the seed's success criteria ("All features operational", "SSE connections stable for 24
 * hours", "Cost reduction targets met") as data, each measured by a harness probe.
 */
import type { Criterion } from '../lib/verdict/index.js';

export const mvp4Criteria: Criterion[] = [
  {
    id: 'features-operational',
    description:
      'MVP 4 Success Criteria: "All features operational"; Deployment Decision Matrix: "All features working"; Stage 5 rollback strategy for ComplianceService: "Dual validation".',
    rule: "every functional check of the MVP 4 scenarios passes (user lifecycle, marketplace, compliance, SSE traffic: k6 checks), every service healthy before and after, and the compliance dual validation's two paths decide every check alike",
    selector: { kind: 'probe', probe: 'features-operational' },
    comparator: '==',
    threshold: 1,
    unit: 'bool',
    hint: 'The probe details list the failing checks by scenario, the services not up and the compliance checks decided differently on the two paths.',
  },
  {
    id: 'sse-stability',
    description:
      'MVP 4 Success Criteria: "SSE connections stable for 24 hours"; Test Scenario 4: "Real-time Updates: SSE stream stability test".',
    rule: 'over the planned soak (24 h with 500 clients in full): no stream dropped or left disconnected, every event the buses carried for a user delivered exactly once on its stream (after reconnects), reconnect p95 < retry + 1 s, largest heartbeat gap < 2 x the interval, the planned duration reached',
    selector: { kind: 'probe', probe: 'sse-stability' },
    comparator: '==',
    threshold: 1,
    unit: 'bool',
    hint: 'The probe details list each condition with its measured value, disconnects by cause, reconnect and delivery latency percentiles and examples of missed or duplicate events; soak/checkpoint.json holds the raw counters.',
  },
  {
    id: 'cost-targets',
    description:
      'MVP 4 Success Criteria: "Cost reduction targets met"; Deployment Decision Matrix: "Cost targets met"; Cost Tracking: "EventBridge usage cost", "SQS message cost", "Total vs projected savings".',
    rule: "the run's AWS billing units (EventBridge entries and SQS requests in 64 KB chunks, empty receives included) priced with the dated price file, per operation, extrapolated to the target's monthly volume, reduce the legacy cost by at least the target's percentage",
    selector: { kind: 'probe', probe: 'cost-targets' },
    comparator: '==',
    threshold: 1,
    unit: 'bool',
    hint: 'The probe details give the cost per service (source, queue) and per operation type; a queue with many empty receives points at idle long polling, a source with many chunks at oversized events.',
  },
];
