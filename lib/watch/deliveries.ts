/** What the platform's admin API says about the notifications a run's events owe (lib/sandbox/openapi.yaml). */
export interface NotificationsView {
  expected: Array<{ eventId: string }>;
  delivered: Array<{ eventId: string }>;
}

/**
 * The "Delivery Failure" trigger's counts, from what the watch itself caused: each of its events
 * that owes a notification is due once delivered (a success) or once `deadlineMs` has passed since
 * the watcher first saw it (a failure, if still undelivered). Messages arriving in the DLQs count
 * as failed deliveries too (they may be another client's, which errs on the side of rolling back).
 */
export class DeliveryTracker {
  private readonly firstSeen = new Map<string, number>();
  private readonly resolved = new Set<string>();
  private readonly pending = new Map<number, { deliveries: number; failures: number }>();
  private lastDlq: number | null = null;
  totals = { deliveries: 0, failures: 0, undelivered: 0, dlqArrivals: 0 };

  constructor(private readonly deadlineMs: number) {}

  private add(now: number, deliveries: number, failures: number): void {
    const second = Math.floor(now / 1000) * 1000;
    const p = this.pending.get(second) ?? { deliveries: 0, failures: 0 };
    p.deliveries += deliveries;
    p.failures += failures;
    this.pending.set(second, p);
    this.totals.deliveries += deliveries;
    this.totals.failures += failures;
  }

  notifications(view: NotificationsView, now: number): void {
    const delivered = new Set(view.delivered.map((d) => d.eventId));
    for (const { eventId } of view.expected) {
      if (this.resolved.has(eventId)) continue;
      const seen = this.firstSeen.get(eventId) ?? now;
      this.firstSeen.set(eventId, seen);
      if (delivered.has(eventId)) {
        this.resolved.add(eventId);
        this.firstSeen.delete(eventId);
        this.add(now, 1, 0);
      } else if (now - seen >= this.deadlineMs) {
        this.resolved.add(eventId);
        this.firstSeen.delete(eventId);
        this.totals.undelivered += 1;
        this.add(now, 1, 1);
      }
    }
  }

  /** A summed DLQ depth reading; the first one is the baseline. */
  dlq(depth: number, now: number): void {
    if (this.lastDlq !== null && depth > this.lastDlq) {
      this.totals.dlqArrivals += depth - this.lastDlq;
      this.add(now, depth - this.lastDlq, depth - this.lastDlq);
    }
    this.lastDlq = depth;
  }

  take(t: number): { deliveries: number; failures: number } {
    const p = this.pending.get(t) ?? { deliveries: 0, failures: 0 };
    this.pending.delete(t);
    return p;
  }

  /** Events seen but not yet due. */
  get outstanding(): number {
    return this.firstSeen.size;
  }
}
