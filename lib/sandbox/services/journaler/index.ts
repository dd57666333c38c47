import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { unwrapEnvelope } from '../../events/consumer.js';
import { isQslEvent, type QslEvent } from '../../events/types.js';
import { faultRatio, RatioGate } from '../../faults.js';
import { openJournal, type EventJournal, type JournalEntry } from '../../journal/index.js';
import type { ServiceRegistry } from '../registry.js';
import type { ServiceContext, ServiceModule } from '../types.js';

export const JOURNAL_QUEUE = 'qsl-journal';

export interface JournalerOptions {
  /** A SurrealDB server (`ws://host:8000/rpc`); absent: the embedded engine. */
  url?: string;
  username?: string;
  password?: string;
}

/**
 * EventJournaler (seed Stage 4, "EventJournaler to SurrealDB"): every event on both paths goes into the journal:
 * the EventBridge path through its own rule and SQS queue (`qsl-journal`, every `qsl.*` event), the legacy path
 * through a `#` binding on the exchange. Unlike a service consumer it keeps validation copies too: the journal
 * records what travelled, per path. An SQS message is deleted only once its entry is committed.
 *
 * Fault `journal.drop` loses a deterministic fraction of the writes (the journal's own drop gate).
 */
export class EventJournaler implements ServiceModule {
  readonly name = 'journaler';
  private journalHandle: EventJournal | undefined;
  private running = false;
  private readonly abort = new AbortController();
  private loops: Promise<void>[] = [];
  private unsubscribe: (() => void) | undefined;
  readonly stats = { written: 0, failures: 0, malformed: 0 };

  constructor(
    private readonly ctx: ServiceContext,
    private readonly opts: JournalerOptions = {},
  ) {}

  /** The open journal (in-process handle: the harness queries an embedded journal through `journal.client`). */
  get journal(): EventJournal | undefined {
    return this.journalHandle;
  }

  async start(): Promise<void> {
    const queueUrl = this.ctx.queueUrls[JOURNAL_QUEUE];
    if (!queueUrl) throw new Error(`journaler: the topology has no ${JOURNAL_QUEUE} queue (use the MVP 3 topology)`);
    const gate = new RatioGate(faultRatio(this.ctx.faults, 'journal.drop'));
    this.journalHandle = await openJournal({
      ...(this.opts.url ? { url: this.opts.url } : {}),
      ...(this.opts.username !== undefined ? { username: this.opts.username, password: this.opts.password } : {}),
      ...(gate.ratio > 0 ? { drop: () => gate.next() } : {}),
    });
    this.running = true;
    this.unsubscribe = this.ctx.legacy.subscribe('#', async (message) => {
      if (!isQslEvent(message)) {
        this.stats.malformed += 1;
        return;
      }
      // Auto-ack like every legacy consumer; a failed write is counted and logged.
      await this.write(message, 'legacy').catch((err: unknown) => this.failed(err));
    });
    for (let i = 0; i < 2; i += 1) this.loops.push(this.pollLoop(queueUrl));
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe?.();
    this.abort.abort();
    await Promise.allSettled(this.loops);
    await this.journalHandle?.close();
  }

  health() {
    return this.running ? ('up' as const) : ('down' as const);
  }

  private write(e: QslEvent, path: JournalEntry['path']): Promise<void> {
    return this.journalHandle!.write({
      eventId: e.eventId,
      runId: e.runId,
      path,
      type: e.type,
      source: e.source,
      occurredAt: e.occurredAt,
      correlationId: e.correlationId,
      payload: { ...e.payload, delivery: e.metadata.delivery, producer: e.metadata.producer },
    }).then(() => {
      this.stats.written += 1;
    });
  }

  private failed(err: unknown): void {
    this.stats.failures += 1;
    this.ctx.log(`journaler: ${(err as Error).message}`);
  }

  private async pollLoop(queueUrl: string): Promise<void> {
    const { sqs } = this.ctx;
    while (this.running) {
      try {
        const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }), {
          abortSignal: this.abort.signal,
        });
        const done: { Id: string; ReceiptHandle: string }[] = [];
        await Promise.all(
          (out.Messages ?? []).map(async (m, i) => {
            let event: unknown;
            try {
              event = unwrapEnvelope(m.Body ?? '');
            } catch {
              event = undefined;
            }
            if (!isQslEvent(event)) {
              // Left undeleted: redelivered until maxReceiveCount moves it to the DLQ.
              this.stats.malformed += 1;
              return;
            }
            try {
              await this.write(event, 'eventbridge');
              if (m.ReceiptHandle) done.push({ Id: String(i), ReceiptHandle: m.ReceiptHandle });
            } catch (err) {
              this.failed(err); // left for redelivery
            }
          }),
        );
        if (done.length) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: done }));
      } catch (err) {
        if (!this.running) return;
        this.ctx.log(`journaler: receive from ${queueUrl} failed: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }
}

/** A factory for the sandbox: the journal is embedded unless `opts.url` names a SurrealDB server. */
export function eventJournalerFactory(opts: JournalerOptions = {}) {
  return (ctx: ServiceContext, _registry: ServiceRegistry): EventJournaler => new EventJournaler(ctx, opts);
}
