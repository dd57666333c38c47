/**
 * The sandbox's AWS billing meter: counts, as the SQS and EventBridge servers see them on the wire, the units AWS
 * bills. EventBridge: PutEvents entries, each in 64 KB chunks, by source. SQS: every API request in 64 KB chunks
 * of its payload (a batch is one request per 64 KB of the whole batch), by queue, with empty receives apart and
 * FIFO queues apart. Read through `GET /admin/billing`; MVP 4's cost model prices the difference over a run.
 */

/** AWS bills SQS requests and EventBridge entries per started 64 KB chunk. */
export const BILLING_CHUNK_BYTES = 64 * 1024;

export interface SqsQueueUsage {
  fifo: boolean;
  send: number;
  receive: number;
  /** Receives that returned no message (billed all the same). */
  emptyReceive: number;
  delete: number;
  /** Every other request on the queue (attributes, purge, visibility...). */
  other: number;
}

export interface BillingSnapshot {
  /** When the snapshot was taken (epoch ms). */
  at: number;
  eventBridge: { bySource: Record<string, { entries: number; chunks: number }> };
  sqs: { byQueue: Record<string, SqsQueueUsage>; unattributed: number };
}

const chunks = (bytes: number) => Math.max(1, Math.ceil(bytes / BILLING_CHUNK_BYTES));

function queueName(url: unknown): string | null {
  if (typeof url !== 'string' || !url) return null;
  return url.slice(url.lastIndexOf('/') + 1) || null;
}

export class BillingMeter {
  private readonly eb = new Map<string, { entries: number; chunks: number }>();
  private readonly queues = new Map<string, SqsQueueUsage>();
  private unattributed = 0;

  /** For the EventBridge server: PutEvents entries by source, in 64 KB chunks. */
  readonly eventBridgeHook = (action: string, body: unknown): void => {
    if (action !== 'PutEvents') return;
    const entries = (body as { Entries?: Array<Record<string, unknown>> } | null)?.Entries;
    if (!Array.isArray(entries)) return;
    for (const e of entries) {
      const source = typeof e.Source === 'string' ? e.Source : '(none)';
      const size = Buffer.byteLength(String(e.Detail ?? '')) + Buffer.byteLength(String(e.DetailType ?? '')) + Buffer.byteLength(source);
      const row = this.eb.get(source) ?? this.eb.set(source, { entries: 0, chunks: 0 }).get(source)!;
      row.entries += 1;
      row.chunks += chunks(size);
    }
  };

  /** For the SQS server: every answered request, by queue and kind, in 64 KB chunks. */
  readonly sqsHook = (action: string, body: unknown, responseBytes: number): void => {
    const input = (body ?? {}) as { QueueUrl?: unknown; MessageBody?: unknown; Entries?: Array<{ MessageBody?: unknown }> };
    const name = queueName(input.QueueUrl);
    if (!name) {
      this.unattributed += 1;
      return;
    }
    const q =
      this.queues.get(name) ??
      this.queues.set(name, { fifo: name.endsWith('.fifo'), send: 0, receive: 0, emptyReceive: 0, delete: 0, other: 0 }).get(name)!;
    switch (action) {
      case 'SendMessage':
        q.send += chunks(Buffer.byteLength(String(input.MessageBody ?? '')));
        break;
      case 'SendMessageBatch':
        q.send += chunks((input.Entries ?? []).reduce((n, e) => n + Buffer.byteLength(String(e.MessageBody ?? '')), 0));
        break;
      case 'ReceiveMessage':
        // An empty answer is a few dozen bytes without a Messages list.
        if (responseBytes < 64) q.emptyReceive += 1;
        else q.receive += chunks(responseBytes);
        break;
      case 'DeleteMessage':
      case 'DeleteMessageBatch':
        q.delete += 1;
        break;
      default:
        q.other += 1;
    }
  };

  /** The counts so far; `queueUrls` names the topology's queues (so an untouched queue shows as zeros). */
  snapshot(queueUrls: Readonly<Record<string, string>> = {}): BillingSnapshot {
    const byQueue: Record<string, SqsQueueUsage> = {};
    for (const name of Object.keys(queueUrls))
      byQueue[name] = { fifo: name.endsWith('.fifo'), send: 0, receive: 0, emptyReceive: 0, delete: 0, other: 0 };
    for (const [name, q] of this.queues) byQueue[name] = { ...q };
    return {
      at: Date.now(),
      eventBridge: { bySource: Object.fromEntries([...this.eb].map(([k, v]) => [k, { ...v }])) },
      sqs: { byQueue, unattributed: this.unattributed },
    };
  }
}
