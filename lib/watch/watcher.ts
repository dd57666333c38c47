import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { DELIVERY_DEADLINE, type TriggerAction } from '../../thresholds/rollback-triggers.js';
import type { Target } from '../config/index.js';
import { QSL_ENV } from '../contract/index.js';
import { runK6, type K6Outcome } from '../run/index.js';
import { dlqName } from '../sandbox/index.js';
import { TriggerWindows, type TriggerState } from '../verdict/index.js';
import { fetchJson, performStageRollback } from '../verify/index.js';
import { DeliveryTracker, type NotificationsView } from './deliveries.js';
import { formatTriggerValue, type WatchDisplay } from './display.js';
import { LiveRequests, p95Of } from './live-requests.js';
import { Timeline, type TimelineEntry } from './timeline.js';

export interface LiveWatchOptions {
  target: Target;
  /** The rollout stage (the seed's emergency-rollback.sh argument). */
  stage: string;
  runId: string;
  /** Run directory: raw k6 results, k6 log and timeline.ndjson go here. */
  dir: string;
  /** Multiplies every trigger window (1 = the seed's). */
  windowScale: number;
  ratePerSecond: number;
  durationSeconds: number;
  k6Path: string;
  bundle: string;
  identitiesFile: string;
  sqs: SQSClient;
  /** Run the target's rollback action on an auto-rollback trigger (the gate leaves that to Flagger). */
  runRollback: boolean;
  alertWebhook?: string;
  pauseWebhook?: string;
  display: WatchDisplay;
  /** Ctrl-C: stop the load, write what there is. */
  signal?: AbortSignal;
}

export interface RollbackRecord {
  trigger: string;
  action: string | null;
  outcome: 'ok' | 'failed' | 'left-to-flagger';
  detail?: string;
  /** Services still publishing to EventBridge (`true`) after the rollback, from the admin API. */
  stillOnEventBridge?: string[];
  flagsAfter?: Record<string, unknown> | null;
}

export interface WatchResult {
  outcome: 'clean' | 'fired' | 'could-not-watch';
  exitCode: 0 | 1 | 2;
  reason: string;
  startedAt: string;
  finishedAt: string;
  states: TriggerState[];
  timeline: TimelineEntry[];
  requests: { total: number; failed: number };
  deliveries: DeliveryTracker['totals'];
  rollback: RollbackRecord | null;
  k6: K6Outcome | null;
}

const TICK_MS = 1000;
/** k6 results for a second may still be on their way this long after it ended. */
const LAG_MS = 2500;
const POLL_MS = 2000;
/** No request at all by then: the load never started (setup failed, gateway down). */
const START_TIMEOUT_MS = 90_000;

/** Summed DLQ depth of the target's service queues; null when none could be read. */
async function dlqDepth(sqs: SQSClient, queues: readonly string[]): Promise<number | null> {
  let total: number | null = null;
  for (const q of queues) {
    try {
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: dlqName(q) }));
      const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
      total = (total ?? 0) + Number(a.Attributes?.ApproximateNumberOfMessages ?? 0);
    } catch {
      // An unreadable DLQ is left out; all unreadable means "not measured".
    }
  }
  return total;
}

/**
 * The live control loop of the seed's rollback triggers: drives the steady watch load on real k6,
 * reads the target's DLQs and the run's notifications, evaluates the four triggers second by second
 * and takes the seed's action the moment one fires. Every decision lands in the timeline.
 */
export class LiveWatch {
  readonly windows: TriggerWindows;
  readonly timeline: Timeline;
  private readonly requests: LiveRequests;
  private readonly deliveries: DeliveryTracker;
  private readonly k6Abort = new AbortController();
  private stopRequested = false;
  private rollback: RollbackRecord | null = null;
  private readonly handled = new Set<string>();
  private readonly over = new Map<string, boolean>();
  private lastDlq: number | null = null;
  private notificationsError = false;

