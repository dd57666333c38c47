import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Target } from '../config/index.js';
import { createError } from '../errors/index.js';
import { openAmqpTap } from './amqp-tap.js';
import { fetchJson } from './http-json.js';
import { createRunQueue, eventBridgeClientFor, LEFTOVER_AGE_MS, removeLeftoverTaps, type RunQueue } from './run-tap.js';

/** Events per read of the admin API's legacy tap. */
const LEGACY_PAGE = 5000;

/** The platform's event shape (lib/sandbox publisher), as far as the probes read it. */
export interface PlatformEvent {
  eventId: string;
  type: string;
  source?: string;
  runId?: string;
  correlationId?: string;
  occurredAt?: string;
  payload?: unknown;
  metadata?: { producer?: string; mode?: unknown; delivery?: 'primary' | 'validation'; sampled?: boolean };
}

export interface TappedEvent {
  path: 'eventbridge' | 'legacy';
  event: PlatformEvent;
  /** Epoch ms the event says it happened (publish time), falling back to when the tap saw it. */
  occurredAt: number;
  receivedAt: number;
  routingKey?: string;
}

export interface EventTapOptions {
  runId: string;
  sqs: SQSClient;
  /** The target: its bus gets the run's own rule and queue; its legacy exchange (or admin tap) is watched. */
  target: Target;
  log?: (line: string) => void;
}

/**
 * Watches both paths for the whole run, reading only what this run created:
 * - EventBridge: the run's own rule (this run's events only) feeding its own queue, created at start and
 *   deleted at stop (a crashed run's are deleted by a later run, see run-tap.ts);
 * - legacy: its own exclusive auto-delete queue bound `#` to the target's exchange (`legacy` in the
 *   target), or, for a platform without one (the in-process sandbox bus), the admin API's legacy tap.
 * Probes (divergence, rollback drill, journal) read from it. A tap that loses a bus says so through
 * {@link lostReason}: the run cannot decide on what it no longer sees.
 */
export class EventTap {
  readonly eventbridge: TappedEvent[] = [];
  readonly legacy: TappedEvent[] = [];
  private readonly ebIds = new Map<string, TappedEvent>();
  private stopped = false;
  private loops: Promise<void>[] = [];
  private legacyCursor = 0;
  private runQueue: RunQueue | null = null;
  private amqp: { close(): Promise<void> } | null = null;
  private readonly eventBridge: EventBridgeClient;
  private lost: string | undefined;
  errors: string[] = [];

  constructor(private readonly opts: EventTapOptions) {
    this.eventBridge = eventBridgeClientFor(opts.target);
  }

  async start(): Promise<void> {
    const { target, sqs, runId } = this.opts;
    const part = (what: string, e: unknown) =>
      createError(
        'QSL_TARGET_UNREACHABLE',
        `target "${target.name}": ${what} failed: ${(e as Error).message}. Check the aws section of the target file and the AWS credentials in the environment.`,
        { cause: e },
      );
    try {
      const removed = await removeLeftoverTaps({ bus: target.eventBus, sqs, eventBridge: this.eventBridge });
      if (removed.length) this.opts.log?.(`  removed taps left by earlier runs: ${removed.join(', ')}`);
    } catch (e) {
      throw part(`listing harness taps on EventBridge bus ${target.eventBus} and SQS`, e);
    }
    try {
      this.runQueue = await createRunQueue({ runId, bus: target.eventBus, sqs, eventBridge: this.eventBridge });
    } catch (e) {
      throw part(`creating the run's EventBridge rule and SQS queue on bus ${target.eventBus}`, e);
    }
    try {
      if (target.legacy) {
        this.amqp = await openAmqpTap({
          ...target.legacy,
          runId,
          onMessage: (m, key) => this.record('legacy', m as PlatformEvent, key),
          onLost: (why) => this.loseBus(`the legacy broker went away mid-run (${why})`),
        });
      }
    } catch (e) {
      await this.removeRunQueue();
      throw e;
    }
    if (!target.legacy) await this.skipLegacyHistory();
    this.loops = [this.sqsLoop(this.runQueue.queueUrl), ...(target.legacy ? [] : [this.legacyLoop()])];
  }

  /** Stops reading and deletes what the tap created. Loud when something stays behind. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled(this.loops);
    await this.amqp?.close();
    this.amqp = null;
    await this.removeRunQueue();
    this.eventBridge.destroy();
  }

  /** Why the tap stopped seeing a bus mid-run, if it did. */
  lostReason(): string | undefined {
    return this.lost;
  }

