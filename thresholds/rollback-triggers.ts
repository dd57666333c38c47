/**
 * The seed's "Safety Mechanisms" as data: the four rollback triggers and the emergency rollback
 * script's stages. One source for the post-run check (lib/verdict/rollback-triggers.ts), the live
 * watcher (lib/watch) and the Flagger gate (lib/gate). Tests shrink the windows with
 * `--window-scale`, never by editing these numbers.
 */
import type { FlaggedService } from '../lib/config/index.js';

/** What the seed says to do when a trigger fires. */
export type TriggerAction = 'auto-rollback' | 'alert-manual' | 'pause-deployment';

/**
 * How a trigger's window is read:
 * - `ratio`: failures / attempts summed over the trailing window; fires once the window is full and the ratio is above the threshold;
 * - `sustained`: a per-second value above the threshold for the whole window, without a second back at or below it;
 * - `instant`: the current value above the threshold (no window).
 */
export type TriggerWindow = { kind: 'ratio'; seconds: number } | { kind: 'sustained'; seconds: number } | { kind: 'instant' };

export type TriggerId = 'error-rate' | 'p95-latency' | 'dlq-depth' | 'delivery-failure';

export interface RollbackTrigger {
  id: TriggerId;
  /** The seed's row, verbatim. */
  seed: string;
  metric: string;
  threshold: number;
  unit: 'ratio' | 'ms' | 'messages';
  window: TriggerWindow;
  action: TriggerAction;
  /** The seed's wording of the action. */
  actionLabel: string;
  recovery: string;
  /** How the harness measures it, from what the run itself can see. */
  rule: string;
}

export const ROLLBACK_TRIGGERS: readonly RollbackTrigger[] = Object.freeze([
  {
    id: 'error-rate',
    seed: 'Error Rate | >5% for 5min | Auto-rollback | 5 minutes',
    metric: 'Error Rate',
    threshold: 0.05,
    unit: 'ratio',
    window: { kind: 'ratio', seconds: 300 },
    action: 'auto-rollback',
    actionLabel: 'Auto-rollback',
    recovery: '5 minutes',
    rule: "failed / all HTTP requests of the harness's own traffic over the trailing 5 minutes",
  },
  {
    id: 'p95-latency',
    seed: 'P95 Latency | >500ms for 10min | Alert + Manual | 15 minutes',
    metric: 'P95 Latency',
    threshold: 500,
    unit: 'ms',
    window: { kind: 'sustained', seconds: 600 },
    action: 'alert-manual',
    actionLabel: 'Alert + Manual',
    recovery: '15 minutes',
    rule: "each second's p95 of the harness's own requests above 500 ms for 10 minutes without a second back at or below it",
  },
  {
    id: 'dlq-depth',
    seed: 'DLQ Depth | >1000 messages | Pause deployment | 30 minutes',
    metric: 'DLQ Depth',
    threshold: 1000,
    unit: 'messages',
    window: { kind: 'instant' },
    action: 'pause-deployment',
    actionLabel: 'Pause deployment',
    recovery: '30 minutes',
    rule: "messages in the dead-letter queues of the target's service queues, summed, read through the SQS API",
  },
  {
    id: 'delivery-failure',
    seed: 'Delivery Failure | >1% for 5min | Auto-rollback | 5 minutes',
    metric: 'Delivery Failure',
    threshold: 0.01,
    unit: 'ratio',
    window: { kind: 'ratio', seconds: 300 },
    action: 'auto-rollback',
    actionLabel: 'Auto-rollback',
    recovery: '5 minutes',
    rule: "(undelivered notifications of the run's own events + DLQ arrivals) / (the run's events due for delivery + DLQ arrivals) over the trailing 5 minutes",
  },
]);

/**
 * The harness's own allowance (not in the seed): a notification not delivered this long after its
 * event was first seen counts as a failed delivery. Scaled with the windows, never below the floor.
 */
export const DELIVERY_DEADLINE = { seconds: 30, floorSeconds: 5 } as const;

/** The seed's emergency-rollback.sh: the services each stage sets to USE_EVENTBRIDGE=false (`*`: every service). */
const STAGES: Record<string, readonly FlaggedService[] | '*'> = {
  '1': ['OrchestrationService', 'UserService'],
  '2': ['PaymentGatewayService', 'QuantumLedger.Hub'],
  '3': ['InfrastructureService', 'TokenService'],
  '*': '*',
};
export const EMERGENCY_ROLLBACK_STAGES: Readonly<Record<string, readonly FlaggedService[] | '*'>> = Object.freeze(STAGES);

/** A trigger's window in seconds after scaling (0 for an instant trigger); at least 1 s. */
export function scaledWindowSeconds(t: RollbackTrigger, scale = 1): number {
  return t.window.kind === 'instant' ? 0 : Math.max(1, Math.round(t.window.seconds * scale));
}

/** "Error Rate > 5% for 5 min" from the data, for reports and the console. */
export function describeTrigger(t: RollbackTrigger): string {
  const th = t.unit === 'ratio' ? `${+(t.threshold * 100).toFixed(3)}%` : t.unit === 'ms' ? `${t.threshold} ms` : `${t.threshold} messages`;
  return `${t.metric} > ${th}${t.window.kind === 'instant' ? '' : ` for ${t.window.seconds / 60} min`}`;
}
