/**
 * MVP 2 "Payment Processing": the seed's success criteria and Go/No-Go rules as data. `performance-degradation`
 * comes from the milestone's `degradationCriterion` (evaluated against --baseline, else reported not evaluated).
 */
import type { Criterion } from '../lib/verdict/index.js';

export const mvp2Criteria: Criterion[] = [
  {
    id: 'ledger-consistency',
    description: '100% ledger consistency (NO-GO on any financial discrepancy)',
    rule: "debits = credits per transaction and in total; every settled payment has its balanced entries; every compensated payment nets to zero; balances equal what the scenarios' own record predicts",
    selector: { kind: 'probe', probe: 'ledger-consistency' },
    comparator: '>=',
    threshold: 1,
    unit: 'ratio',
    hint: 'The probe details list each discrepancy (unbalanced transaction, payment without its entries, account off by how much); check the ledger postings of those payments.',
  },
  {
    id: 'saga-compensation',
    description: 'Saga compensation 100% successful (NO-GO if saga compensation fails)',
    rule: 'every payment with a forced failure (validate, settle, confirm) ends compensated: hold released, ledger entries reversed, no partial state left',
    selector: { kind: 'probe', probe: 'saga-compensation' },
    comparator: '>=',
    threshold: 1,
    unit: 'ratio',
    hint: 'The probe details name each payment left with an active hold or a ledger effect that does not net to zero; check the saga\'s compensation events for it.',
  },
  {
    id: 'payment-latency',
    description: 'Payment processing < 300ms',
    rule: 'p95 of payment_processing_time: from POST /api/payments to the payment seen confirmed (payment-flow and ledger-validation)',
    selector: { kind: 'metric', metric: 'payment_processing_time', stat: 'p95' },
    comparator: '<',
    threshold: 300,
    unit: 'ms',
    hint: 'Compare POST /api/payments with GET /api/payments/{id} in the per-request table: slow requests point at the payment service, slow completion at the ledger queue and the saga.',
  },
  {
    id: 'parallel-validation',
    description: 'Parallel validation shows match (NO-GO on any financial discrepancy)',
    rule: "the ledger outcome via the EventBridge path (shadow book from the validation copies) equals the legacy path's book, transaction for transaction and entry for entry",
    selector: { kind: 'probe', probe: 'parallel-validation' },
    comparator: '==',
    threshold: 0,
    unit: 'count',
    hint: 'The probe details list the transactions missing or different on the EventBridge path; check the ledger rules, the FIFO queue and its DLQ.',
  },
  {
    id: 'error-rate',
    description: 'Error rate < 0.1% (decision matrix)',
    rule: 'failed / all HTTP requests tagged forced:false (forced-failure requests excluded), k6 http_req_failed',
    selector: { kind: 'metric', metric: 'http_req_failed', tags: { forced: 'false' }, stat: 'rate' },
    comparator: '<',
    threshold: 0.001,
    unit: 'ratio',
    hint: "Look at the per-request table for the endpoint with errors, then at that service's logs and 5xx responses.",
  },
];
