/** The payment saga's steps, in order; a forced failure names one. */
export const SAGA_STEPS = ['validate', 'settle', 'confirm'] as const;
export type SagaStep = (typeof SAGA_STEPS)[number];

/**
 * initiated -> validated -> settling -> confirmed, or on a failure: compensating -> compensated (something was
 * undone) / rejected (nothing had happened yet).
 */
export type PaymentStatus = 'initiated' | 'validated' | 'settling' | 'confirmed' | 'compensating' | 'compensated' | 'rejected';

export const TERMINAL: ReadonlySet<PaymentStatus> = new Set(['confirmed', 'compensated', 'rejected']);

export type CompensationAction = 'hold-released' | 'ledger-reversed';

export interface Payment {
  paymentId: string;
  /** Order of initiation in this sandbox (1, 2, ...). */
  seq: number;
  reference: string;
  runId: string;
  correlationId: string;
  ownerId: string;
  payerAccountId: string;
  payeeAccountId: string;
  amount: number;
  currency: string;
  fee: number | null;
  treasuryShare: number | null;
  status: PaymentStatus;
  /** The step the request asked to fail (X-Force-Failure), if any. */
  forcedFailure: SagaStep | null;
  failedStep: SagaStep | null;
  failureReason: string | null;
  holdId: string | null;
  settlementTxId: string | null;
  reversalTxId: string | null;
  steps: Array<{ step: SagaStep; outcome: 'completed' | 'failed'; at: string }>;
  compensations: Array<{ step: SagaStep; action: CompensationAction; at: string }>;
  createdAt: string;
  finishedAt: string | null;
}
