/**
 * The sandbox's AWS side (SQS via fauxqs and the EventBridge-compatible endpoint) in its own worker
 * thread. Both are remote services in a real deployment; here they get their own event loop, so the
 * platform's services and the harness do not queue behind SQS and EventBridge work on 2 cores.
 */
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../workers/ts-worker.js';
import { startEventBridge } from './eventbridge/index.js';
import { RatioGate } from './faults.js';
import { startSqs } from './sqs/index.js';

export interface AwsSideOptions {
  host: string;
  sqsPort: number;
  eventBridgePort: number;
  region: string;
  /** Fault `eventbridge.drop`: the fraction of EventBridge -> SQS deliveries lost, per target queue. */
  dropRatio: number;
  /** Run in a worker thread, or (false) in the caller's thread. */
  inThread: boolean;
}

export interface AwsSide {
  sqsUrl: string;
  eventBridgeUrl: string;
  stop(): Promise<void>;
}

export type AwsSideMessage = { ready: true; sqsUrl: string; eventBridgeUrl: string } | { error: string } | { stopped: true };

/** Starts SQS and EventBridge in the current thread. */
export async function startAwsServices(opts: AwsSideOptions): Promise<AwsSide> {
  const sqs = await startSqs({ host: opts.host, port: opts.sqsPort, region: opts.region });
  // One gate per target queue: every queue loses exactly its fraction, however the deliveries interleave.
  const gates = new Map<string, RatioGate>();
  const gate = (arn: string) => gates.get(arn) ?? gates.set(arn, new RatioGate(opts.dropRatio)).get(arn)!;
  try {
    const eb = await startEventBridge({
      host: opts.host,
      port: opts.eventBridgePort,
      region: opts.region,
      sqsUrl: sqs.url,
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

export async function startAwsSide(opts: AwsSideOptions): Promise<AwsSide> {
  if (!opts.inThread) return startAwsServices(opts);
  const worker: Worker = startTsWorker(new URL('./aws-side-worker.ts', import.meta.url), { workerData: opts });
  const ready = await new Promise<{ sqsUrl: string; eventBridgeUrl: string }>((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`sandbox AWS worker exited with code ${code} before it was ready`));
    worker.once('exit', onExit);
    worker.once('error', reject);
    worker.once('message', (m: AwsSideMessage) => {
      worker.off('exit', onExit);
      if ('ready' in m) resolve(m);
      else reject(new Error(`sandbox AWS worker failed to start: ${'error' in m ? m.error : 'unexpected message'}`));
    });
  });
  let stopping: Promise<void> | null = null;
  return {
    ...ready,
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        const done = () => resolve();
        worker.once('exit', done);
        worker.once('message', () => void worker.terminate().then(done, done));
        worker.postMessage('stop');
      })),
  };
}
