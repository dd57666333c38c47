/**
 * The sandbox's AWS side: SQS via fauxqs and the EventBridge-compatible endpoint, with the
 * `eventbridge.drop` fault applied per target queue. (Running it in a worker thread was measured:
 * no latency gain on 2 cores, where the services' own AWS SDK calls dominate; so it stays in-process.)
 */
import { startEventBridge } from './eventbridge/index.js';
import type { BillingMeter } from './billing.js';
import { RatioGate } from './faults.js';
import { startSqs } from './sqs/index.js';

export interface AwsSideOptions {
  host: string;
  sqsPort: number;
  eventBridgePort: number;
  region: string;
  /** Fault `eventbridge.drop`: the fraction of EventBridge -> SQS deliveries lost, per target queue. */
  dropRatio: number;
  /** Fault `eventbridge.latency`: ms added to every EventBridge -> SQS delivery. */
  deliveryDelayMs?: number;
  /** Counts the billing units of every request both servers answer. */
  meter?: BillingMeter;
}

export interface AwsSide {
  sqsUrl: string;
  eventBridgeUrl: string;
  stop(): Promise<void>;
}

/** Starts SQS, then EventBridge delivering to it; `stop()` stops both. */
export async function startAwsSide(opts: AwsSideOptions): Promise<AwsSide> {
  const sqs = await startSqs({
    host: opts.host,
    port: opts.sqsPort,
    region: opts.region,
    ...(opts.meter ? { meter: opts.meter.sqsHook } : {}),
  });
  // One gate per target queue: every queue loses exactly its fraction, however the deliveries interleave.
  const gates = new Map<string, RatioGate>();
  const gate = (arn: string) => gates.get(arn) ?? gates.set(arn, new RatioGate(opts.dropRatio)).get(arn)!;
  try {
    const eb = await startEventBridge({
      host: opts.host,
      port: opts.eventBridgePort,
      region: opts.region,
      sqsUrl: sqs.url,
      ...(opts.meter ? { meter: opts.meter.eventBridgeHook } : {}),
      ...(opts.deliveryDelayMs ? { deliveryDelayMs: opts.deliveryDelayMs } : {}),
      ...(opts.dropRatio > 0 ? { dropDelivery: (_event: unknown, arn: string) => gate(arn).next() } : {}),
    });
    return {
      sqsUrl: sqs.url,
      eventBridgeUrl: eb.url,
      stop: async () => {
        await eb.stop().catch(() => {});
        await sqs.stop().catch(() => {});
      },
    };
  } catch (e) {
    await sqs.stop().catch(() => {});
    throw e;
  }
}
