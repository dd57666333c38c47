/**
 * The embedded reference platform: gateway + services, an EventBridge-compatible endpoint, SQS (fauxqs), the legacy
 * RabbitMQ-style exchange, live feature flags and fault knobs. {@link buildSandbox} starts everything and hands back
 * endpoints and `stop()`; a milestone's topology and services come from lib/sandbox/mvp2.ts, mvp3.ts.
 */
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { FastifyInstance } from 'fastify';
import { defaultFeatureFlags, type FeatureFlags } from '../config/index.js';
import { buildAdminApp } from './admin/index.js';
import { BillingMeter } from './billing.js';
import { EventPublisher } from './events/publisher.js';
import { startAwsSide } from './aws-side.js';
import { sandboxEventBridgeClient } from './eventbridge/index.js';
import { faultMs, faultRatio, type FaultSet } from './faults.js';
import { FlagStore } from './flag-store.js';
import type { EventJournal } from './journal/index.js';
import { randomBytes } from 'node:crypto';
import { AmqpLegacyBus, InProcessLegacyBus, LegacyTap, type LegacyBus } from './legacy-bus/index.js';
import { Gateway } from './services/gateway/index.js';
import { MVP1_SERVICES, ServiceRegistry, type ServiceFactory } from './services/registry.js';
import type { Authenticator, ServiceModule } from './services/types.js';
import { sandboxSqsClient } from './sqs/index.js';
import { applyTopology, AUDIT_QUEUE, MVP1_TOPOLOGY, topologyWithFaults, type AppliedTopology, type Topology } from './topology.js';
import { checkPortBase, SANDBOX_HOST } from './ports.js';

export interface SandboxOptions {
  /** 0 or absent: random ports. N: gateway N, eventbridge N+1, sqs N+2, admin N+3. */
  portBase?: number;
  /** Parsed fault knobs (see parseFaults). */
  faults?: FaultSet;
  /** Initial feature flags; defaults to the seed's MVP 1 flags (flags/mvp1.json). */
  flags?: FeatureFlags;
  /** Seeds every sampler so a run can be reproduced. Default 1. */
  seed?: number;
  /** Receives log lines; silent when absent. */
  log?: (line: string) => void;
  /** Topology to create; defaults to MVP 1's. */
  topology?: Topology;
  /** Service modules to start; defaults to MVP 1's. */
  services?: readonly ServiceFactory[];
  /** AWS region the emulated services report. Default us-east-1. */
  region?: string;
  /**
   * The legacy bus: in process (default, needs nothing) or a real RabbitMQ. On RabbitMQ the sandbox declares
   * its own topic exchange (default `qsl.events.sandbox-<random>`, so sandboxes sharing a broker never meet)
   * and deletes it on stop.
   */
  legacy?: { kind: 'in-process' } | { kind: 'rabbitmq'; url: string; exchange?: string };
}

export interface SandboxEndpoints {
  gateway: string;
  eventbridge: string;
  sqs: string;
  admin: string;
  region: string;
  /** When the legacy bus is on RabbitMQ: where to bind a tap (the URL carries no credentials). */
  legacy?: { amqpUrl: string; exchange: string };
}

export interface Sandbox {
  endpoints: SandboxEndpoints;
  /** The event journal when a service keeps one (MVP 3's EventJournaler): an in-process handle for the harness's probe. */
  journal?: EventJournal;
  /** Stops consumers, HTTP servers, EventBridge and SQS. Idempotent. */
  stop(): Promise<void>;
}

const HOST = SANDBOX_HOST;

