import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ProbeResult } from '../verdict/index.js';

/** Depth of each service queue and its DLQ (`<name>-dlq`, or `<name>-dlq.fifo`), through the SQS API. */
export async function queueDepths(sqs: SQSClient, queues: readonly string[]): Promise<ProbeResult> {
  const rows: Array<{ queue: string; messages: number | null; inFlight: number | null; dlqMessages: number | null }> = [];
  const depth = async (name: string) => {
    try {
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
      const a = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return {
        visible: Number(a.Attributes?.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
      };
    } catch {
      return null;
    }
  };
  for (const q of queues) {
    const dlqName = q.endsWith('.fifo') ? `${q.slice(0, -5)}-dlq.fifo` : `${q}-dlq`;
    const [main, dlq] = await Promise.all([depth(q), depth(dlqName)]);
    rows.push({ queue: q, messages: main?.visible ?? null, inFlight: main?.inFlight ?? null, dlqMessages: dlq?.visible ?? null });
  }
  const totalDlq = rows.reduce((s, r) => s + (r.dlqMessages ?? 0), 0);
  return { value: totalDlq, note: totalDlq ? `${totalDlq} message(s) in dead-letter queues` : undefined, details: { queues: rows } };
}
