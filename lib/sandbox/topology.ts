/**
 * The EventBridge + SQS topology as data, mirroring the seed's Stage 1: bus `qsl-core`, one queue per consuming
 * service (each with a DLQ and a RedrivePolicy), one rule per consuming service, and the audit queue the
 * validation probes read. {@link applyTopology} creates it through the same AWS SDK calls a real deployment makes.
 */
import { CreateEventBusCommand, PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createError } from '../errors/index.js';
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** An EventBridge event pattern (JSON object as PutRule takes it). */
export type EventPattern = Record<string, unknown>;

export interface QueueSpec {
  /** Queue name; a `.fifo` suffix makes a FIFO queue (and a FIFO DLQ). */
  name: string;
  /** The service that consumes it (documentation and probes). */
  consumer: string;
  maxReceiveCount: number;
  visibilityTimeoutSeconds: number;
}

export interface RuleSpec {
  name: string;
  /** Target queue name (must be in `queues`). */
  queue: string;
  eventPattern: EventPattern;
  /** For FIFO targets: SqsParameters.MessageGroupId. */
  messageGroupId?: string;
}

export interface Topology {
  busName: string;
  queues: readonly QueueSpec[];
  rules: readonly RuleSpec[];
}

/** What applyTopology created, by queue name. */
export interface AppliedTopology {
  busName: string;
  queueUrls: Record<string, string>;
  dlqUrls: Record<string, string>;
  queueArns: Record<string, string>;
}

export const BUS_NAME = 'qsl-core';
export const AUDIT_QUEUE = 'qsl-audit';
const DEFAULT_MAX_RECEIVE = 5;
// Short so a failing message reaches its DLQ in well under a minute in tests; real queues use 30 s.
const DEFAULT_VISIBILITY_TIMEOUT = 5;

/** `qsl-user` -> `qsl-user-dlq`; `qsl-ledger.fifo` -> `qsl-ledger-dlq.fifo`. */
export function dlqName(queue: string): string {
  return queue.endsWith('.fifo') ? `${queue.slice(0, -5)}-dlq.fifo` : `${queue}-dlq`;
}

/**
 * A consuming service: its queue and the rule delivering what it consumes. Later milestones call this
 * (e.g. `consumerOf('ledger', 'qsl-ledger.fifo', pattern, { messageGroupId: 'ledger' })`) and pass the result to
 * {@link withConsumers}.
 */
export function consumerOf(
  consumer: string,
  queue: string,
  eventPattern: EventPattern,
  options: { messageGroupId?: string; maxReceiveCount?: number; visibilityTimeoutSeconds?: number } = {},
): { queue: QueueSpec; rule: RuleSpec } {
  return {
    queue: {
      name: queue,
      consumer,
      maxReceiveCount: options.maxReceiveCount ?? DEFAULT_MAX_RECEIVE,
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? DEFAULT_VISIBILITY_TIMEOUT,
    },
    rule: {
      name: `${queue.replace(/\.fifo$/, '')}-rule`,
      queue,
      eventPattern,
      ...(options.messageGroupId ? { messageGroupId: options.messageGroupId } : {}),
    },
  };
}

/** A topology with more consumers added. */
export function withConsumers(base: Topology, ...consumers: { queue: QueueSpec; rule: RuleSpec }[]): Topology {
  return {
    busName: base.busName,
    queues: [...base.queues, ...consumers.map((c) => c.queue)],
    rules: [...base.rules, ...consumers.map((c) => c.rule)],
  };
}

/** MVP 1 (Stage 1 infrastructure + Stage 2 core services). */
export const MVP1_TOPOLOGY: Topology = withConsumers(
  { busName: BUS_NAME, queues: [], rules: [] },
  consumerOf('orchestration', 'qsl-orchestration', {
    source: ['qsl.orchestration'],
    'detail-type': ['WorkflowExecutionRequested', 'WorkflowCompleted'],
  }),
  consumerOf('user', 'qsl-user', { source: ['qsl.notification'], 'detail-type': ['NotificationDelivered'] }),
  consumerOf('notification', 'qsl-notification', {
    source: ['qsl.user'],
    'detail-type': ['UserSignedUp', 'UserProfileUpdated'],
  }),
  // Every qsl event, for the harness's validation probes.
  consumerOf('audit', AUDIT_QUEUE, { source: [{ prefix: 'qsl.' }] }),
);

/**
 * The topology as the fault knobs break it: `topology.<rule>.missing` leaves a rule out,
 * `topology.<queue>.no-dlq` creates a queue without DLQ or RedrivePolicy (a FIFO queue may be named
 * without `.fifo`, knob names being dot-separated). Unknown names are an error naming what exists.
 */
