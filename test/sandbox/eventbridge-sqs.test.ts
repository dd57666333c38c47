/**
 * The sandbox's EventBridge endpoint and fauxqs, driven only through the real AWS SDK clients
 * (and the AWS CLI when it is installed). Absence of a delivery is checked with a sentinel event
 * sent afterwards through the same rule and target, whose delivery order is guaranteed.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CreateEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  type EventBridgeClient,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  type PutEventsRequestEntry,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventEnvelope, sandboxEventBridgeClient, startEventBridge } from '../../lib/sandbox/eventbridge/index.js';
import { sandboxSqsClient, startSqs } from '../../lib/sandbox/sqs/index.js';

const REGION = 'us-east-1';
/** The AWS CLI test runs only where `aws` is on PATH. */
const awsCli = await promisify(execFile)('aws', ['--version']).then(
  () => true,
  () => false,
);
let sqsServer: Awaited<ReturnType<typeof startSqs>>;
let ebServer: Awaited<ReturnType<typeof startEventBridge>>;
let sqs: SQSClient;
let eb: EventBridgeClient;

beforeAll(async () => {
  sqsServer = await startSqs({ port: 0, region: REGION });
  ebServer = await startEventBridge({
    port: 0,
    region: REGION,
    sqsUrl: sqsServer.url,
    dropDelivery: (event) => event.detail.drop === true,
  });
  sqs = sandboxSqsClient(sqsServer.url, REGION);
  eb = sandboxEventBridgeClient(ebServer.url, REGION);
});

afterAll(async () => {
  eb?.destroy();
  sqs?.destroy();
  await ebServer?.stop();
  await sqsServer?.stop();
});