/** Start the sandbox. On a failure part-way, everything already started is stopped before rethrowing. */
export async function buildSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const log = options.log ?? (() => {});
  const faults = options.faults ?? Object.freeze({});
  const seed = options.seed ?? 1;
  const region = options.region ?? 'us-east-1';
  const base = options.portBase ?? 0;
  checkPortBase(base);
  const port = (offset: number) => (base === 0 ? 0 : base + offset);
  // AWS billing units as the wire saw them (GET /admin/billing; MVP 4's cost model).
  const billing = new BillingMeter();

  // Stop actions in start order; run in reverse.
  const stops: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const s of stops.splice(0).reverse()) {
      try {
        await s();
      } catch (err) {
        log(`sandbox: error while stopping: ${(err as Error).message}`);
      }
    }
  };

  try {
    const aws = await startAwsSide({
      host: HOST,
      sqsPort: port(2),
      eventBridgePort: port(1),
      region,
      dropRatio: faultRatio(faults, 'eventbridge.drop'),
      deliveryDelayMs: faultMs(faults, 'eventbridge.latency'),
      meter: billing,
    });
    stops.push(() => aws.stop());

    const sqs: SQSClient = sandboxSqsClient(aws.sqsUrl, region);
    const eventBridge: EventBridgeClient = sandboxEventBridgeClient(aws.eventBridgeUrl, region);
    stops.push(() => {
      sqs.destroy();
      eventBridge.destroy();
    });
    const broken = topologyWithFaults(options.topology ?? MVP1_TOPOLOGY, faults);
    const applied = await applyTopology(broken.topology, { sqs, eventBridge }, { withoutDlq: broken.withoutDlq });
    log(`sandbox: topology applied: bus ${applied.busName}, queues ${Object.keys(applied.queueUrls).join(', ')}`);
    const fill = faultMs(faults, 'dlq.fill');
    if (fill > 0) await fillDlq(sqs, applied, fill);

    const onHandlerError = (err: unknown, key: string) => log(`legacy-bus: handler for ${key} failed: ${(err as Error).message}`);
    let legacy: LegacyBus;
    let legacyEndpoint: SandboxEndpoints['legacy'];
    if (options.legacy?.kind === 'rabbitmq') {
      const exchange = options.legacy.exchange ?? `qsl.events.sandbox-${randomBytes(4).toString('hex')}`;
      legacy = await AmqpLegacyBus.connect({
        url: options.legacy.url,
        exchange,
        connectionName: `qsl-sandbox ${exchange}`,
        onError: onHandlerError,
        onLost: (why) => log(`legacy-bus: RabbitMQ connection lost (${why}); legacy publishing now fails`),
      }).catch((err: unknown) => {
        throw new Error(
          `sandbox: cannot reach RabbitMQ at ${redactUrl(options.legacy!.kind === 'rabbitmq' ? options.legacy!.url : '')} for the legacy bus (${(err as Error).message}). Start it (rabbitmq-server -detached; rabbitmqctl await_startup), pass --amqp-url, or drop --legacy rabbitmq to use the in-process bus.`,
        );
      });
      legacyEndpoint = { amqpUrl: redactUrl(options.legacy.url), exchange };
    } else {
      legacy = new InProcessLegacyBus('qsl.events', onHandlerError);
    }
    stops.push(() => legacy.close());
    const tap = new LegacyTap(legacy);
    const flags = new FlagStore(options.flags ?? defaultFeatureFlags());
    const publisher = new EventPublisher({ legacy, eventBridge, busName: applied.busName, flags, seed, log });

    const registry = new ServiceRegistry(faults);
    const ctx = { publisher, legacy, sqs, queueUrls: applied.queueUrls, faults, flags, seed, log };
    for (const factory of options.services ?? MVP1_SERVICES) registry.add(factory(ctx, registry));
    for (const m of registry.all()) {
      await m.start?.();
      stops.push(() => m.stop?.());
    }
    await legacy.ready?.();

    const authenticator = registry.all().find(isAuthenticator);
    if (!authenticator) throw new Error('sandbox: no service provides authentication (the user service is missing)');
    const gateway = new Gateway({ registry, authenticator, faults, log });
    registry.add(gateway);
    const gatewayUrl = await gateway.listen(HOST, port(0));
    stops.push(() => gateway.stop());

    const admin: FastifyInstance = buildAdminApp({ registry, flags, faults, tap, sqs, topology: applied, billing, log });
    const adminUrl = (await admin.listen({ host: HOST, port: port(3) })).replace('localhost', HOST);
    stops.push(() => admin.close());

    const endpoints: SandboxEndpoints = Object.freeze({
      gateway: gatewayUrl,
      eventbridge: aws.eventBridgeUrl,
      sqs: aws.sqsUrl,
      admin: adminUrl,
      region,
      ...(legacyEndpoint ? { legacy: legacyEndpoint } : {}),
    });
    log(`sandbox: up ${JSON.stringify(endpoints)}`);
    let stopping: Promise<void> | undefined;
    const journal = registry.all().find(hasJournal)?.journal;
    return {
      endpoints,
      ...(journal ? { journal } : {}),
      stop: () => (stopping ??= stopAll().then(() => log('sandbox: stopped'))),
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** The URL without user and password, for logs and endpoint listings. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(unparsable URL)';
  }
}

