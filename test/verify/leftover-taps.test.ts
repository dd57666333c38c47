import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { removeLeftoverTaps } from '../../lib/verify/run-tap.js';

const stale = 'qsl-harness-mvp1-20200101T000000Z-dead00';
const gone = 'qsl-harness-mvp1-20200101T000000Z-gone00';
const fresh = 'qsl-harness-mvp1-20261130T120000Z-live00';
const notFound = (name: string) => Object.assign(new Error(`${name} does not exist`), { name });

/** A boundary fake: another run deletes `gone` between our listing and our delete. */
function fakes() {
  const deleted: string[] = [];
  const eventBridge = {
    async send(cmd: { constructor: { name: string }; input: Record<string, string> }) {
      switch (cmd.constructor.name) {
        case 'ListRulesCommand':
          return { Rules: [{ Name: stale }, { Name: gone }, { Name: fresh }] };
        case 'ListTargetsByRuleCommand':
          if (cmd.input.Rule === gone) throw notFound('ResourceNotFoundException');
          return { Targets: [{ Id: 'harness' }] };
        case 'RemoveTargetsCommand':
          return {};
        case 'DeleteRuleCommand':
          deleted.push(`rule ${cmd.input.Name}`);
          return {};
      }
      throw new Error(`unexpected ${cmd.constructor.name}`);
    },
  } as unknown as EventBridgeClient;
  const sqs = {
    async send(cmd: { constructor: { name: string }; input: Record<string, string> }) {
      if (cmd.constructor.name === 'ListQueuesCommand') return { QueueUrls: [stale, gone, fresh].map((n) => `http://sqs/000/${n}`) };
      if (cmd.constructor.name === 'DeleteQueueCommand') {
        if (cmd.input.QueueUrl!.endsWith(gone)) throw notFound('QueueDoesNotExist');
        deleted.push(`queue ${cmd.input.QueueUrl!.split('/').pop()}`);
        return {};
      }
      throw new Error(`unexpected ${cmd.constructor.name}`);
    },
  } as unknown as SQSClient;
  return { eventBridge, sqs, deleted };
}

describe('removeLeftoverTaps', () => {
  it('removes old harness taps, leaves recent ones, and takes a tap another run removed first as done', async () => {
    const f = fakes();
    const removed = await removeLeftoverTaps({ bus: 'qsl-core', sqs: f.sqs, eventBridge: f.eventBridge, now: Date.UTC(2026, 10, 30, 13) });
    expect(removed).toEqual([`rule ${stale}`, `queue ${stale}`]);
    expect(f.deleted).toEqual([`rule ${stale}`, `queue ${stale}`]);
  });

  it('still fails on any other error (a real problem is not swallowed)', async () => {
    const f = fakes();
    const eventBridge = {
      send: async () => {
        throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
      },
    } as unknown as EventBridgeClient;
    await expect(removeLeftoverTaps({ bus: 'qsl-core', sqs: f.sqs, eventBridge })).rejects.toThrow('denied');
  });
});
