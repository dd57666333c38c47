/**
 * The plan's CloudFormation template (`infra/aws/qsl-eventbridge.template.json`), generated from the Stage 1
 * topology: the bus (named by the `BusName` parameter), every service queue with its DLQ and RedrivePolicy (the
 * FIFO ledger queue FIFO throughout), one rule per consumer with its pattern and target, the queue policies that
 * let exactly those rules send, and one IAM role per service with least privilege (PutEvents on the bus; receive
 * and delete on its own queue only). `npm run infra` writes it; a test fails when the committed file is stale.
 *
 * Every resource belongs to one line of the Stage 1 table ({@link TemplateResource}), so a resource missing from a
 * deployed stack fails the line of the thing it is part of (a missing DLQ fails `dlq <queue>`).
 */
import { dlqName, EVENT_CATALOGUE, type Topology } from '../sandbox/index.js';

/** Which Stage 1 line a template resource belongs to. */
export interface TemplateResource {
  logicalId: string;
  type: string;
  check: 'bus' | 'queue' | 'dlq' | 'rule' | 'permissions';
  /** The line's subject: bus name, queue name, rule name, or role of a service (`qsl-<service>`). */
  subject: string;
}

/** A service of the platform and what its role may do: publish to the bus, consume its own queue (if it has one). */
export interface ServiceRole {
  service: string;
  /** `qsl-<service>`; the deployed role is `qsl-<service>-<Environment>`. */
  subject: string;
  queue?: string;
}

type Json = Record<string, unknown>;

/** What the consumers of the queue may do with it, and nothing else. */
export const CONSUMER_ACTIONS = [
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibility',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
] as const;

