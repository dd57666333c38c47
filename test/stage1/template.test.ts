import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { logicalIds, serviceRoles, STAGE1_TOPOLOGY, stage1Template, TEMPLATE_FILE, templateResources } from '../../lib/stage1/index.js';

type Resource = { Type: string; DependsOn?: string; Properties: Record<string, any> };
const template = stage1Template(STAGE1_TOPOLOGY) as { Parameters: Record<string, unknown>; Resources: Record<string, Resource> };
const resources = template.Resources;

describe('infra/aws/qsl-eventbridge.template.json (npm run infra)', () => {
  it('the committed file is what npm run infra writes from the topology (run npm run infra when this fails)', () => {
    expect(JSON.parse(readFileSync(TEMPLATE_FILE, 'utf8'))).toEqual(template);
    const check = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/infra.ts', '--check'], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
  });

  it("has the plan's parameters, and every resource belongs to exactly one Stage 1 line", () => {
    expect(Object.keys(template.Parameters).sort()).toEqual(['BusName', 'Environment']);
    const listed = templateResources(STAGE1_TOPOLOGY);
    expect(listed.map((r) => r.logicalId).sort()).toEqual(Object.keys(resources).sort());
    for (const r of listed) expect(resources[r.logicalId]!.Type).toBe(r.type);
  });

  it('every queue has an encrypted DLQ (FIFO like its queue) and a RedrivePolicy with the topology maxReceiveCount', () => {
    for (const q of STAGE1_TOPOLOGY.queues) {
      const queue = resources[logicalIds.queue(q.name)]!.Properties;
      const dlq = resources[logicalIds.dlq(q.name)]!.Properties;
      expect(queue.QueueName).toBe(q.name);
      expect(queue.SqsManagedSseEnabled).toBe(true);
      expect(dlq.SqsManagedSseEnabled).toBe(true);
      expect(queue.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalIds.dlq(q.name), 'Arn'] },
        maxReceiveCount: q.maxReceiveCount,
      });
      expect(!!queue.FifoQueue).toBe(q.name.endsWith('.fifo'));
      expect(!!dlq.FifoQueue).toBe(q.name.endsWith('.fifo'));
    }
    expect(resources[logicalIds.queue('qsl-ledger.fifo')]!.Properties).toMatchObject({ FifoQueue: true, ContentBasedDeduplication: true });
  });

  it('one rule per consumer on the BusName bus (not Ref Bus, which moto fails on), targeting its queue; queue policies admit exactly those rules', () => {
    for (const r of STAGE1_TOPOLOGY.rules) {
      const rule = resources[logicalIds.rule(r.name)]!;
      expect(rule.DependsOn).toBe(logicalIds.bus);
      expect(rule.Properties).toMatchObject({
        Name: r.name,
        EventBusName: { Ref: 'BusName' },
        State: 'ENABLED',
        EventPattern: r.eventPattern,
      });
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({
          Arn: { 'Fn::GetAtt': [logicalIds.queue(r.queue), 'Arn'] },
          ...(r.messageGroupId ? { SqsParameters: { MessageGroupId: r.messageGroupId } } : {}),
        }),
      ]);
    }
    const ledger = resources[logicalIds.queuePolicy('qsl-ledger.fifo')]!.Properties;
    expect(ledger.Queues).toEqual([{ Ref: logicalIds.queue('qsl-ledger.fifo') }]);
    expect(ledger.PolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Condition: {
          ArnEquals: {
            'aws:SourceArn': STAGE1_TOPOLOGY.rules
              .filter((r) => r.queue === 'qsl-ledger.fifo')
              .map((r) => ({ 'Fn::GetAtt': [logicalIds.rule(r.name), 'Arn'] })),
          },
        },
      }),
    ]);
  });

  it('one least-privilege role per service: PutEvents on the bus, consume its own queue, nothing on *', () => {
    const roles = serviceRoles(STAGE1_TOPOLOGY);
    // Every queue's consumer, and every publisher that consumes nothing.
    expect(roles.map((r) => r.subject)).toEqual(
      expect.arrayContaining(['qsl-user', 'qsl-ledger', 'qsl-payment', 'qsl-token', 'qsl-sse-hub']),
    );
    for (const role of roles) {
      const policy = resources[logicalIds.policy(role.service)]!.Properties;
      expect(policy.Roles).toEqual([{ Ref: logicalIds.role(role.service) }]);
      const statements = policy.PolicyDocument.Statement as Array<{ Action: unknown; Resource: unknown }>;
      expect(statements[0]).toMatchObject({ Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': ['Bus', 'Arn'] } });
      if (role.queue) expect(statements[1]!.Resource).toEqual({ 'Fn::GetAtt': [logicalIds.queue(role.queue), 'Arn'] });
      expect(statements).toHaveLength(role.queue ? 2 : 1);
      expect(JSON.stringify(statements)).not.toMatch(/"\*"|sqs:\*/);
    }
  });
});
