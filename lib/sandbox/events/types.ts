import type { FlaggedService } from '../../config/index.js';

/** How the producing service published, from its EventBridge flag. */
export type PublishMode = 'legacy' | 'shadow' | 'parallel' | 'eventbridge';
/** `primary` copies are acted on; `validation` copies exist only so probes can compare the two paths. */
export type Delivery = 'primary' | 'validation';

/** The event every service publishes, on either path. */
export interface QslEvent<P = Record<string, unknown>> {
  eventId: string;
  /** DetailType on EventBridge, e.g. `UserSignedUp`. */
  type: EventType;
  /** `qsl.<service>`. */
  source: string;
  /** Correlates everything a harness run caused; `none` when the request carried no `X-Run-Id`. */
  runId: string;
  correlationId: string;
  occurredAt: string;
  payload: P;
  metadata: {
    producer: FlaggedService;
    mode: PublishMode;
    delivery: Delivery;
    /** On the legacy copy: true when an EventBridge copy of the same event was also published. */
    sampled?: boolean;
  };
}

/** Event catalogue: type -> legacy routing key and EventBridge source, for every milestone's services. */
export const EVENT_CATALOGUE = {
  UserSignedUp: { routingKey: 'user.signed_up', source: 'qsl.user' },
  UserProfileUpdated: { routingKey: 'user.profile_updated', source: 'qsl.user' },
  UserClosed: { routingKey: 'user.closed', source: 'qsl.user' },
  WorkflowCreated: { routingKey: 'workflow.created', source: 'qsl.orchestration' },
  WorkflowExecutionRequested: { routingKey: 'workflow.execution_requested', source: 'qsl.orchestration' },
  WorkflowStepCompleted: { routingKey: 'workflow.step_completed', source: 'qsl.orchestration' },
  WorkflowCompleted: { routingKey: 'workflow.completed', source: 'qsl.orchestration' },
  NotificationDelivered: { routingKey: 'notification.delivered', source: 'qsl.notification' },
  PaymentInitiated: { routingKey: 'payment.initiated', source: 'qsl.payment' },
  LedgerPostingRequested: { routingKey: 'payment.ledger_posting_requested', source: 'qsl.payment' },
  PaymentConfirmed: { routingKey: 'payment.confirmed', source: 'qsl.payment' },
  PaymentCompensated: { routingKey: 'payment.compensated', source: 'qsl.payment' },
  PaymentSagaStepCompleted: { routingKey: 'saga.step_completed', source: 'qsl.orchestration' },
  PaymentSagaStepFailed: { routingKey: 'saga.step_failed', source: 'qsl.orchestration' },
  PaymentCompensationApplied: { routingKey: 'saga.compensation_applied', source: 'qsl.orchestration' },
  LedgerTransactionPosted: { routingKey: 'ledger.transaction_posted', source: 'qsl.ledger' },
  Broadcast: { routingKey: 'infrastructure.broadcast', source: 'qsl.infrastructure' },
  Confirmation: { routingKey: 'infrastructure.confirmation', source: 'qsl.infrastructure' },
  Mint: { routingKey: 'token.mint', source: 'qsl.token' },
  Transfer: { routingKey: 'token.transfer', source: 'qsl.token' },
  Burn: { routingKey: 'token.burn', source: 'qsl.token' },
  Validation: { routingKey: 'signature.validation', source: 'qsl.signature' },
  Rotation: { routingKey: 'signature.rotation', source: 'qsl.signature' },
  ListingCreated: { routingKey: 'marketplace.listing_created', source: 'qsl.marketplace' },
  OrderPlaced: { routingKey: 'marketplace.order_placed', source: 'qsl.marketplace' },
  OrderSettled: { routingKey: 'marketplace.order_settled', source: 'qsl.marketplace' },
  OrderDelivered: { routingKey: 'marketplace.order_delivered', source: 'qsl.marketplace' },
  OrderCancelled: { routingKey: 'marketplace.order_cancelled', source: 'qsl.marketplace' },
  KycCompleted: { routingKey: 'compliance.kyc_completed', source: 'qsl.compliance' },
  AmlScreened: { routingKey: 'compliance.aml_screened', source: 'qsl.compliance' },
  RiskAssessed: { routingKey: 'compliance.risk_assessed', source: 'qsl.compliance' },
  ComplianceDecided: { routingKey: 'compliance.decided', source: 'qsl.compliance' },
  ReviewCompleted: { routingKey: 'aireview.completed', source: 'qsl.aireview' },
  ProposalCreated: { routingKey: 'governance.proposal_created', source: 'qsl.governance' },
  VoteCast: { routingKey: 'governance.vote_cast', source: 'qsl.governance' },
} as const satisfies Record<string, { routingKey: string; source: string }>;
export type EventType = keyof typeof EVENT_CATALOGUE;

/** Run and correlation ids carried from a request (X-Run-Id, X-Correlation-Id) into every event it causes. */
export interface TraceContext {
  runId: string;
  correlationId: string;
}

/** Structural check for an event read off a queue or the legacy bus. */
export function isQslEvent(v: unknown): v is QslEvent {
  if (!v || typeof v !== 'object') return false;
  const e = v as Partial<QslEvent>;
  return (
    typeof e.eventId === 'string' &&
    typeof e.type === 'string' &&
    typeof e.runId === 'string' &&
    !!e.metadata &&
    typeof e.metadata === 'object' &&
    (e.metadata.delivery === 'primary' || e.metadata.delivery === 'validation')
  );
}
