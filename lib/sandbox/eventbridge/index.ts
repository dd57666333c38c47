/**
 * An EventBridge-compatible endpoint for the sandbox. It speaks AWS JSON 1.1, so the unmodified
 * `@aws-sdk/client-eventbridge` and the AWS CLI work against it with an endpoint override.
 * Matched events are delivered to SQS targets through `@aws-sdk/client-sqs` at `sqsUrl`.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { sandboxCredentials } from '../sqs/index.js';
import { DeliveryEngine } from './delivery.js';
import { buildEventBridgeApp } from './router.js';
import { EventBridgeStore } from './store.js';
import type { EventEnvelope } from './types.js';

export interface EventBridgeServerOptions {
  /** Interface to bind; defaults to 127.0.0.1. */
  host?: string;
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Defaults to 'us-east-1'. */
  region?: string;
  /** Defaults to '000000000000' (the account fauxqs uses). */
  accountId?: string;
  /** Deliver to SQS targets via @aws-sdk/client-sqs at this endpoint. */
  sqsUrl: string;
  /** Fault hook: called once per (event, target) delivery; true = the delivery is silently lost (PutEvents still reports success). */
  dropDelivery?: (event: EventEnvelope, targetArn: string) => boolean;
  /** Fault `eventbridge.latency`: delay before each delivery batch. */
  deliveryDelayMs?: number;
  /** Sees every request: its X-Amz-Target action and parsed body (billing meter). */
  meter?: (action: string, body: unknown) => void;
}

export interface EventBridgeServer {
  /** Endpoint URL to pass as `endpoint` to an EventBridge client. */
  url: string;
  /** Closes the listener, waits for batches already being sent to SQS, drops undelivered ones. */
  stop(): Promise<void>;
}

/** Starts the endpoint with a `default` bus and resolves once it accepts connections. */
export async function startEventBridge(opts: EventBridgeServerOptions): Promise<EventBridgeServer> {
  if (typeof opts?.sqsUrl !== 'string' || !/^https?:\/\//.test(opts.sqsUrl)) {
    throw new Error(
      `invalid EventBridge sandbox option sqsUrl; reason: expected an http(s) URL such as the one startSqs() returns, got ${JSON.stringify(opts?.sqsUrl)}`,
    );
  }
  const store = new EventBridgeStore(opts.region ?? 'us-east-1', opts.accountId ?? '000000000000');
  const delivery = new DeliveryEngine({ sqsUrl: opts.sqsUrl, dropDelivery: opts.dropDelivery, delayMs: opts.deliveryDelayMs });
  const app = buildEventBridgeApp({ store, delivery });
  const meter = opts.meter;
  if (meter) {
    app.addHook('preHandler', async (req) => {
      const target = req.headers['x-amz-target'];
      meter((Array.isArray(target) ? target[0] : target)?.split('.').pop() ?? '', req.body);
    });
  }
  await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') {
    await app.close();
    throw new Error(`EventBridge sandbox did not report a TCP address (got ${String(address)})`);
  }
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    stop() {
      stopped ??= app.close().then(() => delivery.stop());
      return stopped;
    },
  };
}

/** An EventBridge client aimed at the sandbox (dummy static credentials, explicit endpoint). */
export function sandboxEventBridgeClient(url: string, region: string): EventBridgeClient {
  // cacheMiddleware: resolve the SDK's middleware stack once per command type, not per PutEvents (see sandboxSqsClient).
  return new EventBridgeClient({ endpoint: url, region, credentials: sandboxCredentials(), maxAttempts: 3, cacheMiddleware: true });
}

export { matchesPattern, parsePattern } from './pattern-matcher.js';
export { InvalidEventPatternError } from './errors.js';
export type { EventEnvelope };
