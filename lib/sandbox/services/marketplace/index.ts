import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { QslEvent, TraceContext } from '../../events/types.js';
import { ConsumingService } from '../consuming-service.js';
import type { PaymentGatewayService } from '../payment/index.js';
import type { ServiceRegistry } from '../registry.js';
import { HttpError, type HttpRoute, type ServiceContext } from '../types.js';
import { parseBody } from '../validate.js';
import { Waiters } from '../waiters.js';

export const MARKETPLACE_QUEUE = 'qsl-marketplace';

export interface Listing {
  listingId: string;
  sellerId: string;
  sellerAccountId: string;
  title: string;
  price: number;
  runId: string;
  createdAt: string;
}

/** placed -> paying -> settled -> delivered, or cancelled when the payment does not go through. */
export type OrderStatus = 'paying' | 'settled' | 'delivered' | 'cancelled';

export interface Order {
  orderId: string;
  listingId: string;
  buyerId: string;
  sellerId: string;
  buyerAccountId: string;
  amount: number;
  paymentId: string | null;
  status: OrderStatus;
  reason: string | null;
  runId: string;
  correlationId: string;
  createdAt: string;
  settledAt: string | null;
  deliveredAt: string | null;
}

const listingSchema = z.object({
  title: z.string().min(1).max(200),
  price: z.number().int().positive().max(1e9),
  sellerAccountId: z.string().min(1),
});
const buySchema = z.object({ buyerAccountId: z.string().min(1) });
const waitSchema = z.object({ wait: z.coerce.number().min(0).max(10).default(0) });
const FINAL: ReadonlySet<OrderStatus> = new Set(['delivered', 'cancelled']);

/**
 * MarketplaceService (seed Stage 5): List -> Buy -> Settle -> Deliver. Buy pays through the MVP 2 payment saga and
 * ledger (a payment from the buyer's account to the seller's); the order settles when the payment is confirmed
 * (PaymentConfirmed on its queue) and is delivered right after; a compensated payment cancels it. Rollback
 * strategy "feature flag + cache": while the MarketplaceService flag is off, listings are read from the cache
 * (`source: "cache"`) rather than the live catalogue.
 */
