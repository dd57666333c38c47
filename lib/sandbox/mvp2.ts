/**
 * MVP 2 "Payment Processing" of the sandbox: MVP 1's topology and services plus the financial services
 * (PaymentGatewayService, QuantumLedger.Hub on a FIFO queue, FeeService, TreasuryService, AccountService) and the
 * payment saga run by OrchestrationService.
 */
import { createAccountService } from './services/account/index.js';
import { createFeeService } from './services/fee/index.js';
import { createLedgerHub, LEDGER_GROUPS, LEDGER_QUEUE } from './services/ledger/index.js';
import { createPaymentSaga, PAYMENT_SAGA_QUEUE } from './services/orchestration/payment-saga.js';
import { createPaymentGatewayService } from './services/payment/index.js';
import { MVP1_SERVICES, type ServiceFactory } from './services/registry.js';
import { createTreasuryService } from './services/treasury/index.js';
import { consumerOf, MVP1_TOPOLOGY, withConsumers, type RuleSpec, type Topology } from './topology.js';

const ledger = consumerOf('ledger', LEDGER_QUEUE, { source: ['qsl.payment'], 'detail-type': ['LedgerPostingRequested'] });

/**
 * One rule per account group, each with its own MessageGroupId: EventBridge's SQS target takes a fixed group id,
 * so per-account ordering comes from routing each account's postings (by `ledgerGroup`) to one group.
 */
const ledgerRules: RuleSpec[] = Array.from({ length: LEDGER_GROUPS }, (_, i) => ({
  name: `qsl-ledger-accounts-${i}-rule`,
  queue: LEDGER_QUEUE,
  eventPattern: {
    source: ['qsl.payment'],
    'detail-type': ['LedgerPostingRequested'],
    detail: { payload: { ledgerGroup: [`accounts-${i}`] } },
  },
  messageGroupId: `accounts-${i}`,
}));

const saga = consumerOf('payment-saga', PAYMENT_SAGA_QUEUE, { source: ['qsl.ledger'], 'detail-type': ['LedgerTransactionPosted'] });

export const MVP2_TOPOLOGY: Topology = (() => {
  const t = withConsumers(MVP1_TOPOLOGY, saga);
  return { busName: t.busName, queues: [...t.queues, ledger.queue], rules: [...t.rules, ...ledgerRules] };
})();

/** MVP 1's services, then the ledger first among the financial ones (the others read balances from it). */
export const MVP2_SERVICES: readonly ServiceFactory[] = [
  ...MVP1_SERVICES,
  createLedgerHub,
  createAccountService,
  createFeeService,
  createTreasuryService,
  createPaymentGatewayService,
  createPaymentSaga,
];
