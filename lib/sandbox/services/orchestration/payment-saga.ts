import type { EventType, QslEvent } from '../../events/types.js';
import { faultIs } from '../../faults.js';
import { hashString } from '../../../fixtures/index.js';
import type { AccountService } from '../account/index.js';
import { ConsumingService } from '../consuming-service.js';
import type { FeeService } from '../fee/index.js';
import { LEDGER_GROUPS, type LedgerEntry } from '../ledger/index.js';
import type { PaymentGatewayService } from '../payment/index.js';
import type { CompensationAction, Payment, SagaStep } from '../payment/types.js';
import type { ServiceRegistry } from '../registry.js';
import type { TreasuryService } from '../treasury/index.js';
import { HttpError, type ServiceContext } from '../types.js';

/** The saga's queue: LedgerTransactionPosted from the ledger. */
export const PAYMENT_SAGA_QUEUE = 'qsl-payment-saga';

/**
 * The payment saga, run by OrchestrationService: Initiate -> Validate (accounts, limits, fee, hold) -> Settle
 * (ledger posting for payer, payee, fee and treasury, through the ledger's queue) -> Confirm (capture the hold).
 * A failure at any step compensates every completed step in reverse (a reversing ledger posting, then the hold
 * released); every step and every compensation is published as an event.
 *
 * Fault `payment.compensation=broken`: a failed payment is marked compensated without undoing anything.
 */
