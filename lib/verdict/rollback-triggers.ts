import {
  describeTrigger,
  ROLLBACK_TRIGGERS,
  scaledWindowSeconds,
  type RollbackTrigger,
  type TriggerId,
} from '../../thresholds/rollback-triggers.js';
import type { SecondBucket } from '../results/index.js';
import type { ProbeResult } from './types.js';

export { ROLLBACK_TRIGGERS };

/** One second of what a trigger can see: the harness's own requests, its deliveries, the DLQs. */
export interface TriggerSecond {
  /** Epoch ms at the start of the second. */
  t: number;
  requests: number;
  failed: number;
  /** p95 of the requests that finished in this second (ms), null when none did. */
  p95: number | null;
  /** Deliveries that fell due in this second, and how many of them failed. */
  deliveries?: number;
  deliveryFailures?: number;
  /** Summed DLQ depth read in this second; absent or null: not read this second (the last reading stands). */
  dlqDepth?: number | null;
}

/** A trigger's state after the latest second. */
export interface TriggerState {
  id: TriggerId;
  trigger: RollbackTrigger;
  /** The window actually used (scaled, possibly shortened to a run), seconds; 0 for an instant trigger. */
  windowSeconds: number;
  /** The window's value now: a ratio, a p95 in ms, or a message count; null when nothing was measured yet. */
  value: number | null;
  /** Seconds seen so far. */
  observedSeconds: number;
  /** Whether the trigger has seen a whole window (an instant trigger: a reading). */
  full: boolean;
  /** Since when (epoch ms) the value has been above the threshold, null when it is not. */
  overSince: number | null;
  /** How long it has been above, in seconds. */
  overForSeconds: number;
  /** Above the threshold for the whole window: the seed's action applies. */
  firing: boolean;
  /** When it first fired, epoch ms. */
  firedAt: number | null;
  /** Worst value over any full window (ratio triggers), longest time above (sustained, seconds), highest reading (instant). */
  worst: number | null;
}

interface RatioWindow {
  buf: Array<{ num: number; den: number }>;
  num: number;
  den: number;
}

/**
 * The seed's four rollback triggers evaluated second by second over sliding windows. Fed live by
 * the watcher and after the fact by the post-run check, so both read the triggers the same way.
 */
export class TriggerWindows {
  private readonly states: TriggerState[];
  private readonly ratios = new Map<TriggerId, RatioWindow>();
  private lastT: number | null = null;

  /**
   * @param opts.scale multiplies every window (tests: `--window-scale 0.02`);
   * @param opts.capSeconds shortens windows longer than this (a run shorter than a window).
   */
  constructor(opts: { scale?: number; capSeconds?: number; triggers?: readonly RollbackTrigger[] } = {}) {
    const triggers = opts.triggers ?? ROLLBACK_TRIGGERS;
    this.states = triggers.map((trigger) => {
      let windowSeconds = scaledWindowSeconds(trigger, opts.scale ?? 1);
      if (opts.capSeconds !== undefined && windowSeconds > 0) windowSeconds = Math.max(1, Math.min(windowSeconds, opts.capSeconds));
      return {
        id: trigger.id,
        trigger,
        windowSeconds,
        value: null,
        observedSeconds: 0,
        full: false,
        overSince: null,
        overForSeconds: 0,
        firing: false,
        firedAt: null,
        worst: null,
      };
    });
    for (const s of this.states) if (s.trigger.window.kind === 'ratio') this.ratios.set(s.id, { buf: [], num: 0, den: 0 });
  }

  /** Adds one second (seconds must come in order; gaps count as seconds with nothing in them). */
  push(sec: TriggerSecond): readonly TriggerState[] {
    if (this.lastT !== null && sec.t > this.lastT + 1000) {
      for (let t = this.lastT + 1000; t < sec.t; t += 1000) this.step({ t, requests: 0, failed: 0, p95: null });
    }
    this.step(sec);
    return this.states;
  }

  current(): readonly TriggerState[] {
    return this.states;
  }

  private step(sec: TriggerSecond): void {
    this.lastT = sec.t;
    for (const s of this.states) {
      s.observedSeconds += 1;
      const w = s.trigger.window;
      if (w.kind === 'ratio') {
        const r = this.ratios.get(s.id)!;
        const add =
          s.id === 'delivery-failure'
            ? { num: sec.deliveryFailures ?? 0, den: sec.deliveries ?? 0 }
            : { num: sec.failed, den: sec.requests };
        r.buf.push(add);
        r.num += add.num;
        r.den += add.den;
        while (r.buf.length > s.windowSeconds) {
          const old = r.buf.shift()!;
          r.num -= old.num;
          r.den -= old.den;
        }
        s.value = r.den > 0 ? r.num / r.den : null;
        s.full = s.observedSeconds >= s.windowSeconds;
        this.track(
          s,
          sec.t,
          s.value !== null && s.value > s.trigger.threshold,
          s.full && s.value !== null && s.value > s.trigger.threshold,
        );
        if (s.full && s.value !== null) s.worst = Math.max(s.worst ?? 0, s.value);
      } else if (w.kind === 'sustained') {
        // A second without a finished request neither starts nor ends a spell above the threshold.
        if (sec.p95 !== null) s.value = sec.p95;
        const over = sec.p95 === null ? s.overSince !== null : sec.p95 > s.trigger.threshold;
        s.full = s.observedSeconds >= s.windowSeconds;
        const overFor = over ? (sec.t - (s.overSince ?? sec.t)) / 1000 + 1 : 0;
        this.track(s, sec.t, over, overFor >= s.windowSeconds);
        s.worst = Math.max(s.worst ?? 0, s.overForSeconds);
      } else {
        if (sec.dlqDepth !== undefined && sec.dlqDepth !== null) s.value = sec.dlqDepth;
        s.full = s.value !== null;
        const over = s.value !== null && s.value > s.trigger.threshold;
        this.track(s, sec.t, over, over);
        if (s.value !== null) s.worst = Math.max(s.worst ?? 0, s.value);
      }
    }
  }

