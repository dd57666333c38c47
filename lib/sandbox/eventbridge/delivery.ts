/**
 * Delivery of matched events to targets, after PutEvents has answered.
 *
 * Each (rule, target) pair has a lane: a FIFO of outgoing messages drained by one worker, which
 * sends up to 10 messages per SendMessageBatch and never has two batches in flight, so order per
 * target is kept while batching keeps throughput up. Only SQS targets are delivered; other ARNs
 * are accepted by PutTargets and ignored here.
 */
import { GetQueueUrlCommand, SendMessageBatchCommand, type SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { sandboxSqsClient } from '../sqs/index.js';
import { evaluateJsonPath, parseJsonPath } from './json-path.js';
import type { EventEnvelope, Rule, Target } from './types.js';

export interface DeliveryOptions {
  sqsUrl: string;
  dropDelivery?: (event: EventEnvelope, targetArn: string) => boolean;
  /** Fault `eventbridge.latency`: each batch waits this long before it is sent (the legacy path is untouched). */
  delayMs?: number;
}

interface Outgoing {
  body: string;
  eventId: string;
  groupId?: string;
}

interface Lane {
  arn: string;
  fifo: boolean;
  pending: Outgoing[];
  /** True from the first enqueue until the worker finds the lane empty (checked without awaiting). */
  running: boolean;
  worker?: Promise<void>;
}

const MAX_BATCH_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024;
const MAX_ATTEMPTS = 4;

interface SqsArn {
  region: string;
  accountId: string;
  queueName: string;
}

export function parseSqsArn(arn: string): SqsArn | undefined {
  const m = /^arn:aws[\w-]*:sqs:([^:]+):(\d{12}):([^:/]+)$/.exec(arn);
  return m ? { region: m[1], accountId: m[2], queueName: m[3] } : undefined;
}

export class DeliveryEngine {
  private readonly lanes = new Map<string, Lane>();
  private readonly clients = new Map<string, SQSClient>();
  private readonly queueUrls = new Map<string, Promise<string>>();
  private stopped = false;
  /** Messages given up after {@link MAX_ATTEMPTS} failed sends (queue missing, SQS down). */
  failedDeliveries = 0;
  lastError: unknown;

  constructor(private readonly opts: DeliveryOptions) {}

  /** Queues `event` for `target` of `rule`; returns at once, the send happens later in order. */
  enqueue(event: EventEnvelope, rule: Rule, target: Target): void {
    if (this.stopped) return;
    const sqs = parseSqsArn(target.Arn);
    if (!sqs) return;
    if (this.opts.dropDelivery?.(event, target.Arn)) return;
    const key = `${rule.arn}\u0000${target.Id}\u0000${target.Arn}`;
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { arn: target.Arn, fifo: sqs.queueName.endsWith('.fifo'), pending: [], running: false };
      this.lanes.set(key, lane);
    }
    lane.pending.push({ body: renderInput(event, target), eventId: event.id, groupId: target.SqsParameters?.MessageGroupId });
    if (!lane.running) {
      const l = lane;
      l.running = true;
      // setImmediate: let the PutEvents response go out before the first send.
      l.worker = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => this.drain(l))
        .catch((err: unknown) => {
          this.lastError = err;
        });
    }
  }

  /** Stops accepting events, waits for batches already being sent, and closes the SQS clients. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const lane of this.lanes.values()) lane.pending.length = 0;
    await Promise.allSettled([...this.lanes.values()].map((l) => l.worker));
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }

  private async drain(lane: Lane): Promise<void> {
    try {
      while (lane.pending.length > 0 && !this.stopped) {
        if (this.opts.delayMs) await new Promise((r) => setTimeout(r, this.opts.delayMs));
        await this.sendWithRetry(lane, takeBatch(lane.pending));
      }
    } finally {
      lane.running = false;
    }
  }

  private async sendWithRetry(lane: Lane, batch: Outgoing[]): Promise<void> {
    const sqs = parseSqsArn(lane.arn)!;
    let remaining = batch;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS && remaining.length > 0 && !this.stopped; attempt++) {
      if (attempt > 1) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      try {
        const client = this.client(sqs.region);
        const queueUrl = await this.queueUrl(client, lane.arn, sqs);
        const entries: SendMessageBatchRequestEntry[] = remaining.map((m, i) => ({
          Id: String(i),
          MessageBody: m.body,
          ...(lane.fifo ? { MessageGroupId: m.groupId, MessageDeduplicationId: m.eventId } : {}),
        }));
        const out = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
        const failed = new Set((out.Failed ?? []).map((f) => Number(f.Id)));
        remaining = remaining.filter((_, i) => failed.has(i));
      } catch (err) {
        // A deleted/recreated queue gets a fresh URL lookup on the next attempt.
        this.queueUrls.delete(lane.arn);
        this.lastError = err;
      }
    }
    this.failedDeliveries += remaining.length;
  }

  private client(region: string): SQSClient {
    let client = this.clients.get(region);
    if (!client) {
      client = sandboxSqsClient(this.opts.sqsUrl, region);
      this.clients.set(region, client);
    }
    return client;
  }

  private queueUrl(client: SQSClient, arn: string, sqs: SqsArn): Promise<string> {
    let url = this.queueUrls.get(arn);
    if (!url) {
      url = client.send(new GetQueueUrlCommand({ QueueName: sqs.queueName })).then((r) => {
        if (!r.QueueUrl) throw new Error(`GetQueueUrl returned no QueueUrl for ${arn}`);
        return r.QueueUrl;
      });
      url.catch(() => this.queueUrls.delete(arn));
      this.queueUrls.set(arn, url);
    }
    return url;
  }
}

/** Takes up to 10 messages (and at most 256 KB) off the front of `pending`. */
function takeBatch(pending: Outgoing[]): Outgoing[] {
  let bytes = 0;
  let n = 0;
  while (n < pending.length && n < MAX_BATCH_ENTRIES) {
    const size = Buffer.byteLength(pending[n].body);
    if (n > 0 && bytes + size > MAX_BATCH_BYTES) break;
    bytes += size;
    n++;
  }
  return pending.splice(0, n);
}

const pathCache = new Map<string, ReturnType<typeof parseJsonPath>>();

/** The message body for `target`: its constant Input, the InputPath selection, or the whole envelope. */
export function renderInput(event: EventEnvelope, target: Target): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) {
    let segments = pathCache.get(target.InputPath);
    if (!segments) {
      segments = parseJsonPath(target.InputPath);
      pathCache.set(target.InputPath, segments);
    }
    return JSON.stringify(evaluateJsonPath(event, segments) ?? null);
  }
  return JSON.stringify(event);
}
