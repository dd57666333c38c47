import type { LegacyBus } from './types.js';

export interface TappedEvent {
  readonly seq: number;
  readonly routingKey: string;
  readonly receivedAt: string;
  readonly message: unknown;
}

export interface TapQuery {
  runId?: string;
  /** Return events with seq strictly greater than this. */
  after?: number;
  limit?: number;
}

/** A bounded ring buffer bound to `#` on the legacy exchange: what the validation probes read. */
export class LegacyTap {
  private readonly ring: (TappedEvent | undefined)[];
  private seq = 0;
  private readonly unsubscribe: () => void;

  constructor(
    bus: LegacyBus,
    readonly capacity = 200_000,
  ) {
    this.ring = new Array(capacity);
    this.unsubscribe = bus.subscribe('#', (message, routingKey) => {
      this.seq += 1;
      this.ring[this.seq % capacity] = { seq: this.seq, routingKey, receivedAt: new Date().toISOString(), message };
    });
  }

  /** Events in seq order; `next` is the seq to pass as `after` on the following call. */
  query(q: TapQuery = {}): { events: TappedEvent[]; next: number } {
    const limit = Math.max(1, Math.min(q.limit ?? 1000, 10_000));
    const oldest = Math.max(1, this.seq - this.capacity + 1);
    const after = q.after ?? 0;
    const events: TappedEvent[] = [];
    let next = Math.max(after, 0);
    for (let s = Math.max(oldest, after + 1); s <= this.seq && events.length < limit; s += 1) {
      const e = this.ring[s % this.capacity];
      if (!e) continue;
      next = s;
      if (q.runId !== undefined && runIdOf(e.message) !== q.runId) continue;
      events.push(e);
    }
    return { events, next };
  }

  close(): void {
    this.unsubscribe();
  }
}

function runIdOf(message: unknown): string | undefined {
  if (message && typeof message === 'object' && 'runId' in message) {
    const r = (message as { runId: unknown }).runId;
    return typeof r === 'string' ? r : undefined;
  }
  return undefined;
}