  private track(s: TriggerState, t: number, over: boolean, firing: boolean): void {
    if (over) s.overSince ??= t;
    else s.overSince = null;
    s.overForSeconds = s.overSince === null ? 0 : (t - s.overSince) / 1000 + 1;
    s.firing = firing;
    if (firing) s.firedAt ??= t;
  }
}

/** The run's deliveries as a whole (the post-run check cannot place them in time). */
export interface DeliveryTotals {
  deliveries: number;
  failures: number;
  /** Where the numbers come from, for the report. */
  source: string;
}

function formatValue(t: RollbackTrigger, v: number | null): string | number | null {
  if (v === null) return null;
  return t.window.kind === 'sustained' ? `${v} s above` : v;
}

/**
 * Would the seed's rollback triggers have fired during this run? Reported beside the verdict (they
 * guard production, not the Go/No-Go decision). Windows longer than the run are shortened to it and
 * the note says so. Delivery failures are known only as the run's totals: they are placed in the
 * run's last second, so the delivery window reads them as a whole.
 */
export function evaluateRollbackTriggers(
  series: readonly SecondBucket[],
  dlqMessages: number | null,
  delivery: DeliveryTotals | null = null,
): ProbeResult {
  const span = series.length;
  const windows = new TriggerWindows({ capSeconds: Math.max(1, span) });
  series.forEach((b, i) => {
    const last = i === span - 1;
    windows.push({
      ...b,
      ...(last ? { dlqDepth: dlqMessages } : {}),
      ...(last && delivery ? { deliveries: delivery.deliveries, deliveryFailures: delivery.failures } : {}),
    });
  });
  if (span === 0 && dlqMessages !== null) windows.push({ t: 0, requests: 0, failed: 0, p95: null, dlqDepth: dlqMessages });
  const rows = windows.current().map((s) => {
    const t = s.trigger;
    const measured = t.id === 'delivery-failure' && !delivery ? null : span === 0 && t.window.kind !== 'instant' ? null : s.worst;
    const fired = s.firedAt !== null && measured !== null;
    return {
      id: t.id,
      trigger: describeTrigger(t),
      window:
        t.window.kind === 'instant'
          ? 'at the end'
          : s.windowSeconds < t.window.seconds
            ? `${s.windowSeconds} s (run shorter than ${t.window.seconds} s)`
            : `${s.windowSeconds} s`,
      measured: formatValue(t, measured),
      fired,
      action: t.actionLabel,
      ...(t.id === 'delivery-failure' && delivery
        ? { deliveries: delivery.deliveries, failures: delivery.failures, source: delivery.source }
        : {}),
    };
  });
  const fired = rows.filter((r) => r.fired);
  const unmeasured = rows.filter((r) => r.measured === null).map((r) => r.id);
  return {
    value: fired.length,
    note: fired.length
      ? `${fired.length} rollback trigger(s) would have fired: ${fired.map((r) => r.trigger).join('; ')}`
      : `no rollback trigger would have fired${unmeasured.length ? ` (not measured: ${unmeasured.join(', ')})` : ''}`,
    details: { triggers: rows },
  };
}

/** A notification owed to a user that never arrived: the source events are named where the platform lists them. */
export type UndeliveredNotification = {
  userId: string;
  type: string;
  /** How many of this user's notifications of this type are missing. */
  missing: number;
  /** The source events whose notification never arrived (the platform's own list of what it emitted, minus what it delivered). */
  eventIds: string[];
};

/**
 * What the notifications probe (lib/verify/notifications-delivered.ts) writes as its details, and what the "Delivery
 * Failure" trigger reads back: one shape for both sides, so a renamed field breaks the build instead of the trigger.
 */
export type NotificationsDeliveredDetails = {
  /** Notifications owed: one per signup and profile update k6 saw succeed. */
  owed: number;
  /** Of those, how many arrived (each source event counted once, however often it was delivered). */
  delivered: number;
  waitedMs: number;
  /** Where the owed count comes from. */
  source: string;
  /** The first 50 (user, type) pairs with a shortfall. */
  undelivered: UndeliveredNotification[];
};

/** The probe id the notifications probe is filed under. */
export const NOTIFICATIONS_PROBE = 'notifications-delivered';

/**
 * The run's deliveries for the "Delivery Failure" trigger: its own notifications (owed vs delivered, from the
 * notifications probe) plus messages that arrived in the DLQs during the run, each counted as a failed delivery.
 * Null when the run saw neither.
 */
export function deliveryTotals(probes: Readonly<Record<string, ProbeResult>>, dlqArrivals: number | null): DeliveryTotals | null {
  const d = probes[NOTIFICATIONS_PROBE]?.details as Partial<NotificationsDeliveredDetails> | undefined;
  const owed = typeof d?.owed === 'number' ? d.owed : null;
  const delivered = typeof d?.delivered === 'number' ? d.delivered : null;
  const sources: string[] = [];
  let deliveries = 0;
  let failures = 0;
  if (owed !== null && delivered !== null && owed > 0) {
    deliveries += owed;
    failures += owed - delivered;
    sources.push(`${owed - delivered} of ${owed} notifications undelivered`);
  }
  if (dlqArrivals !== null) {
    deliveries += dlqArrivals;
    failures += dlqArrivals;
    sources.push(`${dlqArrivals} DLQ arrival(s) during the run`);
  }
  return deliveries > 0 || (dlqArrivals !== null && owed !== null) ? { deliveries, failures, source: sources.join(', ') } : null;
}