async function createQueue(name: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

/** Receives (and deletes) messages until `done(all so far)` holds; fails after `timeoutMs`. */
async function receiveUntil(queueUrl: string, done: (msgs: Message[]) => boolean, timeoutMs = 10_000): Promise<Message[]> {
  const deadline = Date.now() + timeoutMs;
  const all: Message[] = [];
  while (!done(all)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting on ${queueUrl}; got ${all.length} message(s)`);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    if (Messages.length === 0) continue;
    all.push(...Messages);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
  return all;
}

const bodies = (msgs: Message[]) => msgs.map((m) => JSON.parse(m.Body!) as EventEnvelope);
const hasSentinel = (msgs: Message[]) => bodies(msgs).some((b) => b.detail?.sentinel === true);

async function ruleToQueue(
  bus: string,
  rule: string,
  pattern: object,
  targets: Array<{ Id: string; Arn: string; InputPath?: string; Input?: string; SqsParameters?: { MessageGroupId: string } }>,
) {
  await eb.send(new PutRuleCommand({ Name: rule, EventBusName: bus, EventPattern: JSON.stringify(pattern) }));
  const out = await eb.send(new PutTargetsCommand({ Rule: rule, EventBusName: bus, Targets: targets }));
  expect(out.FailedEntryCount).toBe(0);
}

describe('EventBridge endpoint -> SQS', () => {
  it('manages buses with epoch-second timestamps and a default bus', async () => {
    const created = await eb.send(new CreateEventBusCommand({ Name: 'orders-bus' }));
    expect(created.EventBusArn).toBe('arn:aws:events:us-east-1:000000000000:event-bus/orders-bus');
    const described = await eb.send(new DescribeEventBusCommand({ Name: 'orders-bus' }));
    expect(described.CreationTime).toBeInstanceOf(Date);
    expect(Math.abs(described.CreationTime!.getTime() - Date.now())).toBeLessThan(60_000);
    const { EventBuses = [] } = await eb.send(new ListEventBusesCommand({}));
    expect(EventBuses.map((b) => b.Name)).toEqual(expect.arrayContaining(['default', 'orders-bus']));
    await expect(eb.send(new CreateEventBusCommand({ Name: 'orders-bus' }))).rejects.toMatchObject({
      name: 'ResourceAlreadyExistsException',
    });
  });

  it('routes a matching event to every target with the same id and the standard envelope', async () => {
    await eb.send(new CreateEventBusCommand({ Name: 'env-bus' }));
    const a = await createQueue('env-a');
    const b = await createQueue('env-b');
    const detailOnly = await createQueue('env-detail');
    const constant = await createQueue('env-constant');
    await ruleToQueue(
      'env-bus',
      'orders-created',
      { source: ['shop.orders'], 'detail-type': ['OrderCreated'], detail: { total: [{ numeric: ['>', 0] }] } },
      [
        { Id: 'a', Arn: a.arn },
        { Id: 'b', Arn: b.arn },
        { Id: 'detail', Arn: detailOnly.arn, InputPath: '$.detail' },
        { Id: 'constant', Arn: constant.arn, Input: '{"fixed":true}' },
      ],
    );
    const out = await eb.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'env-bus',
            Source: 'shop.orders',
            DetailType: 'OrderCreated',
            Detail: JSON.stringify({ orderId: 'o-1', total: 42 }),
            Resources: ['arn:x:order/o-1'],
            Time: new Date('2026-01-02T03:04:05.678Z'),
          },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(0);
    const eventId = out.Entries![0].EventId!;

    const [fromA] = bodies(await receiveUntil(a.url, (m) => m.length >= 1));
    expect(fromA).toEqual({
      version: '0',
      id: eventId,
      'detail-type': 'OrderCreated',
      source: 'shop.orders',
      account: '000000000000',
      time: '2026-01-02T03:04:05Z',
      region: REGION,
      resources: ['arn:x:order/o-1'],
      detail: { orderId: 'o-1', total: 42 },
    });
    const [fromB] = bodies(await receiveUntil(b.url, (m) => m.length >= 1));
    expect(fromB.id).toBe(eventId);
    const [detail] = await receiveUntil(detailOnly.url, (m) => m.length >= 1);
    expect(JSON.parse(detail.Body!)).toEqual({ orderId: 'o-1', total: 42 });
    const [fixed] = await receiveUntil(constant.url, (m) => m.length >= 1);
    expect(JSON.parse(fixed.Body!)).toEqual({ fixed: true });
  });

  it('delivers nothing for a non-matching event or a disabled rule', async () => {
    const q = await createQueue('nomatch');
    await ruleToQueue('default', 'only-orders', { source: ['shop.orders'] }, [{ Id: 'q', Arn: q.arn }]);
    const put = (entries: PutEventsRequestEntry[]) => eb.send(new PutEventsCommand({ Entries: entries }));
    await put([
      { Source: 'shop.payments', DetailType: 'X', Detail: '{"n":1}' },
      { Source: 'shop.orders', DetailType: 'X', Detail: '{"sentinel":true}' },
    ]);
    let got = bodies(await receiveUntil(q.url, hasSentinel));
    expect(got.map((b) => b.source)).toEqual(['shop.orders']);

    await eb.send(new DisableRuleCommand({ Name: 'only-orders' }));
    expect((await eb.send(new DescribeRuleCommand({ Name: 'only-orders' }))).State).toBe('DISABLED');
    await put([{ Source: 'shop.orders', DetailType: 'X', Detail: '{"whileDisabled":true}' }]);
    await eb.send(new EnableRuleCommand({ Name: 'only-orders' }));
    await put([{ Source: 'shop.orders', DetailType: 'X', Detail: '{"sentinel":true}' }]);
    got = bodies(await receiveUntil(q.url, hasSentinel));
    expect(got.map((b) => b.detail)).toEqual([{ sentinel: true }]);
  });

  it('keeps order within a message group on a FIFO queue', async () => {
    const q = await createQueue('orders.fifo', { FifoQueue: 'true' });
    await ruleToQueue('default', 'fifo-rule', { source: ['fifo.test'] }, [
      { Id: 'fifo', Arn: q.arn, SqsParameters: { MessageGroupId: 'g1' } },
    ]);
    const n = 35;
    for (let start = 0; start < n; start += 10) {
      const entries = Array.from({ length: Math.min(10, n - start) }, (_, i) => ({
        Source: 'fifo.test',
        DetailType: 'Seq',
        Detail: JSON.stringify({ seq: start + i }),
      }));
      const out = await eb.send(new PutEventsCommand({ Entries: entries }));
      expect(out.FailedEntryCount).toBe(0);
    }
    const got = bodies(await receiveUntil(q.url, (m) => m.length >= n, 20_000));
    expect(got.map((b) => b.detail.seq)).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('reports per-entry failures with HTTP 200', async () => {
    const out = await eb.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'ok', DetailType: 'X', Detail: '{}' },
          { DetailType: 'X', Detail: '{}' },
          { Source: 'a', Detail: '{}' },
          { Source: 'a', DetailType: 'X' },
          { Source: 'a', DetailType: 'X', Detail: 'not json' },
          { Source: 'a', DetailType: 'X', Detail: '[1,2]' },
          { Source: 'a', DetailType: 'X', Detail: '{}', EventBusName: 'no-such-bus' },
        ],
      }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.FailedEntryCount).toBe(6);
    expect(out.Entries!.map((e) => e.ErrorCode ?? 'ok')).toEqual([
      'ok',
      'InvalidArgument',
      'InvalidArgument',
      'InvalidArgument',
      'MalformedDetail',
      'MalformedDetail',
      'ResourceNotFoundException',
    ]);
    expect(out.Entries![0].EventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects more than 10 entries and oversized batches with ValidationException', async () => {
    const entries = Array.from({ length: 11 }, () => ({ Source: 'a', DetailType: 'X', Detail: '{}' }));
    await expect(eb.send(new PutEventsCommand({ Entries: entries }))).rejects.toMatchObject({
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
    const big = JSON.stringify({ pad: 'x'.repeat(200 * 1024) });
    await expect(
      eb.send(
        new PutEventsCommand({
          Entries: [
            { Source: 'a', DetailType: 'X', Detail: big },
            { Source: 'a', DetailType: 'X', Detail: big },
          ],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('answers ResourceNotFoundException, InvalidEventPatternException and rule lifecycle like AWS', async () => {
    await expect(eb.send(new DescribeRuleCommand({ Name: 'no-such-rule' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      eb.send(new PutTargetsCommand({ Rule: 'no-such-rule', Targets: [{ Id: 't', Arn: 'arn:aws:sqs:us-east-1:000000000000:x' }] })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(eb.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source":[]}' }))).rejects.toMatchObject({
      name: 'InvalidEventPatternException',
    });
    await expect(
      eb.send(new PutRuleCommand({ Name: 'x', EventBusName: 'no-such-bus', EventPattern: '{"source":["a"]}' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

    await eb.send(new PutRuleCommand({ Name: 'lifecycle', EventPattern: '{"source":["a"]}' }));
    await eb.send(
      new PutTargetsCommand({ Rule: 'lifecycle', Targets: [{ Id: 't1', Arn: 'arn:aws:sqs:us-east-1:000000000000:whatever' }] }),
    );
    expect((await eb.send(new ListTargetsByRuleCommand({ Rule: 'lifecycle' }))).Targets?.map((t) => t.Id)).toEqual(['t1']);
    expect((await eb.send(new ListRulesCommand({ NamePrefix: 'life' }))).Rules?.map((r) => r.Name)).toEqual(['lifecycle']);
    await expect(eb.send(new DeleteRuleCommand({ Name: 'lifecycle' }))).rejects.toMatchObject({ name: 'ValidationException' });
    await eb.send(new RemoveTargetsCommand({ Rule: 'lifecycle', Ids: ['t1'] }));
    await eb.send(new DeleteRuleCommand({ Name: 'lifecycle' }));
    await expect(eb.send(new DescribeRuleCommand({ Name: 'lifecycle' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

    const event = JSON.stringify({
      id: '1',
      account: '1',
      source: 'a',
      time: '2026-01-01T00:00:00Z',
      region: REGION,
      'detail-type': 'X',
      resources: [],
      detail: { n: 5 },
    });
    expect(
      (await eb.send(new TestEventPatternCommand({ EventPattern: '{"detail":{"n":[{"numeric":[">",1]}]}}', Event: event }))).Result,
    ).toBe(true);
    expect(
      (await eb.send(new TestEventPatternCommand({ EventPattern: '{"detail":{"n":[{"numeric":[">",9]}]}}', Event: event }))).Result,
    ).toBe(false);
  });

  it('moves a message to the DLQ after maxReceiveCount receives', async () => {
    const dlq = await createQueue('redrive-dlq');
    const q = await createQueue('redrive-main', {
      VisibilityTimeout: '1',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }),
    });
    await ruleToQueue('default', 'redrive-rule', { source: ['redrive.test'] }, [{ Id: 'main', Arn: q.arn }]);
    const out = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'redrive.test', DetailType: 'X', Detail: '{"poison":true}' }] }));
    const eventId = out.Entries![0].EventId;

    const deadline = Date.now() + 20_000;
    let receives = 0;
    let dead: Message | undefined;
    while (!dead) {
      if (Date.now() > deadline) throw new Error(`message not in DLQ after 20 s (received ${receives} time(s) from the main queue)`);
      // Receive without deleting: the message reappears after the 1 s visibility timeout.
      const main = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, WaitTimeSeconds: 1, MaxNumberOfMessages: 1 }));
      receives += main.Messages?.length ?? 0;
      const fromDlq = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, WaitTimeSeconds: 0, MaxNumberOfMessages: 1 }));
      dead = fromDlq.Messages?.[0];
    }
    expect(receives).toBe(2);
    expect((JSON.parse(dead.Body!) as EventEnvelope).id).toBe(eventId);
  });

  it('loses a delivery when dropDelivery says so while PutEvents reports success', async () => {
    const q = await createQueue('dropped');
    await ruleToQueue('default', 'drop-rule', { source: ['drop.test'] }, [{ Id: 'q', Arn: q.arn }]);
    const out = await eb.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'drop.test', DetailType: 'X', Detail: '{"drop":true}' },
          { Source: 'drop.test', DetailType: 'X', Detail: '{"sentinel":true}' },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries!.every((e) => typeof e.EventId === 'string')).toBe(true);
    const got = bodies(await receiveUntil(q.url, hasSentinel));
    expect(got.map((b) => b.detail)).toEqual([{ sentinel: true }]);
  });

  it.skipIf(!awsCli)('works with the AWS CLI (aws events list-event-buses)', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: 'sandbox', AWS_SECRET_ACCESS_KEY: 'sandbox', AWS_PAGER: '' };
    for (const key of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_SESSION_TOKEN']) delete env[key];
    const { stdout } = await promisify(execFile)(
      'aws',
      ['events', 'list-event-buses', '--endpoint-url', ebServer.url, '--region', REGION, '--output', 'json'],
      {
        env,
        timeout: 60_000,
      },
    );
    const parsed = JSON.parse(stdout) as { EventBuses: Array<{ Name: string; CreationTime?: unknown }> };
    expect(parsed.EventBuses.map((b) => b.Name)).toContain('default');
  });
});
