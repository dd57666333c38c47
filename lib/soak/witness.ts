/**
 * The truth the SSE streams are checked against: the events the buses carried for the soak's users, read by the
 * harness itself (its own run-scoped rule and queue on the EventBridge side, the legacy tap on the other), never the gateway's own
 * account. Matched against what each user's stream delivered; an expected event still unmatched after the settle
 * time is missed.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Target } from '../config/index.js';
import { namedUsers } from '../sandbox/index.js';
import { createRunQueue, eventBridgeClientFor, fetchJson, type RunQueue } from '../verify/index.js';

interface BusEvent {
  eventId?: string;
  type?: string;
  runId?: string;
  occurredAt?: string;
  payload?: unknown;
}

export interface WitnessOptions {
  runId: string;
  sqs: SQSClient;
  /** The witness taps the target's bus with its own run-scoped rule and queue (`qsl-harness-<runId>-sse`). */
  target: Target;
  adminUrl: string;
  users: ReadonlySet<string>;
  /** Events published before this (epoch ms) are not expected on the streams (clients were not connected yet). */
  since: () => number;
  log?: (line: string) => void;
}

const key = (user: string, eventId: string) => `${user}\u0000${eventId}`;
const MAX_UNMATCHED_AGE_MS = 10 * 60_000;

export class BusWitness {
  /** Expected on a stream, not received yet: key -> publish time. */
  private readonly pending = new Map<string, number>();
  /** Received on a stream before the witness saw it on a bus: key -> receive time. */
  private readonly early = new Map<string, number>();
  private readonly seen = new Set<string>();
  private stopped = false;
  private loops: Promise<void>[] = [];
  private legacyCursor = 0;
  private runQueue: RunQueue | null = null;
  expected = 0;
  readonly errors: string[] = [];

  constructor(private readonly opts: WitnessOptions) {}

  async start(): Promise<void> {
    const eventBridge = eventBridgeClientFor(this.opts.target);
    try {
      this.runQueue = await createRunQueue({
        runId: this.opts.runId,
        bus: this.opts.target.eventBus,
        sqs: this.opts.sqs,
        eventBridge,
        suffix: '-sse',
      });
    } finally {
      eventBridge.destroy();
    }
    this.loops = [this.sqsLoop(this.runQueue.queueUrl), this.legacyLoop()];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled(this.loops);
    const left = (await this.runQueue?.remove()) ?? [];
    this.runQueue = null;
    if (left.length) this.note(new Error(`could not delete the soak's tap: ${left.join('; ')}`));
  }

  /** A stream delivered `eventId` to `user`. */
  received(user: string, eventId: string, type: string, payload: unknown): void {
    if (!namedUsers(type, payload).includes(user)) return;
    const k = key(user, eventId);
    if (this.pending.delete(k)) return;
    this.early.set(k, Date.now());
  }

  /** Expected events published before `before` and still not delivered, with a few examples. */
  missed(before: number): { count: number; samples: string[] } {
    let count = 0;
    const samples: string[] = [];
    for (const [k, at] of this.pending) {
      if (at >= before) continue;
      count += 1;
      if (samples.length < 20) samples.push(k.replace('\u0000', ':'));
    }
    return { count, samples };
  }

  /** Pending expectations (not yet delivered), whatever their age. */
  get outstanding(): number {
    return this.pending.size;
  }

  private record(e: BusEvent): void {
    if (e.runId !== this.opts.runId || !e.eventId || !e.type) return;
    if (this.seen.has(e.eventId)) return;
    this.seen.add(e.eventId);
    if (this.seen.size > 200_000) this.seen.delete(this.seen.values().next().value!);
    const at = e.occurredAt ? Date.parse(e.occurredAt) : Date.now();
    if (!(at >= this.opts.since())) return;
    for (const user of namedUsers(e.type, e.payload)) {
      if (!this.opts.users.has(user)) continue;
      this.expected += 1;
      const k = key(user, e.eventId);
      if (this.early.delete(k)) continue;
      this.pending.set(k, at);
    }
    // Deliveries the buses never showed (not a soak user's truth event, or the tap lost it) are forgotten in time.
    const old = Date.now() - MAX_UNMATCHED_AGE_MS;
    for (const [k, t] of this.early) {
      if (t >= old) break;
      this.early.delete(k);
    }
  }

  private note(err: unknown): void {
    if (this.stopped) return;
    const msg = err instanceof Error ? err.message : String(err);
    if (this.errors.length < 20) this.errors.push(msg);
    this.opts.log?.(`soak bus witness: ${msg}`);
  }

  private async sqsLoop(queueUrl: string): Promise<void> {
    while (!this.stopped) {
      try {
        const r = await this.opts.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        const msgs = r.Messages ?? [];
        for (const m of msgs) {
          try {
            this.record((JSON.parse(m.Body ?? '{}') as { detail?: BusEvent }).detail ?? {});
          } catch {
            // Not an EventBridge envelope: not ours.
          }
        }
        if (msgs.length) {
          await this.opts.sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: msgs.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
            }),
          );
        }
      } catch (e) {
        this.note(e);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  private async legacyLoop(): Promise<void> {
    const base = `${this.opts.adminUrl}/admin/legacy/events?runId=${encodeURIComponent(this.opts.runId)}&limit=5000`;
    while (!this.stopped) {
      try {
        const r = await fetchJson<{ events: Array<{ message: BusEvent }>; next: number }>(`${base}&after=${this.legacyCursor}`);
        for (const e of r.events) this.record(e.message);
        if (typeof r.next === 'number') this.legacyCursor = r.next;
      } catch (e) {
        this.note(e);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
