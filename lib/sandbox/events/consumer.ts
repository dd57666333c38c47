import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { LegacyBus } from '../legacy-bus/index.js';
import { isQslEvent, type QslEvent } from './types.js';

export type EventHandler = (event: QslEvent) => Promise<void>;

export interface EventConsumerOptions {
  /** For log lines ("notification"). */
  name: string;
  sqs: SQSClient;
  queueUrl: string;
  legacy: LegacyBus;
  /** Legacy topic bindings for the same events the queue's rule matches. */
  legacyBindings: readonly string[];
  handle: EventHandler;
  /**
   * Optional: also see `validation` copies (e.g. the ledger's shadow book for parallel validation). Not deduplicated
   * here: the handler must be idempotent. A throw is handled like the primary handler's.
   */
  onValidation?: EventHandler;
  /** Parallel long-pollers on the queue. */
  pollers?: number;
  /** Long-poll wait; short enough that stop() never waits long even if the abort is ignored. */
  waitTimeSeconds?: number;
  log?: (line: string) => void;
}

/** Bounded set of handled event ids (oldest forgotten first). */
class SeenSet {
  private readonly ids = new Set<string>();
  constructor(private readonly max = 500_000) {}
  has(id: string): boolean {
    return this.ids.has(id);
  }
  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.max) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
  }
}

/**
 * A service's consumer: reads its SQS queue (long polling; delete after successful handling; a failure leaves
 * the message for redelivery and, after maxReceiveCount, the DLQ) and its legacy bindings. Acts only on
 * `primary` copies, once per eventId; `validation` copies are acknowledged and ignored.
 */
export class EventConsumer {
  private readonly seen = new SeenSet();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private unsubscribers: (() => void)[] = [];
  private running = false;
  /** Counters for health and probes. */
  readonly stats = { handled: 0, duplicates: 0, validationIgnored: 0, failures: 0, malformed: 0 };

  constructor(private readonly opts: EventConsumerOptions) {}

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribers = this.opts.legacyBindings.map((pattern) =>
      this.opts.legacy.subscribe(pattern, async (message) => {
        try {
          await this.dispatch(message);
        } catch (err) {
          // Auto-ack legacy consumer: the message is lost for this service, as with RabbitMQ auto-ack.
          this.opts.log?.(`${this.opts.name}: legacy handling failed: ${(err as Error).message}`);
        }
      }),
    );
    for (let i = 0; i < (this.opts.pollers ?? 4); i += 1) this.loops.push(this.pollLoop());
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const u of this.unsubscribers) u();
    this.unsubscribers = [];
    this.abort.abort();
    await Promise.allSettled(this.loops);
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private async pollLoop(): Promise<void> {
    const { sqs, queueUrl } = this.opts;
    while (this.running) {
      try {
        const out = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: this.opts.waitTimeSeconds ?? 2,
          }),
          { abortSignal: this.abort.signal },
        );
        await Promise.all(
          (out.Messages ?? []).map(async (m) => {
            let event: unknown;
            try {
              event = unwrapEnvelope(m.Body ?? '');
            } catch {
              // Left undeleted: redelivered until maxReceiveCount moves it to the DLQ.
              this.stats.malformed += 1;
              this.opts.log?.(`${this.opts.name}: malformed message ${m.MessageId} left for the DLQ`);
              return;
            }
            try {
              await this.dispatch(event);
            } catch (err) {
              this.opts.log?.(`${this.opts.name}: handling ${m.MessageId} failed, left for redelivery: ${(err as Error).message}`);
              return;
            }
            if (m.ReceiptHandle) {
              await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
            }
          }),
        );
      } catch (err) {
        if (!this.running) return;
        this.opts.log?.(`${this.opts.name}: receive from ${queueUrl} failed: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  /** Handle one event; duplicates and validation copies resolve without acting. Throws if the handler throws. */
  private async dispatch(message: unknown): Promise<void> {
    if (!isQslEvent(message)) {
      this.stats.malformed += 1;
      throw new Error('not a qsl event');
    }
    if (message.metadata.delivery !== 'primary') {
      this.stats.validationIgnored += 1;
      if (this.opts.onValidation) await this.opts.onValidation(message);
      return;
    }
    const id = message.eventId;
    if (this.seen.has(id)) {
      this.stats.duplicates += 1;
      return;
    }
    const pending = this.inFlight.get(id);
    if (pending) {
      // A concurrent copy of the same event: its outcome is ours.
      this.stats.duplicates += 1;
      return pending;
    }
    const run = this.opts.handle(message).then(
      () => {
        this.seen.add(id);
        this.stats.handled += 1;
      },
      (err: unknown) => {
        this.stats.failures += 1;
        throw err;
      },
    );
    this.inFlight.set(id, run);
    try {
      await run;
    } finally {
      this.inFlight.delete(id);
    }
  }
}

/** The qsl event inside an SQS body: an EventBridge envelope whose `detail` is the event. */
export function unwrapEnvelope(body: string): unknown {
  const parsed: unknown = JSON.parse(body);
  if (parsed && typeof parsed === 'object' && 'detail' in parsed) {
    const detail = (parsed as { detail: unknown }).detail;
    return typeof detail === 'string' ? JSON.parse(detail) : detail;
  }
  return parsed;
}
