import { CreateQueueCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { ListRulesCommand, PutRuleCommand } from '@aws-sdk/client-eventbridge';
import { connect } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { sandboxEventBridgeClient } from '../../lib/sandbox/eventbridge/index.js';
import { sandboxSqsClient } from '../../lib/sandbox/sqs/index.js';
import { startTcpProxy, TEST_AMQP_URL } from '../helpers/tcp-proxy.js';
import { expectCleanGo, explain, runCli } from './run-cli.js';
import { startSandboxProcess, writeSandboxTarget } from './sandbox-process.js';

// Against a real RabbitMQ (CI starts one; QSL_TEST_AMQP_URL points elsewhere): the legacy path on a
// real broker, a broker that goes away mid-run, and two runs sharing one environment.
const smoke = ['run', 'mvp1', '--profile', 'smoke'];
const TIMEOUT = 240_000;
const amqpPort = Number(new URL(TEST_AMQP_URL).port || 5672);
const amqpHost = new URL(TEST_AMQP_URL).hostname;

describe('mvp1 with the legacy bus on RabbitMQ', () => {
  it(
    "clean smoke run with --legacy rabbitmq: GO, the legacy side read through the harness's own AMQP queue",
    { timeout: TIMEOUT },
    async () => {
      const r = await runCli([...smoke, '--legacy', 'rabbitmq', '--amqp-url', TEST_AMQP_URL], { outName: 'rabbitmq' });
      expectCleanGo(r, 'mvp1');
      expect(r.summary!.probes['shadow-divergence'].details?.compared).toBeGreaterThan(50);
      expect(r.summary!.probes['rollback-drill'].details?.legacyEventsAfterAction).toBeGreaterThan(0);
    },
  );

  it('a broker that goes away mid-run: UNDECIDED (exit 2) with the reason, never GO', { timeout: TIMEOUT }, async () => {
    const proxy = await startTcpProxy(amqpPort, amqpHost);
    let cut = false;
    const r = await runCli([...smoke, '--legacy', 'rabbitmq', '--amqp-url', `amqp://127.0.0.1:${proxy.port}`], {
      outName: 'rabbitmq-gone',
      onOutput: (chunk) => {
        if (!cut && chunk.includes('load: started')) {
          cut = true;
          setTimeout(() => void proxy.cut(), 3000);
        }
      },
    });
    expect(cut, explain(r)).toBe(true);
    expect(r.code, explain(r)).toBe(2);
    expect(r.summary!.verdict).toBe('UNDECIDED');
    expect(r.summary!.undecided).toMatch(/legacy broker went away mid-run/);
    expect(r.stdout + r.stderr).toMatch(/legacy broker went away/);
  });
});

describe('two runs against one environment at the same time', () => {
  it(
    'both end GO with their own counts, and leave no harness rule or queue behind (a stale one is cleaned)',
    { timeout: TIMEOUT },
    async () => {
      const sandbox = await startSandboxProcess(['--flags', 'flags/mvp1.json', '--legacy', 'rabbitmq', '--amqp-url', TEST_AMQP_URL]);
      const e = sandbox.endpoints;
      const eventBridge = sandboxEventBridgeClient(e.eventbridge, e.region);
      const sqs = sandboxSqsClient(e.sqs, e.region);
      try {
        expect(e.legacy?.exchange).toMatch(/^qsl\.events\.sandbox-/);
        // What a run killed two days ago would have left.
        const stale = 'qsl-harness-mvp1-20200101T000000Z-dead00';
        await eventBridge.send(
          new PutRuleCommand({ Name: stale, EventBusName: 'qsl-core', EventPattern: JSON.stringify({ source: ['nothing'] }) }),
        );
        await sqs.send(new CreateQueueCommand({ QueueName: stale }));

        const target = writeSandboxTarget(e, 'shared-staging', { legacy: e.legacy });
        const env = { AWS_ACCESS_KEY_ID: 'sandbox', AWS_SECRET_ACCESS_KEY: 'sandbox' };
        const [a, b] = await Promise.all([
          runCli([...smoke, '--target', target], { outName: 'shared-a', env }),
          runCli([...smoke, '--target', target], { outName: 'shared-b', env }),
        ]);
        for (const r of [a, b]) {
          expect(r.code, explain(r)).toBe(0);
          expect(r.summary!.verdict).toBe('GO');
          // Each run counted its own: everything k6 saw succeed was delivered, and its taps saw its own events.
          const n = r.summary!.probes['notifications-delivered'].details as { owed: number; delivered: number };
          expect(n.owed).toBeGreaterThan(100);
          expect(n.delivered).toBe(n.owed);
          expect(r.summary!.probes['shadow-divergence'].details?.compared).toBeGreaterThan(20);
        }
        expect(a.summary!.runId).not.toBe(b.summary!.runId);
        // The two drills changed the shared flags one after the other (the flag lease): neither's rollback or restore
        // fell inside the other's window, so each cutover held on its own evidence.
        const window = (r: typeof a) => {
          const timeline = r.summary!.probes['rollback-drill'].details!.timeline as Array<{ at: string; what: string }>;
          const at = (what: string) => Date.parse(timeline.find((e) => e.what.startsWith(what))!.at);
          return [at('rollback action started'), at('flags restored')] as const;
        };
        const [first, second] = [window(a), window(b)].sort((x, y) => x[0] - y[0]);
        expect(second[0]).toBeGreaterThan(first[1]);

        const rules = await eventBridge.send(new ListRulesCommand({ EventBusName: 'qsl-core', NamePrefix: 'qsl-harness-' }));
        expect(rules.Rules ?? []).toEqual([]);
        const queues = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'qsl-harness-' }));
        expect(queues.QueueUrls ?? []).toEqual([]);
        expect(a.stdout + a.stderr + b.stdout + b.stderr).toContain(stale);
        // The legacy taps were exclusive auto-delete queues: gone with their connections.
        const conn = await connect(TEST_AMQP_URL);
        try {
          const ch = await conn.createChannel();
          ch.on('error', () => {});
          const left = await ch.checkQueue(`qsl-harness.${a.summary!.runId}`).then(
            () => true,
            () => false,
          );
          expect(left).toBe(false);
        } finally {
          await conn.close().catch(() => {});
        }
      } finally {
        eventBridge.destroy();
        sqs.destroy();
        await sandbox.stop();
      }
    },
  );
});