export class PaymentSaga extends ConsumingService {
  private readonly brokenCompensation: boolean;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly registry: ServiceRegistry,
  ) {
    super(ctx, {
      name: 'payment-saga',
      queue: PAYMENT_SAGA_QUEUE,
      legacyBindings: ['ledger.transaction_posted'],
      handle: (e) => this.onLedgerPosted(e),
    });
    this.brokenCompensation = faultIs(ctx.faults, 'payment.compensation', 'broken');
  }

  private get payments() {
    return this.registry.get<PaymentGatewayService>('payment');
  }

  private get accounts() {
    return this.registry.get<AccountService>('account');
  }

  /** Validate (within the initiating request), then request the settlement posting. */
  async begin(p: Payment): Promise<void> {
    try {
      this.validate(p);
    } catch (err) {
      const reason = err instanceof HttpError ? `${err.code}: ${err.message}` : (err as Error).message;
      await this.fail(p, 'validate', reason);
      return;
    }
    p.status = 'validated';
    await this.stepDone(p, 'validate', { fee: p.fee, treasuryShare: p.treasuryShare, holdId: p.holdId });
    p.status = 'settling';
    await this.requestPosting(p, 'settlement', settlementEntries(p, this.registry));
  }

  private validate(p: Payment): void {
    const payer = this.accounts.get(p.payerAccountId);
    const payee = this.accounts.get(p.payeeAccountId);
    if (!payer || payer.ownerId !== p.ownerId) throw new HttpError(422, 'PAYER_NOT_FOUND', `payer account ${p.payerAccountId} not found`);
    if (!payee) throw new HttpError(422, 'PAYEE_NOT_FOUND', `payee account ${p.payeeAccountId} not found`);
    if (payer.accountId === payee.accountId) throw new HttpError(422, 'SAME_ACCOUNT', 'payer and payee are the same account');
    if (payer.currency !== p.currency || payee.currency !== p.currency) {
      throw new HttpError(422, 'CURRENCY_MISMATCH', `payment in ${p.currency}, accounts in ${payer.currency} and ${payee.currency}`);
    }
    if (p.amount > payer.perPaymentLimit) {
      throw new HttpError(422, 'LIMIT_EXCEEDED', `amount ${p.amount} exceeds the payer's per-payment limit ${payer.perPaymentLimit}`);
    }
    const fee = this.registry.get<FeeService>('fee').quote(p.amount);
    p.fee = fee;
    p.treasuryShare = this.registry.get<TreasuryService>('treasury').reserveFor(fee);
    p.holdId = this.accounts.placeHold(payer.accountId, p.paymentId, p.amount + fee).holdId;
    if (p.forcedFailure === 'validate') throw new Error('forced failure of step validate');
  }

  private async onLedgerPosted(event: QslEvent): Promise<void> {
    if (event.type !== 'LedgerTransactionPosted') return;
    const p = this.payments.get(String(event.payload.paymentId));
    if (!p) return;
    const txId = String(event.payload.txId);
    if (event.payload.kind === 'settlement') {
      if (p.status !== 'settling' || p.settlementTxId) return;
      p.settlementTxId = txId;
      if (p.forcedFailure === 'settle') return this.fail(p, 'settle', 'forced failure of step settle');
      await this.stepDone(p, 'settle', { txId });
      if (p.forcedFailure === 'confirm') return this.fail(p, 'confirm', 'forced failure of step confirm');
      if (p.holdId) this.accounts.closeHold(p.holdId, 'captured');
      p.status = 'confirmed';
      const confirmStep = this.stepDone(p, 'confirm', { holdId: p.holdId });
      // Final now, as a plain GET already shows: a waiting GET answers at once, not two publishes later.
      this.payments.settled(p);
      await confirmStep;
      await this.payments.publish('PaymentConfirmed', p, { amount: p.amount, fee: p.fee, settlementTxId: txId });
    } else if (event.payload.kind === 'reversal') {
      if (p.status !== 'compensating' || !p.failedStep) return;
      p.reversalTxId = txId;
      await this.compensated(p, p.failedStep, 'ledger-reversed');
      await this.releaseHold(p, p.failedStep);
      p.status = 'compensated';
      this.payments.settled(p);
      await this.payments.publish('PaymentCompensated', p, { failedStep: p.failedStep, compensations: p.compensations.length });
    }
  }

  /** Step `step` failed: undo what was done, newest first (ledger posting, then the hold). */
  private async fail(p: Payment, step: SagaStep, reason: string): Promise<void> {
    p.failedStep = step;
    p.failureReason = reason;
    p.status = 'compensating';
    p.steps.push({ step, outcome: 'failed', at: new Date().toISOString() });
    await this.sagaEvent('PaymentSagaStepFailed', p, { step, reason });
    const undo = p.settlementTxId !== null || p.holdId !== null;
    if (!undo) {
      p.status = 'rejected';
      this.payments.settled(p);
      return;
    }
    if (this.brokenCompensation) {
      // Fault: claims success, undoes nothing.
      p.status = 'compensated';
      this.payments.settled(p);
      await this.payments.publish('PaymentCompensated', p, { failedStep: step, compensations: 0 });
      return;
    }
    if (p.settlementTxId) {
      // The hold is released once the reversal is posted (onLedgerPosted).
      await this.requestPosting(p, 'reversal', reversed(settlementEntries(p, this.registry)));
      return;
    }
    await this.releaseHold(p, step);
    p.status = 'compensated';
    this.payments.settled(p);
    await this.payments.publish('PaymentCompensated', p, { failedStep: step, compensations: p.compensations.length });
  }

  private async releaseHold(p: Payment, step: SagaStep): Promise<void> {
    if (!p.holdId) return;
    this.accounts.closeHold(p.holdId, 'released');
    await this.compensated(p, step, 'hold-released');
  }

  private async compensated(p: Payment, step: SagaStep, action: CompensationAction): Promise<void> {
    p.compensations.push({ step, action, at: new Date().toISOString() });
    await this.sagaEvent('PaymentCompensationApplied', p, { step, action });
  }

  private async stepDone(p: Payment, step: SagaStep, detail: Record<string, unknown>): Promise<void> {
    p.steps.push({ step, outcome: 'completed', at: new Date().toISOString() });
    await this.sagaEvent('PaymentSagaStepCompleted', p, { step, ...detail });
  }

  private async sagaEvent(type: EventType, p: Payment, payload: Record<string, unknown>): Promise<void> {
    await this.ctx.publisher.publish(
      'OrchestrationService',
      type,
      { paymentId: p.paymentId, ...payload },
      { runId: p.runId, correlationId: p.correlationId },
    );
  }

  private async requestPosting(p: Payment, kind: 'settlement' | 'reversal', entries: LedgerEntry[]): Promise<void> {
    await this.payments.publish('LedgerPostingRequested', p, {
      txId: `${p.paymentId}:${kind}`,
      seq: p.seq,
      kind,
      ledgerGroup: ledgerGroupOf(p.payerAccountId),
      entries,
    });
  }
}

/** The FIFO message group of a posting: one of LEDGER_GROUPS, by payer account. */
export function ledgerGroupOf(accountId: string): string {
  return `accounts-${hashString(accountId) % LEDGER_GROUPS}`;
}

/** Payer pays amount + fee; payee gets amount; the fee goes to fee income less the treasury's reserve share. */
export function settlementEntries(p: Payment, registry: ServiceRegistry): LedgerEntry[] {
  const fee = p.fee ?? 0;
  const share = p.treasuryShare ?? 0;
  const entries: LedgerEntry[] = [
    { accountId: p.payerAccountId, side: 'debit', amount: p.amount + fee },
    { accountId: p.payeeAccountId, side: 'credit', amount: p.amount },
  ];
  if (fee - share > 0) entries.push({ accountId: registry.get<FeeService>('fee').accountId, side: 'credit', amount: fee - share });
  if (share > 0) entries.push({ accountId: registry.get<TreasuryService>('treasury').accountId, side: 'credit', amount: share });
  return entries;
}

function reversed(entries: LedgerEntry[]): LedgerEntry[] {
  return entries.map((e) => ({ ...e, side: e.side === 'debit' ? 'credit' : 'debit' }));
}

export function createPaymentSaga(ctx: ServiceContext, registry: ServiceRegistry): PaymentSaga {
  return new PaymentSaga(ctx, registry);
}
