import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { TraceContext } from '../../events/types.js';
import { faultMs } from '../../faults.js';
import type { ServiceRegistry } from '../registry.js';
import { HttpError, type HttpRoute, type ServiceContext, type ServiceModule } from '../types.js';
import { parseBody } from '../validate.js';
import { Waiters } from '../waiters.js';

/** A review the model has not returned within this long falls back to the rule-based decision. */
export const AIREVIEW_DEADLINE_MS = 1_500;
/** The sandbox model's own thinking time. */
const MODEL_MS = 15;

const reviewSchema = z.object({
  subjectType: z.enum(['listing', 'order', 'proposal']),
  subjectId: z.string().min(1).max(200),
  text: z.string().min(1).max(5000),
});
const waitSchema = z.object({ wait: z.coerce.number().min(0).max(10).default(0) });

const BANNED = /\b(scam|counterfeit|stolen)\b/i;

export interface Review {
  reviewId: string;
  userId: string;
  subjectType: string;
  subjectId: string;
  status: 'pending' | 'completed';
  decision: 'approved' | 'rejected' | null;
  /** `model`, or `rule-based-fallback` when the model missed its deadline (the seed's "async fallback"). */
  source: 'model' | 'rule-based-fallback' | null;
  fallbackReason: string | null;
  runId: string;
  createdAt: string;
  completedAt: string | null;
}

/**
 * AIReviewService (seed Stage 5): asynchronous reviews. `POST /api/reviews` answers 202 at once; the model's answer
 * completes the review, unless it is not back within {@link AIREVIEW_DEADLINE_MS}: then the rule-based decision
 * completes it and the review says so (`source: "rule-based-fallback"`). Fault `aireview.latency` slows the model.
 */
export class AIReviewService implements ServiceModule {
  readonly name = 'aireview';
  /** The gateway must not delay the request itself: the knob slows the model, behind the 202. */
  readonly ownFaults = ['latency'];
  readonly routes: readonly HttpRoute[];
  private readonly reviews = new Map<string, Review>();
  private readonly waiters = new Waiters();
  private readonly abort = new AbortController();
  private running = false;
  readonly stats = { model: 0, fallback: 0 };

  constructor(private readonly ctx: ServiceContext) {
    this.routes = [
      { method: 'POST', url: '/api/reviews', auth: true, handler: (r) => this.request(r.userId, r.body, r.trace) },
      {
        method: 'GET',
        url: '/api/reviews/:id',
        auth: true,
        handler: async (r) => {
          const v = this.reviews.get(r.params.id);
          if (!v || v.userId !== r.userId) throw new HttpError(404, 'REVIEW_NOT_FOUND', `review ${r.params.id} not found`);
          const { wait } = parseBody(waitSchema, r.query);
          if (wait > 0 && v.status === 'pending') await this.until(v, wait * 1000);
          return { status: 200, body: { ...v } };
        },
      },
    ];
  }

  start(): void {
    this.running = true;
  }

  stop(): void {
    this.running = false;
    this.abort.abort();
    this.waiters.wakeAll();
  }

  health() {
    return this.running ? ('up' as const) : ('down' as const);
  }

  private request(userId: string, body: unknown, trace: TraceContext) {
    const b = parseBody(reviewSchema, body);
    const v: Review = {
      reviewId: randomUUID(),
      userId,
      ...b,
      status: 'pending',
      decision: null,
      source: null,
      fallbackReason: null,
      runId: trace.runId,
      createdAt: new Date().toISOString(),
      completedAt: null,
    };
    delete (v as Partial<{ text: string }>).text;
    this.reviews.set(v.reviewId, v);
    void this.review(v, b.text, trace);
    return { status: 202, body: { ...v } };
  }

  /** The model against its deadline; whichever answers first completes the review. */
  private async review(v: Review, text: string, trace: TraceContext): Promise<void> {
    const decision = BANNED.test(text) ? ('rejected' as const) : ('approved' as const);
    const modelMs = MODEL_MS + faultMs(this.ctx.faults, 'aireview.latency');
    const model = sleep(modelMs, 'model' as const, { signal: this.abort.signal });
    const deadline = sleep(AIREVIEW_DEADLINE_MS, 'deadline' as const, { signal: this.abort.signal });
    let winner: 'model' | 'deadline';
    try {
      winner = await Promise.race([model, deadline]);
    } catch {
      return; // stopped
    }
    // The same rules stand in for the model in the sandbox; what matters is which path answered and when.
    v.decision = decision;
    v.source = winner === 'model' ? 'model' : 'rule-based-fallback';
    v.fallbackReason = winner === 'model' ? null : `the model did not answer within ${AIREVIEW_DEADLINE_MS} ms`;
    v.status = 'completed';
    v.completedAt = new Date().toISOString();
    this.stats[winner === 'model' ? 'model' : 'fallback'] += 1;
    model.catch(() => {});
    deadline.catch(() => {});
    this.waiters.wake(v.reviewId);
    await this.ctx.publisher
      .publish(
        'AIReviewService',
        'ReviewCompleted',
        {
          reviewId: v.reviewId,
          userId: v.userId,
          subjectType: v.subjectType,
          subjectId: v.subjectId,
          decision: v.decision,
          source: v.source,
        },
        trace,
      )
      .catch((e: unknown) => this.ctx.log(`aireview: publishing ReviewCompleted failed: ${(e as Error).message}`));
  }

  private until(v: Review, ms: number): Promise<void> {
    return this.waiters.until(v.reviewId, ms);
  }
}

export function createAIReviewService(ctx: ServiceContext, _registry: ServiceRegistry): AIReviewService {
  return new AIReviewService(ctx);
}
