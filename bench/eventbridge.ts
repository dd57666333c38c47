/**
 * EventBridge sandbox throughput: PutEvents (batches of 10) -> rule matching -> SQS -> consumer,
 * against SendMessageBatch straight into fauxqs with the same payloads, in one process and run.
 * Both paths use one producer and one consumer (ReceiveMessage 10 at a time + DeleteMessageBatch);
 * a path's time runs from its first send until its consumer has deleted every message.
 *
 *   npm run bench -- eventbridge [--events 5000]
 * Last line: `eventbridge ratio=<eb/direct> events_per_s=<eb events/s>`.
 */
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { sandboxEventBridgeClient, startEventBridge } from '../lib/sandbox/eventbridge/index.js';
import { sandboxSqsClient, startSqs } from '../lib/sandbox/sqs/index.js';

const REGION = 'us-east-1';
const BATCH = 10;

function parseArgs(args: string[]): { events: number } {
  let events = 5000;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--events' || arg.startsWith('--events=')) {
      const text = arg.includes('=') ? arg.slice('--events='.length) : args[++i];
      events = Number(text);
      if (!Number.isInteger(events) || events < BATCH)
        throw new Error(`invalid --events; reason: expected an integer >= ${BATCH}, got \`${text}\``);
    } else {
      throw new Error(`unknown option \`${arg}\`; usage: npm run bench -- eventbridge [--events N]`);
    }
  }
  return { events };
}

/** The same detail payloads for both paths: a sequence number plus ~300 bytes of order data. */
function payloads(n: number, tag: string): string[] {
  return Array.from({ length: n }, (_, seq) =>
    JSON.stringify({ tag, seq, orderId: `order-${seq}`, customer: `cust-${seq % 97}`, total: (seq % 500) + 0.99, note: 'x'.repeat(240) }),
  );
}

async function createQueue(sqs: SQSClient, name: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

/** Receives and deletes until `expected` messages were seen; fails if nothing arrives for 30 s. */
async function consume(sqs: SQSClient, queueUrl: string, expected: number): Promise<void> {
  let seen = 0;
  let lastProgress = Date.now();
  while (seen < expected) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    if (Messages.length === 0) {
      if (Date.now() - lastProgress > 30_000) throw new Error(`consumer stalled at ${seen}/${expected} messages on ${queueUrl}`);
      continue;
    }
    lastProgress = Date.now();
    seen += Messages.length;
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
}

async function timeDirect(sqs: SQSClient, queueUrl: string, details: string[]): Promise<number> {
  const start = performance.now();
  const consumer = consume(sqs, queueUrl, details.length);
  for (let i = 0; i < details.length; i += BATCH) {
    const entries = details.slice(i, i + BATCH).map((body, j) => ({ Id: String(j), MessageBody: body }));
    const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    if (out.Failed?.length) throw new Error(`SendMessageBatch failed for ${out.Failed.length} entries: ${out.Failed[0].Message}`);
  }
  await consumer;
  return performance.now() - start;
}

async function timeEventBridge(eb: EventBridgeClient, sqs: SQSClient, queueUrl: string, details: string[]): Promise<number> {
  const start = performance.now();
  const consumer = consume(sqs, queueUrl, details.length);
  for (let i = 0; i < details.length; i += BATCH) {
    const entries = details.slice(i, i + BATCH).map((Detail) => ({ Source: 'bench.orders', DetailType: 'OrderPlaced', Detail }));
    const out = await eb.send(new PutEventsCommand({ Entries: entries }));
    if (out.FailedEntryCount)
      throw new Error(`PutEvents failed for ${out.FailedEntryCount} entries: ${out.Entries?.find((e) => e.ErrorCode)?.ErrorMessage}`);
  }
  await consumer;
  return performance.now() - start;
}

export async function main(args: string[]): Promise<void> {
  const { events } = parseArgs(args);
  const sqsServer = await startSqs({ port: 0, region: REGION });
  const ebServer = await startEventBridge({ port: 0, region: REGION, sqsUrl: sqsServer.url });
  const sqs = sandboxSqsClient(sqsServer.url, REGION);
  const eb = sandboxEventBridgeClient(ebServer.url, REGION);
  try {
    const direct = await createQueue(sqs, 'bench-direct');
    const routed = await createQueue(sqs, 'bench-eventbridge');
    // A few rules that do not match, so the bench pays for matching as a real bus would.
    for (const [name, pattern] of [
      ['bench-other-source', { source: ['bench.payments'] }],
      ['bench-other-type', { source: ['bench.orders'], 'detail-type': ['OrderCancelled'] }],
    ] as const) {
      await eb.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify(pattern) }));
      await eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'q', Arn: direct.arn }] }));
    }
    await eb.send(
      new PutRuleCommand({
        Name: 'bench-orders',
        EventPattern: JSON.stringify({
          source: ['bench.orders'],
          'detail-type': ['OrderPlaced'],
          detail: { total: [{ numeric: ['>=', 0] }], tag: [{ prefix: 'run' }] },
        }),
      }),
    );
    await eb.send(new PutTargetsCommand({ Rule: 'bench-orders', Targets: [{ Id: 'q', Arn: routed.arn }] }));

    // Warm both paths (JIT, connection pools) before timing.
    const warm = Math.min(200, events);
    await timeDirect(sqs, direct.url, payloads(warm, 'warm'));
    await timeEventBridge(eb, sqs, routed.url, payloads(warm, 'run-warm'));

    const directMs = await timeDirect(sqs, direct.url, payloads(events, 'run'));
    const ebMs = await timeEventBridge(eb, sqs, routed.url, payloads(events, 'run'));
    const directRate = (events / directMs) * 1000;
    const ebRate = (events / ebMs) * 1000;
    console.log(`direct SQS:   ${events} events in ${directMs.toFixed(0)} ms = ${directRate.toFixed(0)} events/s`);
    console.log(`EventBridge:  ${events} events in ${ebMs.toFixed(0)} ms = ${ebRate.toFixed(0)} events/s`);
    console.log(`eventbridge ratio=${(ebRate / directRate).toFixed(2)} events_per_s=${Math.round(ebRate)}`);
  } finally {
    eb.destroy();
    sqs.destroy();
    await ebServer.stop();
    await sqsServer.stop();
  }
}
