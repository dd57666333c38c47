/**
 * MVP 2 "Payment Processing": the seed's success criteria and Go/No-Go rules as data. `performance-degradation` is
 * measured within the run (a legacy-path phase beside the migrated one); with --baseline the comparison with that
 * summary takes its place.
 */
import type { Criterion, SampleNeed } from '../lib/verdict/index.js';

/** Test Scenario 2, "Ledger Validation: 1000 transactions with reconciliation" (200 in smoke). */
const LEDGER_RUN: SampleNeed = {
  what: 'ledger-validation transactions',
  metric: 'iterations',
  tags: { scenario: 'ledger-validation' },
  atLeast: { smoke: 200, full: 1000 },
};
/** Test Scenario 1, "Payment Flow: Initiate → Validate → Settle → Confirm": the payment-flow scenario's payments. */
const PAYMENT_FLOW: SampleNeed = {
  what: 'payment-flow payments',
  metric: 'iterations',
  tags: { scenario: 'payment-flow' },
  atLeast: { smoke: 100, full: 500 },
};

export const mvp2Criteria: Criterion[] = [
  {
    id: 'ledger-consistency',
    description:
      'MVP 2 Success Criteria: "100% ledger consistency"; GO if: "Ledger consistency verified"; NO-GO if: "Any financial discrepancy".',
    rule: "debits = credits per transaction and in total; every settled payment has its balanced entries; every compensated payment nets to zero; balances equal what the scenarios' own record predicts",
    selector: { kind: 'probe', probe: 'ledger-consistency' },
    comparator: '>=',
    threshold: 1,
    unit: 'ratio',
    hint: 'The probe details list each discrepancy (unbalanced transaction, payment without its entries, account off by how much); check the ledger postings of those payments.',
    sample: [LEDGER_RUN],
  },
  {
    id: 'saga-compensation',
    description:
      'MVP 2 Success Criteria: "Saga compensation 100% successful"; GO if: "Saga compensation working"; NO-GO if: "Saga compensation fails".',
    rule: 'every payment with a forced failure (validate, settle, confirm) ends compensated: hold released, ledger entries reversed, no partial state left',
    selector: { kind: 'probe', probe: 'saga-compensation' },
    comparator: '>=',
    threshold: 1,
    unit: 'ratio',
    hint: "The probe details name each payment left with an active hold or a ledger effect that does not net to zero; check the saga's compensation events for it.",
    // Test Scenario 3, "Saga Test: Payment with forced failure and compensation": every forced step (validate,
    // settle, confirm) in turn, 5 each in smoke, 30 each in full.
    sample: [
      {
        what: 'forced-failure payments (every step in turn)',
        metric: 'iterations',
        tags: { scenario: 'saga' },
        atLeast: { smoke: 15, full: 90 },
      },
    ],
  },
  {
    id: 'payment-latency',
    description: 'MVP 2 Success Criteria: "Payment processing < 300ms".',
    rule: 'p95 of payment_processing_time: from POST /api/payments to the payment seen confirmed (payment-flow and ledger-validation)',
    selector: { kind: 'metric', metric: 'payment_processing_time', stat: 'p95' },
    comparator: '<',
    threshold: 300,
    unit: 'ms',
    hint: 'Compare POST /api/payments with GET /api/payments/{id} in the per-request table: slow requests point at the payment service, slow completion at the ledger queue and the saga.',
    sample: [PAYMENT_FLOW, LEDGER_RUN],
  },
  {
    id: 'parallel-validation',
    description:
      'MVP 2 Launch, GO if: "Parallel validation shows match"; Stage 3: "Parallel validation comparing EventBridge vs RabbitMQ results"; NO-GO if: "Any financial discrepancy".',
    rule: "the ledger outcome via the EventBridge path (shadow book from the validation copies) equals the legacy path's book, transaction for transaction and entry for entry",
    selector: { kind: 'probe', probe: 'parallel-validation' },
    comparator: '==',
    threshold: 0,
    unit: 'count',
    hint: 'The probe details list the transactions missing or different on the EventBridge path; check the ledger rules, the FIFO queue and its DLQ.',
    sample: [LEDGER_RUN],
  },
  {
    id: 'error-rate',
    description:
      "Harness's own guard: MVP 2's Success Criteria, Go/No-Go rules and Decision Matrix row name no error rate; the harness holds MVP 2 to MVP 1's \"Error rate < 0.1%\".",
    rule: 'failed / all HTTP requests tagged forced:false (forced-failure requests excluded), k6 http_req_failed',
    selector: { kind: 'metric', metric: 'http_req_failed', tags: { forced: 'false' }, stat: 'rate' },
    comparator: '<',
    threshold: 0.001,
    unit: 'ratio',
    hint: "Look at the per-request table for the endpoint with errors, then at that service's logs and 5xx responses.",
    sample: [PAYMENT_FLOW, LEDGER_RUN],
  },
  {
    id: 'payments-final',
    description:
      'Harness\'s own guard for Test Scenario 1, "Payment Flow: Initiate → Validate → Settle → Confirm": every payment the platform accepted reaches a final state (confirmed, compensated or rejected), even when every request answered 2xx.',
    rule: 'payments seen final / payments accepted, over every scenario, forced failures included (k6 rate payment_final; a payment not final after 3 long-poll waits of 3 s is unfinished)',
    selector: { kind: 'metric', metric: 'payment_final', stat: 'rate' },
    comparator: '>=',
    threshold: 1,
    unit: 'ratio',
    hint: "Look for payments stuck in a non-final state: the saga's events, the ledger FIFO queue and its DLQ.",
    k6Threshold: false,
    sample: [PAYMENT_FLOW, LEDGER_RUN],
  },
  {
    id: 'functional-checks',
    description:
      'Harness\'s own guard: every functional check the scenarios make (status and response body) passes: 100% in smoke, >= 99.9% in full, the error budget of MVP 1\'s "Error rate < 0.1%".',
    rule: 'passed / all k6 checks tagged forced:false (every scenario; forced-failure requests are judged by saga-compensation); the failing check names are listed in the note',
    selector: { kind: 'checks', tags: { forced: 'false' } },
    comparator: '>=',
    threshold: 1,
    thresholdByProfile: { full: 0.999 },
    unit: 'ratio',
    hint: 'The note names each failing check with its scenario and count; a check fails on a wrong status or on a body without what a client needs.',
  },
  {
    id: 'performance-degradation',
    description: 'NO-GO if: Performance degradation >20%',
    rule:
      'the payment-flow load runs twice: first on the legacy path (every EventBridge flag false through the rollback action, then restored), then migrated; ' +
      'latency: payment_processing_time per payment, Mann-Whitney U (ties) for "migrated slower" and the Hodges-Lehmann shift with its Moses bounds, ' +
      'relative to max(legacy median, 10 ms) on a real target, max(legacy median, 300 ms: the payment budget) on the embedded sandbox, whose in-process legacy path skips every broker hop; ' +
      "error rate: the requests' http_req_failed, Newcombe's score interval for the difference, relative to max(legacy rate, 1%); " +
      'each comparison at 99.5% one-sided confidence (a false NO-GO at most 1% for the two): it fails when migrated is worse with that confidence and its estimate is more than 20% worse, ' +
      'is inconclusive (unmeasured, naming the sample that would decide) when worse with confidence but the interval straddles 20%, else passes; ' +
      'measured: the degradation shown (the largest estimate whose test shows migrated worse, 0 when none does); the p95 change is shown beside it; ' +
      'with --baseline FILE (a GO or NO-GO summary of the same milestone and profile), the same comparison against that summary instead',
    selector: { kind: 'probe', probe: 'performance-degradation' },
    comparator: '<=',
    threshold: 0.2,
    unit: 'ratio',
    comparison: { latency: { metric: 'payment_processing_time', scenario: 'payment-flow' }, requests: { scenario: 'payment-flow' } },
    hint: 'The criterion lists each comparison (test, p-value, interval, outcome); the phases table shows both phases side by side: compare their p95 and error rate, then the per-request table of each.',
  },
  {
    id: 'target-restored',
    description: "Harness guard, not in the seed: the run leaves the target's feature flags as it found them",
    rule: 'after the legacy-path phase the restore action (or PUT /admin/flags with the flags found) puts the flags back; they read back equal to the start of the run, and still do when the run ends',
    selector: { kind: 'probe', probe: 'target-restored' },
    comparator: '==',
    threshold: 1,
    unit: 'bool',
    hint: "The probe details name the restore action and each flag that differs: set those flags back by hand now, then fix the target file's restore action.",
  },
];