  constructor(private readonly o: LiveWatchOptions) {
    this.windows = new TriggerWindows({ scale: o.windowScale });
    this.timeline = new Timeline(join(o.dir, 'timeline.ndjson'));
    this.requests = new LiveRequests(join(o.dir, 'raw', 'watch.ndjson'));
    this.deliveries = new DeliveryTracker(Math.max(DELIVERY_DEADLINE.floorSeconds, DELIVERY_DEADLINE.seconds * o.windowScale) * 1000);
  }

  /** Ends the watch gracefully (the gate's post-rollout). */
  stop(): void {
    this.stopRequested = true;
    this.k6Abort.abort();
  }

  states(): readonly TriggerState[] {
    return this.windows.current();
  }

  /** Triggers that fired, optionally only those whose seed action is `action`. */
  fired(action?: TriggerAction): TriggerState[] {
    return this.windows.current().filter((s) => s.firedAt !== null && (!action || s.trigger.action === action));
  }

  async run(): Promise<WatchResult> {
    const o = this.o;
    const started = Date.now();
    const onAbort = () => this.k6Abort.abort();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    this.timeline.add({
      event: 'start',
      detail: `stage ${o.stage}, target ${o.target.name}, ${o.ratePerSecond} requests/s for up to ${o.durationSeconds} s, window scale ${o.windowScale}`,
    });
    let k6: K6Outcome | null = null;
    const k6Done = runK6({
      k6Path: o.k6Path,
      bundle: o.bundle,
      scenario: 'watch',
      outFile: join(o.dir, 'raw', 'watch.ndjson'),
      logFile: join(o.dir, 'raw', 'watch.k6.log'),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        [QSL_ENV.runId]: o.runId,
        [QSL_ENV.gatewayUrl]: o.target.gateway,
        [QSL_ENV.identities]: o.identitiesFile,
        [QSL_ENV.watchRate]: String(o.ratePerSecond),
        [QSL_ENV.watchDurationSeconds]: String(o.durationSeconds),
        K6_NO_USAGE_REPORT: 'true',
      },
      signal: this.k6Abort.signal,
    }).then(
      (r) => (k6 = r),
      (e: Error) => {
        this.timeline.add({ event: 'error', detail: `k6 could not run: ${e.message}` });
        return null;
      },
    );
    let k6Ended = false;
    void k6Done.then(() => (k6Ended = true));
    let next: number | null = null;
    let lastPoll = 0;
    let polling: Promise<void> | null = null;
    let noStart = false;