/** Fault `dlq.fill=n`: n dead letters in the first service queue's DLQ, as a stuck consumer would leave them. */
async function fillDlq(sqs: SQSClient, applied: AppliedTopology, n: number): Promise<void> {
  const queue = Object.keys(applied.dlqUrls).find((q) => q !== AUDIT_QUEUE);
  if (!queue) return;
  const fifo = queue.endsWith('.fifo');
  for (let sent = 0; sent < n; sent += 10) {
    const entries = Array.from({ length: Math.min(10, n - sent) }, (_, i) => ({
      Id: String(i),
      MessageBody: JSON.stringify({ deadLetter: sent + i, reason: 'fault dlq.fill' }),
      ...(fifo ? { MessageGroupId: 'dlq-fill', MessageDeduplicationId: `dlq-fill-${sent + i}` } : {}),
    }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: applied.dlqUrls[queue], Entries: entries }));
  }
}

function hasJournal(m: ServiceModule): m is ServiceModule & { journal: EventJournal } {
  const j = (m as { journal?: Partial<EventJournal> }).journal;
  return !!j && typeof j.write === 'function' && !!j.client;
}

function isAuthenticator(m: ServiceModule): m is ServiceModule & Authenticator {
  return typeof (m as Partial<Authenticator>).authenticate === 'function';
}

export { assertPortsFree, SANDBOX_PORT_COUNT } from './ports.js';
export { parseFaults, describeFaultKnobs, FAULT_KNOBS } from './faults.js';
export type { FaultSet, FaultKnob } from './faults.js';
export { MVP1_TOPOLOGY, AUDIT_QUEUE, applyTopology, topologyWithFaults, consumerOf, withConsumers, dlqName } from './topology.js';
export { startAwsSide } from './aws-side.js';
export { EVENT_CATALOGUE } from './events/types.js';
export { matchesPattern } from './eventbridge/index.js';
export type { Topology, QueueSpec, RuleSpec, EventPattern } from './topology.js';
export { MVP1_SERVICES } from './services/registry.js';
export { MVP2_TOPOLOGY, MVP2_SERVICES } from './mvp2.js';
export { MVP3_TOPOLOGY, mvp3Services } from './mvp3.js';
export { MVP4_TOPOLOGY, mvp4Services, SSE_PATHS, SSE_HEARTBEAT_MS, SSE_RETRY_MS, namedUsers } from './mvp4.js';
export { USER_STREAM_TYPES, SSE_POSITION_EVENT, type StreamEventData } from './services/sse-gateway/contract.js';
export type { ServiceFactory } from './services/registry.js';
export type { ServiceContext, ServiceModule, HttpRoute, RouteRequest, RouteResult, ServiceHealth, StreamRoute } from './services/types.js';
export type { BillingSnapshot } from './billing.js';
export { EventConsumer } from './events/consumer.js';
export type { EventConsumerOptions, EventHandler } from './events/consumer.js';
export type { EventPublisher } from './events/publisher.js';
export type { QslEvent, EventType, TraceContext, PublishMode, Delivery } from './events/types.js';
export type { LegacyBus } from './legacy-bus/index.js';
