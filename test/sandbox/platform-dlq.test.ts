import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildSandbox,
  consumerOf,
  EventConsumer,
  MVP1_SERVICES,
  MVP1_TOPOLOGY,
  withConsumers,
  type Sandbox,
  type ServiceContext,
  type ServiceModule,
} from '../../lib/sandbox/index.js';
import { Api, waitFor } from './platform-helpers.js';

/** A consumer of UserSignedUp whose handler always fails: its messages must end in its DLQ. */
function failingService(ctx: ServiceContext): ServiceModule {
  const consumer = new EventConsumer({
    name: 'failing',
    sqs: ctx.sqs,
    queueUrl: ctx.queueUrls['qsl-failing'],
    legacy: ctx.legacy,
    legacyBindings: [],
    handle: async () => {
      throw new Error('always fails');
    },
    waitTimeSeconds: 1,
  });
  return {
    name: 'failing',
    health: () => (consumer.isRunning ? 'up' : 'down'),
    start: () => consumer.start(),
    stop: () => consumer.stop(),
  };
}

describe('sandbox platform: extension points and redrive', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await buildSandbox({
      topology: withConsumers(
        MVP1_TOPOLOGY,
        consumerOf('failing', 'qsl-failing', { 'detail-type': ['UserSignedUp'] }, { visibilityTimeoutSeconds: 1 }),
      ),
      services: [...MVP1_SERVICES, failingService],
    });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('an added consumer appears in health and queues; a message it keeps failing moves to its DLQ after maxReceiveCount', async () => {
    const api = new Api(sandbox.endpoints, 'dlq');
    expect((await api.admin('GET', '/admin/health')).body.services.failing).toBe('up');
    await api.newUser('dlq');
    const q = await waitFor(
      async () => {
        const r = await api.admin('GET', '/admin/queues');
        const failing = r.body.queues.find((x: { name: string }) => x.name === 'qsl-failing');
        return failing?.dlqMessages === 1 ? r.body.queues : undefined;
      },
      'UserSignedUp in qsl-failing-dlq',
      30_000,
      200,
    );
    expect(q.find((x: { name: string }) => x.name === 'qsl-failing').approximateMessages).toBe(0);
    // The healthy consumers are untouched.
    for (const x of q.filter((x: { name: string }) => x.name !== 'qsl-failing')) expect(x.dlqMessages).toBe(0);
  });
});