    for (;;) {
      await Promise.race([delay(TICK_MS), k6Done]);
      const now = Date.now();
      if (!polling && now - lastPoll >= POLL_MS) {
        lastPoll = now;
        polling = this.pollPlatform(now).finally(() => (polling = null));
      }
      const final = k6Ended;
      if (final && polling) await polling;
      this.requests.poll();
      if (next === null) next = this.requests.firstSecond;
      if (next !== null) {
        const limit = final ? Math.floor(now / 1000) * 1000 + 1000 : Math.floor((now - LAG_MS) / 1000) * 1000;
        for (; next < limit; next += 1000) {
          const r = this.requests.take(next);
          const d = this.deliveries.take(next);
          this.windows.push({
            t: next,
            requests: r.requests,
            failed: r.failed,
            p95: p95Of(r.durations),
            deliveries: d.deliveries,
            deliveryFailures: d.failures,
            dlqDepth: this.lastDlq,
          });
          await this.decide(next);
        }
      } else if (now - started > START_TIMEOUT_MS && !final) {
        noStart = true;
        this.timeline.add({
          event: 'error',
          detail: `no request of the watch load finished within ${START_TIMEOUT_MS / 1000} s; see ${join(o.dir, 'raw', 'watch.k6.log')}`,
        });
        this.k6Abort.abort();
      }
      o.display.render(this.windows.current(), next === null ? 0 : next - (this.requests.firstSecond ?? next), this.requests.total);
      if (final) break;
    }
    o.signal?.removeEventListener('abort', onAbort);
    o.display.stop();
    return this.result(started, k6, noStart);
  }

  private async pollPlatform(now: number): Promise<void> {
    const [depth, view] = await Promise.all([
      dlqDepth(this.o.sqs, this.o.target.serviceQueues),
      fetchJson<NotificationsView>(`${this.o.target.admin}/admin/notifications?runId=${encodeURIComponent(this.o.runId)}`).catch(
        (e: Error) => {
          if (!this.notificationsError)
            this.timeline.add({
              event: 'error',
              detail: `notifications not readable (delivery failure not measured from them): ${e.message}`,
            });
          this.notificationsError = true;
          return null;
        },
      ),
    ]);
    if (depth !== null) {
      this.deliveries.dlq(depth, now);
      this.lastDlq = depth;
    }
    if (view) this.deliveries.notifications(view, now);
  }

  /** Records crossings and takes the seed's action for each trigger that fired in second `t`. */
  private async decide(t: number): Promise<void> {
    for (const s of this.windows.current()) {
      const wasOver = this.over.get(s.id) ?? false;
      const isOver = s.overSince !== null;
      if (isOver !== wasOver) {
        this.over.set(s.id, isOver);
        this.timeline.add({
          at: t,
          event: isOver ? 'over' : 'recovered',
          trigger: s.id,
          value: s.value,
          threshold: s.trigger.threshold,
          windowSeconds: s.windowSeconds,
        });
      }
      if (s.firedAt === null || this.handled.has(s.id)) continue;
      this.handled.add(s.id);
      await this.act(s);
    }
  }

  private async act(s: TriggerState): Promise<void> {
    const o = this.o;
    const what = `${s.trigger.metric} ${formatTriggerValue(s)} over the ${s.windowSeconds ? `${s.windowSeconds} s window` : 'last reading'} (threshold ${s.trigger.seed.split('|')[1].trim()})`;
    this.timeline.add({
      event: 'fired',
      trigger: s.id,
      value: s.value,
      threshold: s.trigger.threshold,
      windowSeconds: s.windowSeconds,
      action: s.trigger.actionLabel,
      detail: what,
    });
    o.display.event(`\x1b[31mTRIGGER ${s.id}: ${what} -> ${s.trigger.actionLabel}\x1b[0m`);
    const payload = {
      kind: s.trigger.action,
      trigger: s.id,
      seed: s.trigger.seed,
      value: s.value,
      threshold: s.trigger.threshold,
      windowSeconds: s.windowSeconds,
      stage: o.stage,
      target: o.target.name,
      runId: o.runId,
      at: new Date(s.firedAt ?? Date.now()).toISOString(),
    };
    if (o.alertWebhook) await this.webhook('alert', o.alertWebhook, payload);
    if (s.trigger.action === 'pause-deployment') {
      this.timeline.add({
        event: 'action',
        trigger: s.id,
        action: 'Pause deployment',
        outcome: 'ok',
        detail: 'pause recorded: do not advance the rollout until the DLQs are drained',
      });
      if (o.pauseWebhook) await this.webhook('pause', o.pauseWebhook, payload);
    } else if (s.trigger.action === 'alert-manual') {
      this.timeline.add({
        event: 'action',
        trigger: s.id,
        action: 'Alert + Manual',
        outcome: 'ok',
        detail: 'alert recorded: an operator decides whether to roll back',
      });
    } else if (!this.rollback) await this.autoRollback(s);
  }

  private async autoRollback(s: TriggerState): Promise<void> {
    const o = this.o;
    if (!o.runRollback) {
      this.rollback = { trigger: s.id, action: null, outcome: 'left-to-flagger' };
      this.timeline.add({
        event: 'action',
        trigger: s.id,
        action: 'Auto-rollback',
        outcome: 'ok',
        detail: "answered on Flagger's rollback hook; Flagger rolls the canary back",
      });
      return;
    }
    o.display.event(`  auto-rollback: running the stage ${o.stage} rollback action...`);
    try {
      const action = await performStageRollback(o.target, o.stage);
      this.rollback = { trigger: s.id, action, outcome: 'ok' };
      this.timeline.add({ event: 'action', trigger: s.id, action: 'Auto-rollback', outcome: 'ok', detail: action });
      o.display.event(`  auto-rollback done: ${action}`);
    } catch (e) {
      this.rollback = { trigger: s.id, action: null, outcome: 'failed', detail: (e as Error).message };
      this.timeline.add({ event: 'action', trigger: s.id, action: 'Auto-rollback', outcome: 'failed', detail: (e as Error).message });
      o.display.event(
        `\x1b[31m  AUTO-ROLLBACK FAILED: ${(e as Error).message}. Roll back by hand: emergency-rollback.sh ${o.stage}\x1b[0m`,
      );
    }
    const flags = await fetchJson<{ FeatureManagement?: { EventBridge?: Record<string, unknown> } }>(`${o.target.admin}/admin/flags`).catch(
      () => null,
    );
    const eb = flags?.FeatureManagement?.EventBridge;
    this.rollback.flagsAfter = eb ?? null;
    this.rollback.stillOnEventBridge = eb ? Object.keys(eb).filter((k) => eb[k] === true) : undefined;
    this.timeline.add({
      event: 'flags',
      detail: eb
        ? `after the rollback: ${this.rollback.stillOnEventBridge!.length ? `still EventBridge-only: ${this.rollback.stillOnEventBridge!.join(', ')}` : 'no service publishes to EventBridge only'}`
        : 'flags not readable after the rollback',
    });
    // The stage is rolled back: the load stops and the watch ends.
    this.k6Abort.abort();
  }

  private async webhook(kind: string, url: string, payload: Record<string, unknown>): Promise<void> {
    try {
      await fetchJson(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        timeoutMs: 10_000,
      });
      this.timeline.add({ event: 'webhook', trigger: String(payload.trigger), action: kind, outcome: 'ok', detail: `POST ${url}` });
    } catch (e) {
      this.timeline.add({
        event: 'webhook',
        trigger: String(payload.trigger),
        action: kind,
        outcome: 'failed',
        detail: (e as Error).message,
      });
      this.o.display.event(`  ${kind} webhook failed: ${(e as Error).message}`);
    }
  }

  private result(started: number, k6: K6Outcome | null, noStart: boolean): WatchResult {
    const states = this.windows.current().map((s) => ({ ...s }));
    const fired = states.filter((s) => s.firedAt !== null);
    let outcome: WatchResult['outcome'];
    let reason: string;
    const unmeasured = states.filter((s) => !s.full || s.value === null);
    if (fired.length) {
      outcome = 'fired';
      reason = `${fired.map((s) => `${s.id} (${s.trigger.actionLabel})`).join(', ')} fired${this.rollback?.outcome === 'failed' ? '; THE ROLLBACK ACTION FAILED' : ''}`;
    } else if (noStart || this.requests.total === 0) {
      outcome = 'could-not-watch';
      reason = `the watch load produced no request${k6?.message ? ` (k6: ${k6.message})` : ''}`;
    } else if (k6 && (k6.status === 'script-error' || k6.status === 'aborted')) {
      outcome = 'could-not-watch';
      reason = `k6 ${k6.status}: ${k6.message ?? ''}`;
    } else if (this.o.signal?.aborted) {
      outcome = 'could-not-watch';
      reason = 'interrupted before the rollout window ended';
    } else if (unmeasured.length) {
      outcome = 'could-not-watch';
      reason = `not every trigger could be evaluated: ${unmeasured
        .map((s) =>
          s.value === null
            ? `${s.id} never measured${s.id === 'dlq-depth' ? ' (list the service queues in the target file: queues.services)' : ''}`
            : `${s.id} saw ${s.observedSeconds} of its ${s.windowSeconds} s window`,
        )
        .join('; ')}`;
    } else {
      outcome = 'clean';
      reason = this.stopRequested ? 'stopped; no trigger fired' : 'the rollout window ended; no trigger fired';
    }
    this.timeline.add({ event: 'end', detail: `${outcome}: ${reason}` });
    return {
      outcome,
      exitCode: outcome === 'clean' ? 0 : outcome === 'fired' ? 1 : 2,
      reason,
      startedAt: new Date(started).toISOString(),
      finishedAt: new Date().toISOString(),
      states,
      timeline: this.timeline.entries,
      requests: { total: this.requests.total, failed: this.requests.totalFailed },
      deliveries: { ...this.deliveries.totals },
      rollback: this.rollback,
      k6,
    };
  }
}