describe('Ctrl-C in the middle of the rollback drill, against a target', () => {
  it(
    'UNDECIDED (exit 2), and the target is left as found: flags restored, no harness rule or queue left',
    { timeout: TIMEOUT },
    async () => {
      const sandbox = await startSandboxProcess(['--flags', 'flags/mvp1.json']);
      const e = sandbox.endpoints;
      const flags = async (): Promise<unknown> => (await fetch(`${e.admin}/admin/flags`)).json();
      try {
        const found = await flags();
        const target = writeSandboxTarget(e, 'staging-drill');
        // Interrupt the moment the rollback action has taken effect: the flags the run must put back are changed.
        let watching = false;
        let sent = false;
        const r = await runCli([...smoke, '--target', target], {
          outName: 'ctrl-c-drill',
          env: { AWS_ACCESS_KEY_ID: 'sandbox', AWS_SECRET_ACCESS_KEY: 'sandbox' },
          onOutput: (chunk, child) => {
            if (watching || !chunk.includes('rollback-drill: started')) return;
            watching = true;
            void (async () => {
              for (let i = 0; i < 600 && !sent; i++) {
                if (JSON.stringify(await flags()) !== JSON.stringify(found)) {
                  sent = true;
                  child.kill('SIGINT');
                } else await new Promise((res) => setTimeout(res, 50));
              }
            })();
          },
        });
        expect(sent, explain(r)).toBe(true);
        expect(r.code, explain(r)).toBe(2);
        expect(r.summary!.verdict).toBe('UNDECIDED');
        expect(await flags()).toEqual(found);
        const timeline = r.summary!.probes['rollback-drill']!.details!.timeline as Array<{ what: string }>;
        expect(timeline.map((t) => t.what).join('\n')).toMatch(/flags restored/);
        const rules = await sandboxEventBridgeClient(e.eventbridge, e.region).send(
          new ListRulesCommand({ EventBusName: 'qsl-core', NamePrefix: 'qsl-harness-' }),
        );
        expect(rules.Rules ?? []).toEqual([]);
        const queues = await sandboxSqsClient(e.sqs, e.region).send(new ListQueuesCommand({ QueueNamePrefix: 'qsl-harness-' }));
        expect(queues.QueueUrls ?? []).toEqual([]);
      } finally {
        await sandbox.stop();
      }
    },
  );
});