/** `qsl-ledger-accounts-0-rule` -> `LedgerAccounts0`; `qsl-ledger.fifo` -> `Ledger`. */
function pascal(name: string): string {
  return name
    .replace(/^qsl-/, '')
    .replace(/\.fifo$/, '')
    .replace(/-rule$/, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

export const logicalIds = {
  bus: 'Bus',
  queue: (q: string) => `Queue${pascal(q)}`,
  dlq: (q: string) => `Dlq${pascal(q)}`,
  queuePolicy: (q: string) => `QueuePolicy${pascal(q)}`,
  rule: (r: string) => `Rule${pascal(r)}`,
  role: (service: string) => `Role${pascal(service)}`,
  policy: (service: string) => `Policy${pascal(service)}`,
};

/**
 * One role per service: every queue's consumer (with its queue), then every publisher of the event catalogue that
 * consumes no queue (`qsl.payment` -> `payment`), in a stable order.
 */
export function serviceRoles(topology: Topology): ServiceRole[] {
  const roles = new Map<string, ServiceRole>();
  for (const q of topology.queues) roles.set(q.consumer, { service: q.consumer, subject: `qsl-${q.consumer}`, queue: q.name });
  const publishers = new Set(Object.values(EVENT_CATALOGUE).map((e) => e.source.replace(/^qsl\./, '')));
  for (const p of [...publishers].sort()) if (!roles.has(p)) roles.set(p, { service: p, subject: `qsl-${p}` });
  return [...roles.values()];
}

/** The deployed role name of a service: `qsl-user` in environment `mvp` is `qsl-user-mvp`. */
export function roleName(role: ServiceRole, environment: string): string {
  return `${role.subject}-${environment}`;
}

/** Every resource of the template and the line it belongs to. */
export function templateResources(topology: Topology): TemplateResource[] {
  const out: TemplateResource[] = [{ logicalId: logicalIds.bus, type: 'AWS::Events::EventBus', check: 'bus', subject: topology.busName }];
  for (const q of topology.queues) {
    out.push({ logicalId: logicalIds.dlq(q.name), type: 'AWS::SQS::Queue', check: 'dlq', subject: q.name });
    out.push({ logicalId: logicalIds.queue(q.name), type: 'AWS::SQS::Queue', check: 'queue', subject: q.name });
    out.push({ logicalId: logicalIds.queuePolicy(q.name), type: 'AWS::SQS::QueuePolicy', check: 'queue', subject: q.name });
  }
  for (const r of topology.rules)
    out.push({ logicalId: logicalIds.rule(r.name), type: 'AWS::Events::Rule', check: 'rule', subject: r.name });
  for (const role of serviceRoles(topology)) {
    out.push({ logicalId: logicalIds.role(role.service), type: 'AWS::IAM::Role', check: 'permissions', subject: role.subject });
    out.push({ logicalId: logicalIds.policy(role.service), type: 'AWS::IAM::ManagedPolicy', check: 'permissions', subject: role.subject });
  }
  return out;
}

const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
const tags = (extra: Record<string, string>) => [
  { Key: 'Environment', Value: { Ref: 'Environment' } },
  ...Object.entries(extra).map(([Key, Value]) => ({ Key, Value })),
];

/** The CloudFormation template, as JSON data. */
export function stage1Template(topology: Topology): Json {
  const resources: Record<string, Json> = {};
  resources[logicalIds.bus] = {
    Type: 'AWS::Events::EventBus',
    Properties: { Name: { Ref: 'BusName' } },
  };
  for (const q of topology.queues) {
    const fifo = q.name.endsWith('.fifo');
    const fifoProps = fifo ? { FifoQueue: true } : {};
    resources[logicalIds.dlq(q.name)] = {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: dlqName(q.name),
        ...fifoProps,
        SqsManagedSseEnabled: true,
        // Dead letters are kept for the longest SQS allows (14 days), for the operators to inspect and redrive.
        MessageRetentionPeriod: 1209600,
        Tags: tags({ Service: q.consumer, Role: 'dead-letter' }),
      },
    };
    resources[logicalIds.queue(q.name)] = {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: q.name,
        ...fifoProps,
        ...(fifo ? { ContentBasedDeduplication: true } : {}),
        SqsManagedSseEnabled: true,
        VisibilityTimeout: q.visibilityTimeoutSeconds,
        RedrivePolicy: { deadLetterTargetArn: arnOf(logicalIds.dlq(q.name)), maxReceiveCount: q.maxReceiveCount },
        Tags: tags({ Service: q.consumer }),
      },
    };
  }
  for (const r of topology.rules) {
    resources[logicalIds.rule(r.name)] = {
      Type: 'AWS::Events::Rule',
      // The bus by its name parameter, not {"Ref": "Bus"} (moto fails a stack on the latter); hence the explicit dependency.
      DependsOn: logicalIds.bus,
      Properties: {
        Name: r.name,
        EventBusName: { Ref: 'BusName' },
        State: 'ENABLED',
        EventPattern: r.eventPattern,
        Targets: [
          {
            Id: r.queue.replace(/[^A-Za-z0-9_.-]/g, '-'),
            Arn: arnOf(logicalIds.queue(r.queue)),
            ...(r.messageGroupId ? { SqsParameters: { MessageGroupId: r.messageGroupId } } : {}),
          },
        ],
      },
    };
  }
  for (const q of topology.queues) {
    const rules = topology.rules.filter((r) => r.queue === q.name);
    resources[logicalIds.queuePolicy(q.name)] = {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [{ Ref: logicalIds.queue(q.name) }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'RulesOfThisQueueSend',
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: arnOf(logicalIds.queue(q.name)),
              Condition: { ArnEquals: { 'aws:SourceArn': rules.map((r) => arnOf(logicalIds.rule(r.name))) } },
            },
          ],
        },
      },
    };
  }
  for (const role of serviceRoles(topology)) {
    const roleId = logicalIds.role(role.service);
    resources[roleId] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: { 'Fn::Sub': `${role.subject}-\${Environment}` },
        Description: `${role.service}: publishes to the bus${role.queue ? `, consumes ${role.queue}` : ''}`,
        // EKS Pod Identity: the service's pods assume it (the plan deploys the services with kubectl).
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
        },
        Tags: tags({ Service: role.service }),
      },
    };
    const statements: Json[] = [{ Sid: 'PublishToTheBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: arnOf(logicalIds.bus) }];
    if (role.queue)
      statements.push({
        Sid: 'ConsumeOwnQueue',
        Effect: 'Allow',
        Action: [...CONSUMER_ACTIONS],
        Resource: arnOf(logicalIds.queue(role.queue)),
      });
    resources[logicalIds.policy(role.service)] = {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        ManagedPolicyName: { 'Fn::Sub': `${role.subject}-\${Environment}` },
        Roles: [{ Ref: roleId }],
        PolicyDocument: { Version: '2012-10-17', Statement: statements },
      },
    };
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      'QSL EventBridge migration, Stage 1 (infrastructure only): the bus, service queues with DLQs, rules, queue policies and ' +
      'least-privilege service roles. Generated from the harness topology by `npm run infra`; do not edit by hand.',
    Parameters: {
      Environment: {
        Type: 'String',
        Description: 'environment label (the plan deploys "mvp"); part of every role and policy name',
        AllowedPattern: '^[a-z0-9-]+$',
      },
      BusName: { Type: 'String', Description: 'the EventBridge bus (the plan: qsl-core)', Default: topology.busName },
    },
    Resources: resources,
    Outputs: {
      BusName: { Value: { Ref: 'BusName' } },
      BusArn: { Value: arnOf(logicalIds.bus) },
    },
  };
}
