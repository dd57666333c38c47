import { DeleteMessageBatchCommand, GetQueueUrlCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { fetchJson } from './http-json.js';

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
  /** Queue receiving a copy of every qsl.* event on the EventBridge bus. */
  auditQueue: string;
  /** The platform admin API, whose /admin/legacy/events taps the legacy exchange. */
  adminUrl: string;
  log?: (line: string) => void;
}

/**
 * Watches both paths for the whole run: the EventBridge side through the audit SQS queue (real
 * SQS API: long polling, delete after reading), the legacy side through the legacy tap. Keeps only
 * this run's events. Probes (divergence, rollback drill) read from it.
 */
/** The events of one run id, on both paths. */
export interface TapView {
  readonly eventbridge: TappedEvent[];
  readonly legacy: TappedEvent[];
}

export class EventTap implements TapView {
  readonly eventbridge: TappedEvent[] = [];
  readonly legacy: TappedEvent[] = [];
  private readonly ebIds = new Map<string, TappedEvent>();
  /** Phases that run under their own run id (the rollback drill's background load): kept apart from the run's events. */
  private readonly phases = new Map<string, TapView & { ebIds: Set<string> }>();
  private stopped = false;
  private loops: Promise<void>[] = [];
  errors: string[] = [];

  constructor(private readonly opts: EventTapOptions) {}

  async start(): Promise<void> {
    const { QueueUrl } = await this.opts.sqs.send(new GetQueueUrlCommand({ QueueName: this.opts.auditQueue }));
    if (!QueueUrl) throw new Error(`audit queue ${this.opts.auditQueue} not found`);
    // Earlier runs' events are left out by the runId filter on both paths.
    this.loops = [this.sqsLoop(QueueUrl), this.legacyLoop(this.opts.runId)];
  }

  /**
   * Also follows `runId` (a phase's own run id) from now on, on both paths, apart from the run's own events:
   * one audit-queue reader serves every run id, since reading deletes.
   */
  watch(runId: string): TapView {
    const existing = this.phases.get(runId);
    if (existing) return existing;
    const view = { eventbridge: [] as TappedEvent[], legacy: [] as TappedEvent[], ebIds: new Set<string>() };
    this.phases.set(runId, view);
    if (this.loops.length && !this.stopped) this.loops.push(this.legacyLoop(runId));
    return view;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled(this.loops);
  }

  /** Errors met while reading the buses, as a probe result for the report; null when there were none. */
  errorProbe(): { value: number; note: string; details: { errors: string[] } } | null {
    return this.errors.length ? { value: this.errors.length, note: 'errors while reading the buses', details: { errors: this.errors } } : null;
  }

  ebEvent(eventId: string): TappedEvent | undefined {
    return this.ebIds.get(eventId);
  }

  private record(path: TappedEvent['path'], event: PlatformEvent, routingKey?: string): void {
    const receivedAt = Date.now();
    const occurred = event.occurredAt ? Date.parse(event.occurredAt) : NaN;
    const t: TappedEvent = { path, event, occurredAt: Number.isFinite(occurred) ? occurred : receivedAt, receivedAt, routingKey };
    if (event.runId !== this.opts.runId) {
      const phase = event.runId === undefined ? undefined : this.phases.get(event.runId);
      if (!phase) return;
      if (path === 'legacy') phase.legacy.push(t);
      else if (!phase.ebIds.has(event.eventId)) {
        phase.ebIds.add(event.eventId);
        phase.eventbridge.push(t);
      }
      return;
    }
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
    while (!this.stopped) {
      try {
        const r = await this.opts.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
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
          await this.opts.sqs.send(
            new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: msgs.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }),
          );
        }
      } catch (e) {
        if (!this.stopped) this.note(e);
      }
    }
  }

  private async legacyLoop(runId: string): Promise<void> {
    const base = `${this.opts.adminUrl}/admin/legacy/events?runId=${encodeURIComponent(runId)}&limit=5000`;
    let cursor = 0;
    while (!this.stopped) {
      try {
        const r = await fetchJson<{ events: Array<{ seq: number; routingKey: string; message: PlatformEvent }>; next: number }>(`${base}&after=${cursor}`);
        for (const e of r.events) this.record('legacy', e.message, e.routingKey);
        if (typeof r.next === 'number') cursor = r.next;
        if (r.events.length === 0) await new Promise((res) => setTimeout(res, 250));
      } catch (e) {
        if (!this.stopped) this.note(e);
        await new Promise((res) => setTimeout(res, 500));
      }
    }
  }
}
