// Worker-thread entry of lib/sandbox/aws-side.ts: starts SQS and EventBridge, stops them on 'stop'.
import { parentPort, workerData } from 'node:worker_threads';
import { startAwsServices, type AwsSideMessage, type AwsSideOptions } from './aws-side.js';

const port = parentPort;
if (!port) throw new Error('aws-side-worker.ts must be started as a worker thread');
const send = (m: AwsSideMessage) => port.postMessage(m);

try {
  const aws = await startAwsServices(workerData as AwsSideOptions);
  port.on('message', async (m) => {
    if (m !== 'stop') return;
    await aws.stop();
    send({ stopped: true });
  });
  send({ ready: true, sqsUrl: aws.sqsUrl, eventBridgeUrl: aws.eventBridgeUrl });
} catch (e) {
  send({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}