export function topologyWithFaults(
  topology: Topology,
  faults: Readonly<Record<string, unknown>>,
): { topology: Topology; withoutDlq: string[] } {
  const missing = new Set<string>();
  const withoutDlq: string[] = [];
  for (const knob of Object.keys(faults)) {
    const m = /^topology\.(.+)\.(missing|no-dlq)$/.exec(knob);
    if (!m) continue;
    if (m[2] === 'missing') {
      if (!topology.rules.some((r) => r.name === m[1]))
        throw createError(
          'QSL_FAULT_INVALID',
          `fault ${knob}: no rule ${m[1]} in the topology; rules: ${topology.rules.map((r) => r.name).join(', ')}`,
        );
      missing.add(m[1]);
    } else {
      const q = topology.queues.find((x) => x.name === m[1] || x.name === `${m[1]}.fifo`);
      if (!q)
        throw createError(
          'QSL_FAULT_INVALID',
          `fault ${knob}: no queue ${m[1]} in the topology; queues: ${topology.queues.map((x) => x.name).join(', ')}`,
        );
      withoutDlq.push(q.name);
    }
  }
  return { topology: { ...topology, rules: topology.rules.filter((r) => !missing.has(r.name)) }, withoutDlq };
}

/** Create the bus, queues (+DLQs, RedrivePolicy), rules and targets. Idempotent, like the real calls. */
export async function applyTopology(
  topology: Topology,
  clients: { sqs: SQSClient; eventBridge: EventBridgeClient },
  options: { withoutDlq?: readonly string[] } = {},
): Promise<AppliedTopology> {
  const { sqs, eventBridge } = clients;
  const applied: AppliedTopology = { busName: topology.busName, queueUrls: {}, dlqUrls: {}, queueArns: {} };

  for (const q of topology.queues) {
    const fifo = q.name.endsWith('.fifo');
    const fifoAttrs: Record<string, string> = fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'true' } : {};
    if (options.withoutDlq?.includes(q.name)) {
      const bare = await sqs.send(
        new CreateQueueCommand({ QueueName: q.name, Attributes: { ...fifoAttrs, VisibilityTimeout: String(q.visibilityTimeoutSeconds) } }),
      );
      const url = required(bare.QueueUrl, `CreateQueue ${q.name}`);
      applied.queueUrls[q.name] = url;
      applied.queueArns[q.name] = await queueArn(sqs, url);
      continue;
    }
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: dlqName(q.name), Attributes: { ...fifoAttrs } }));
    const dlqUrl = required(dlq.QueueUrl, `CreateQueue ${dlqName(q.name)}`);
    const dlqArn = await queueArn(sqs, dlqUrl);
    const main = await sqs.send(
      new CreateQueueCommand({
        QueueName: q.name,
        Attributes: { ...fifoAttrs, VisibilityTimeout: String(q.visibilityTimeoutSeconds) },
      }),
    );
    const url = required(main.QueueUrl, `CreateQueue ${q.name}`);
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: {
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: q.maxReceiveCount }),
        },
      }),
    );
    applied.queueUrls[q.name] = url;
    applied.dlqUrls[q.name] = dlqUrl;
    applied.queueArns[q.name] = await queueArn(sqs, url);
  }

  try {
    await eventBridge.send(new CreateEventBusCommand({ Name: topology.busName }));
  } catch (err) {
    if ((err as { name?: string }).name !== 'ResourceAlreadyExistsException') throw err;
  }

  for (const r of topology.rules) {
    const arn = applied.queueArns[r.queue];
    if (!arn) throw new Error(`topology: rule ${r.name} targets queue ${r.queue}, which the topology does not declare`);
    await eventBridge.send(
      new PutRuleCommand({
        Name: r.name,
        EventBusName: topology.busName,
        EventPattern: JSON.stringify(r.eventPattern),
        State: 'ENABLED',
      }),
    );
    const out = await eventBridge.send(
      new PutTargetsCommand({
        Rule: r.name,
        EventBusName: topology.busName,
        Targets: [
          {
            Id: r.queue.replace(/[^A-Za-z0-9_.-]/g, '-'),
            Arn: arn,
            ...(r.messageGroupId ? { SqsParameters: { MessageGroupId: r.messageGroupId } } : {}),
          },
        ],
      }),
    );
    if ((out.FailedEntryCount ?? 0) > 0) {
      throw new Error(`topology: PutTargets for rule ${r.name} failed: ${JSON.stringify(out.FailedEntries)}`);
    }
  }
  return applied;
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return required(out.Attributes?.QueueArn, `GetQueueAttributes QueueArn of ${url}`);
}

function required<T>(v: T | undefined, what: string): T {
  if (v === undefined || v === null) throw new Error(`topology: ${what} returned nothing`);
  return v;
}
