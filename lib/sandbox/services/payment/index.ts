import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EventType, TraceContext } from '../../events/types.js';
import type { PaymentSaga } from '../orchestration/payment-saga.js';
import type { ServiceRegistry } from '../registry.js';
import { HttpError, type HttpRoute, type ServiceContext, type ServiceModule } from '../types.js';
import { parseBody } from '../validate.js';
import { SAGA_STEPS, TERMINAL, type Payment, type SagaStep } from './types.js';
import { Waiters } from '../waiters.js';

export * from './types.js';

/** The sandbox's forced-failure hook: this request header names the saga step to fail. */
export const FORCE_FAILURE_HEADER = 'x-force-failure';
const MAX_WAIT_S = 10;

const initiateSchema = z.object({
  payerAccountId: z.string().min(1),
  payeeAccountId: z.string().min(1),
  amount: z.number().int().positive(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('EUR'),
  reference: z.string().max(200).optional(),
});
const waitSchema = z.object({ wait: z.coerce.number().min(0).max(MAX_WAIT_S).default(0) });

/**
 * PaymentGatewayService: payments over HTTP. `POST /api/payments` initiates one and hands it to the payment saga
 * (OrchestrationService); Validate runs within the request (422 when it fails), Settle and Confirm follow through
 * the ledger's events. `GET /api/payments/:id?wait=<s>` answers once the payment is final (or after `wait` s).
 * Publishes the payment's events (PaymentInitiated, LedgerPostingRequested, PaymentConfirmed, PaymentCompensated)
 * under its own flag: in `"parallel"` both paths carry every posting request.
 */
export class PaymentGatewayService implements ServiceModule {
  readonly name = 'payment';
  private readonly payments = new Map<string, Payment>();
  private readonly byRun = new Map<string, Payment[]>();
  private readonly waiters = new Waiters();
  /** Payment sequence numbers per run id: a run's own first payments (fault ledger.skew) whatever ran before it. */
  private readonly seqByRun = new Map<string, number>();
  private stopped = false;
  readonly routes: readonly HttpRoute[];
  readonly adminRoutes: readonly HttpRoute[];

  constructor(
    private readonly ctx: ServiceContext,
    private readonly registry: ServiceRegistry,
  ) {
    this.routes = [
      { method: 'POST', url: '/api/payments', auth: true, handler: (r) => this.initiate(r.userId, r.body, r.trace, r.headers) },
      {
        method: 'GET',
        url: '/api/payments/:id',
        auth: true,
        handler: async (r) => {
          const p = this.payments.get(r.params.id);
          if (!p || p.ownerId !== r.userId) throw new HttpError(404, 'PAYMENT_NOT_FOUND', `payment ${r.params.id} not found`);
          const { wait } = parseBody(waitSchema, r.query);
          if (wait > 0) await this.untilFinal(p, wait * 1000);
          return { status: 200, body: view(p) };
        },
      },
    ];
    this.adminRoutes = [
      {
        method: 'GET',
        url: '/admin/payments',
        handler: (r) => {
          const runId = r.query.runId;
          const list = runId !== undefined ? (this.byRun.get(runId) ?? []) : [...this.payments.values()];
          return { status: 200, body: { payments: list.map(view) } };
        },
      },
    ];
  }

  health() {
    return this.stopped ? ('down' as const) : ('up' as const);
  }

  stop(): void {
    this.stopped = true;
    this.waiters.wakeAll();
  }

  get(paymentId: string): Payment | undefined {
    return this.payments.get(paymentId);
  }

  /** Publishes one of the payment's events under PaymentGatewayService's flag. */
  async publish(type: EventType, p: Payment, payload: Record<string, unknown>): Promise<void> {
    await this.ctx.publisher.publish('PaymentGatewayService', type, { paymentId: p.paymentId, ...payload }, trace(p));
  }

  /** Wakes every request waiting on `p` once it is final. */
  settled(p: Payment): void {
    if (!TERMINAL.has(p.status)) return;
    p.finishedAt ??= new Date().toISOString();
    this.waiters.wake(p.paymentId);
  }

  private untilFinal(p: Payment, ms: number): Promise<void> {
    if (TERMINAL.has(p.status) || this.stopped) return Promise.resolve();
    return this.waiters.until(p.paymentId, ms);
  }

  /** Initiates a payment for `ownerId` (the HTTP route, and MVP 4's marketplace purchases). */
  async initiate(ownerId: string, body: unknown, t: TraceContext, headers: RouteHeaders) {
    const b = parseBody(initiateSchema, body);
    const forced = forcedStep(headers);
    const seq = (this.seqByRun.get(t.runId) ?? 0) + 1;
    this.seqByRun.set(t.runId, seq);
    const p: Payment = {
      paymentId: randomUUID(),
      seq,
      reference: b.reference ?? '',
      runId: t.runId,
      correlationId: t.correlationId,
      ownerId,
      payerAccountId: b.payerAccountId,
      payeeAccountId: b.payeeAccountId,
      amount: b.amount,
      currency: b.currency,
      fee: null,
      treasuryShare: null,
      status: 'initiated',
      forcedFailure: forced,
      failedStep: null,
      failureReason: null,
      holdId: null,
      settlementTxId: null,
      reversalTxId: null,
      steps: [],
      compensations: [],
      createdAt: new Date().toISOString(),
      finishedAt: null,
    };
    this.payments.set(p.paymentId, p);
    const list = this.byRun.get(p.runId);
    if (list) list.push(p);
    else this.byRun.set(p.runId, [p]);
    await this.publish('PaymentInitiated', p, {
      reference: p.reference,
      payerAccountId: p.payerAccountId,
      payeeAccountId: p.payeeAccountId,
      amount: p.amount,
      currency: p.currency,
    });
    await this.registry.get<PaymentSaga>('payment-saga').begin(p);
    const failed = p.status === 'rejected' || p.status === 'compensated' || p.status === 'compensating';
    if (failed) {
      return {
        status: 422,
        body: {
          ...view(p),
          error: { code: 'PAYMENT_FAILED', message: `payment failed at ${p.failedStep ?? '?'}: ${p.failureReason ?? ''}` },
        },
      };
    }
    return { status: 202, body: view(p) };
  }
}

type RouteHeaders = Readonly<Record<string, string | string[] | undefined>> | undefined;

/** The step named by X-Force-Failure. @throws HttpError 400 on an unknown step */
function forcedStep(headers: RouteHeaders): SagaStep | null {
  const raw = headers?.[FORCE_FAILURE_HEADER];
  const v = (Array.isArray(raw) ? raw[0] : raw)?.trim().toLowerCase();
  if (!v) return null;
  if (!(SAGA_STEPS as readonly string[]).includes(v)) {
    throw new HttpError(400, 'INVALID_FORCED_FAILURE', `X-Force-Failure must be one of ${SAGA_STEPS.join(', ')}; got "${v}"`);
  }
  return v as SagaStep;
}

function trace(p: Payment): TraceContext {
  return { runId: p.runId, correlationId: p.correlationId };
}

function view(p: Payment) {
  const { ownerId: _owner, correlationId: _c, ...rest } = p;
  return { ...rest, steps: p.steps.map((s) => ({ ...s })), compensations: p.compensations.map((c) => ({ ...c })) };
}

export function createPaymentGatewayService(ctx: ServiceContext, registry: ServiceRegistry): PaymentGatewayService {
  return new PaymentGatewayService(ctx, registry);
}