export class MarketplaceService extends ConsumingService {
  readonly routes: readonly HttpRoute[];
  readonly adminRoutes: readonly HttpRoute[];
  private readonly listings = new Map<string, Listing>();
  /** The read cache the flag-off path serves from: filled on every write. */
  private readonly cache = new Map<string, Listing>();
  private readonly orders = new Map<string, Order>();
  private readonly byPayment = new Map<string, Order>();
  private readonly byRun = new Map<string, Order[]>();
  private readonly waiters = new Waiters();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly registry: ServiceRegistry,
  ) {
    super(ctx, {
      name: 'marketplace',
      queue: MARKETPLACE_QUEUE,
      legacyBindings: ['payment.confirmed', 'payment.compensated'],
      handle: (e) => this.onPaymentEvent(e),
    });
    this.routes = [
      { method: 'POST', url: '/api/marketplace/listings', auth: true, handler: (r) => this.list(r.userId, r.body, r.trace) },
      {
        method: 'GET',
        url: '/api/marketplace/listings/:id',
        auth: true,
        handler: (r) => {
          const fromCache = this.ctx.flags.modeFor('MarketplaceService') === 'legacy';
          const l = (fromCache ? this.cache : this.listings).get(r.params.id);
          if (!l) throw new HttpError(404, 'LISTING_NOT_FOUND', `listing ${r.params.id} not found`);
          return { status: 200, body: { ...l, source: fromCache ? 'cache' : 'catalogue' } };
        },
      },
      {
        method: 'POST',
        url: '/api/marketplace/listings/:id/buy',
        auth: true,
        handler: (r) => this.buy(r.userId, r.params.id, r.body, r.trace, r.headers),
      },
      {
        method: 'GET',
        url: '/api/marketplace/orders/:id',
        auth: true,
        handler: async (r) => {
          const o = this.orders.get(r.params.id);
          if (!o || (o.buyerId !== r.userId && o.sellerId !== r.userId))
            throw new HttpError(404, 'ORDER_NOT_FOUND', `order ${r.params.id} not found`);
          const { wait } = parseBody(waitSchema, r.query);
          if (wait > 0) await this.untilFinal(o, wait * 1000);
          return { status: 200, body: { ...o } };
        },
      },
    ];
    this.adminRoutes = [
      {
        method: 'GET',
        url: '/admin/marketplace/orders',
        handler: (r) => {
          const runId = r.query.runId;
          return {
            status: 200,
            body: { orders: (runId !== undefined ? (this.byRun.get(runId) ?? []) : [...this.orders.values()]).map((o) => ({ ...o })) },
          };
        },
      },
    ];
  }

  private async list(sellerId: string, body: unknown, trace: TraceContext) {
    const b = parseBody(listingSchema, body);
    const l: Listing = {
      listingId: randomUUID(),
      sellerId,
      sellerAccountId: b.sellerAccountId,
      title: b.title,
      price: b.price,
      runId: trace.runId,
      createdAt: new Date().toISOString(),
    };
    this.listings.set(l.listingId, l);
    this.cache.set(l.listingId, { ...l });
    await this.ctx.publisher.publish('MarketplaceService', 'ListingCreated', { listingId: l.listingId, sellerId, price: l.price }, trace);
    return { status: 201, body: l };
  }

  private async buy(buyerId: string, listingId: string, body: unknown, trace: TraceContext, headers: RouteHeaders) {
    const b = parseBody(buySchema, body);
    const l = this.listings.get(listingId);
    if (!l) throw new HttpError(404, 'LISTING_NOT_FOUND', `listing ${listingId} not found`);
    if (l.sellerId === buyerId) throw new HttpError(409, 'OWN_LISTING', 'a seller cannot buy their own listing');
    const o: Order = {
      orderId: randomUUID(),
      listingId,
      buyerId,
      sellerId: l.sellerId,
      buyerAccountId: b.buyerAccountId,
      amount: l.price,
      paymentId: null,
      status: 'paying',
      reason: null,
      runId: trace.runId,
      correlationId: trace.correlationId,
      createdAt: new Date().toISOString(),
      settledAt: null,
      deliveredAt: null,
    };
    this.orders.set(o.orderId, o);
    const list = this.byRun.get(o.runId);
    if (list) list.push(o);
    else this.byRun.set(o.runId, [o]);
    await this.ctx.publisher.publish(
      'MarketplaceService',
      'OrderPlaced',
      { orderId: o.orderId, listingId, buyerId, sellerId: o.sellerId, amount: o.amount },
      trace,
    );
    const pay = await this.registry.get<PaymentGatewayService>('payment').initiate(
      buyerId,
      {
        payerAccountId: b.buyerAccountId,
        payeeAccountId: l.sellerAccountId,
        amount: l.price,
        currency: 'EUR',
        reference: `order:${o.orderId}`,
      },
      trace,
      headers,
    );
    const payment = pay.body as { paymentId?: string; status?: string };
    o.paymentId = payment.paymentId ?? null;
    if (o.paymentId) this.byPayment.set(o.paymentId, o);
    if (pay.status !== 202) {
      await this.finish(o, 'cancelled', `payment ${payment.status ?? 'failed'}`);
      return { status: 422, body: { ...o } };
    }
    return { status: 202, body: { ...o } };
  }

  private async onPaymentEvent(e: QslEvent): Promise<void> {
    if (e.type !== 'PaymentConfirmed' && e.type !== 'PaymentCompensated') return;
    const o = this.byPayment.get(String(e.payload.paymentId));
    if (!o || FINAL.has(o.status)) return;
    if (e.type === 'PaymentCompensated') return this.finish(o, 'cancelled', 'payment compensated');
    o.status = 'settled';
    o.settledAt = new Date().toISOString();
    await this.ctx.publisher.publish(
      'MarketplaceService',
      'OrderSettled',
      { orderId: o.orderId, buyerId: o.buyerId, sellerId: o.sellerId, paymentId: o.paymentId },
      this.trace(o),
    );
    // Digital goods: delivery is immediate once paid.
    await this.finish(o, 'delivered', null);
  }

  private async finish(o: Order, status: 'delivered' | 'cancelled', reason: string | null): Promise<void> {
    o.status = status;
    o.reason = reason;
    if (status === 'delivered') o.deliveredAt = new Date().toISOString();
    await this.ctx.publisher.publish(
      'MarketplaceService',
      status === 'delivered' ? 'OrderDelivered' : 'OrderCancelled',
      { orderId: o.orderId, buyerId: o.buyerId, sellerId: o.sellerId, ...(reason ? { reason } : {}) },
      this.trace(o),
    );
    this.waiters.wake(o.orderId);
  }

  private trace(o: Order): TraceContext {
    return { runId: o.runId, correlationId: o.correlationId };
  }

  private untilFinal(o: Order, ms: number): Promise<void> {
    if (FINAL.has(o.status) || !this.isRunningNow()) return Promise.resolve();
    return this.waiters.until(o.orderId, ms);
  }

  private isRunningNow(): boolean {
    return this.health() === 'up';
  }

  override async stop(): Promise<void> {
    this.waiters.wakeAll();
    await super.stop();
  }
}

type RouteHeaders = Readonly<Record<string, string | string[] | undefined>> | undefined;

export function createMarketplaceService(ctx: ServiceContext, registry: ServiceRegistry): MarketplaceService {
  return new MarketplaceService(ctx, registry);
}