  /** Errors met while reading the buses, as a probe result for the report; null when there were none. */
  errorProbe(): { value: number; note: string; details: { errors: string[] } } | null {
    return this.errors.length
      ? { value: this.errors.length, note: 'errors while reading the buses', details: { errors: this.errors } }
      : null;
  }

  ebEvent(eventId: string): TappedEvent | undefined {
    return this.ebIds.get(eventId);
  }

  private async removeRunQueue(): Promise<void> {
    const q = this.runQueue;
    if (!q) return;
    this.runQueue = null;
    const left = await q.remove();
    if (left.length) {
      const msg = `could not delete the run's tap (${left.join('; ')}); the next run deletes it once it is ${LEFTOVER_AGE_MS / 3_600_000} h old, or delete it by hand`;
      this.note(new Error(msg));
      console.error(`warning: ${msg}`);
    }
  }

  private loseBus(reason: string): void {
    if (this.stopped || this.lost) return;
    this.lost = reason;
    this.note(new Error(reason));
  }

  private record(path: TappedEvent['path'], event: PlatformEvent, routingKey?: string): void {
    if (!event || event.runId !== this.opts.runId) return;
    const receivedAt = Date.now();
    const occurred = event.occurredAt ? Date.parse(event.occurredAt) : NaN;
    const t: TappedEvent = { path, event, occurredAt: Number.isFinite(occurred) ? occurred : receivedAt, receivedAt, routingKey };
    if (path === 'eventbridge') {
      if (this.ebIds.has(event.eventId)) return;
      this.ebIds.set(event.eventId, t);
      this.eventbridge.push(t);
    } else this.legacy.push(t);
  }

  private note(err: unknown): void {
    const msg = err instanceof Error ? err.message : String(err);
    if (this.errors.length < 20) this.errors.push(msg);
    this.opts.log?.(`event tap: ${msg}`);
  }

  private async sqsLoop(queueUrl: string): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        const r = await this.opts.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        failures = 0;
        const msgs = r.Messages ?? [];
        for (const m of msgs) {
          try {
            const envelope = JSON.parse(m.Body ?? '{}') as { detail?: PlatformEvent };
            if (envelope.detail?.eventId) this.record('eventbridge', envelope.detail);
          } catch {
            // Not an EventBridge envelope of ours: ignore.
          }
        }
        if (msgs.length) {
          // The run's own queue: deleting what was read keeps redeliveries out, and no one else reads it.
          await this.opts.sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: msgs.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
            }),
          );
        }
      } catch (e) {
        if (this.stopped) break;
        this.note(e);
        if (++failures >= 5) this.loseBus(`the run's SQS tap queue stopped answering (${(e as Error).message})`);
        await new Promise((res) => setTimeout(res, 500));
      }
    }
  }

  private legacyUrl(): string {
    return `${this.opts.target.admin}/admin/legacy/events?runId=${encodeURIComponent(this.opts.runId)}&limit=${LEGACY_PAGE}`;
  }

  /**
   * The run's EventBridge rule sees its events only from its creation, while the admin API's legacy tap keeps history:
   * events this run published before the tap existed (runners started before `collect --during` was ready) would read
   * as missing on EventBridge. Both paths start here; what came before is counted and said, never compared.
   */
  private async skipLegacyHistory(): Promise<void> {
    let skipped = 0;
    try {
      for (;;) {
        const r = await fetchJson<{ events: unknown[]; next: number }>(`${this.legacyUrl()}&after=${this.legacyCursor}`);
        if (typeof r.next === 'number') this.legacyCursor = r.next;
        skipped += r.events.length;
        if (r.events.length < LEGACY_PAGE || typeof r.next !== 'number') break;
      }
    } catch (e) {
      this.note(e);
    }
    if (skipped)
      this.opts.log?.(
        `  event tap: ${skipped} event(s) of run ${this.opts.runId} were published before the tap started: not compared (start the observation before the load)`,
      );
  }

  private async legacyLoop(): Promise<void> {
    const base = this.legacyUrl();
    while (!this.stopped) {
      try {
        const r = await fetchJson<{ events: Array<{ seq: number; routingKey: string; message: PlatformEvent }>; next: number }>(
          `${base}&after=${this.legacyCursor}`,
        );
        for (const e of r.events) this.record('legacy', e.message, e.routingKey);
        if (typeof r.next === 'number') this.legacyCursor = r.next;
        if (r.events.length === 0) await new Promise((res) => setTimeout(res, 250));
      } catch (e) {
        if (!this.stopped) this.note(e);
        await new Promise((res) => setTimeout(res, 500));
      }
    }
  }
}
