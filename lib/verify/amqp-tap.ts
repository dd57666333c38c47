import { connect, type ChannelModel } from 'amqplib';
import { createError } from '../errors/index.js';

export interface AmqpTapOptions {
  /** Broker URL from the target file (no credentials in it). */
  amqpUrl: string;
  /** The target's legacy topic exchange. */
  exchange: string;
  /** Names the tap's queue (`qsl-harness.<runId>`) so an operator can tell whose it is. */
  runId: string;
  onMessage(message: unknown, routingKey: string): void;
  /** The broker connection ended before close(): the legacy side is no longer watched. Called once. */
  onLost(reason: string): void;
}

/** The broker URL with QSL_AMQP_USER / QSL_AMQP_PASS from the environment, as AWS credentials come from the environment. */
export function amqpUrlWithCredentials(amqpUrl: string, env: NodeJS.ProcessEnv = process.env): string {
  const u = new URL(amqpUrl);
  if (env.QSL_AMQP_USER) u.username = encodeURIComponent(env.QSL_AMQP_USER);
  if (env.QSL_AMQP_PASS) u.password = encodeURIComponent(env.QSL_AMQP_PASS);
  return u.toString();
}

/**
 * The harness's legacy-side tap: its own exclusive, auto-delete queue bound with `#` to the target's
 * exchange, so it consumes nothing another consumer would get, and the broker removes the queue when
 * the tap's connection ends, even if the harness is killed.
 */
export async function openAmqpTap(opts: AmqpTapOptions): Promise<{ close(): Promise<void> }> {
  let conn: ChannelModel;
  try {
    conn = await connect(amqpUrlWithCredentials(opts.amqpUrl), {
      clientProperties: { connection_name: `qsl-harness ${opts.runId}` },
      timeout: 10_000,
    });
  } catch (e) {
    throw createError(
      'QSL_TARGET_UNREACHABLE',
      `the AMQP broker (legacy bus) at ${opts.amqpUrl} did not answer: ${(e as Error).message}. Check legacy.amqpUrl in the target file, that the broker is up, and QSL_AMQP_USER / QSL_AMQP_PASS.`,
      { cause: e },
    );
  }
  let closing = false;
  let reported = false;
  const lost = (why: string) => {
    if (closing || reported) return;
    reported = true;
    opts.onLost(why);
  };
  try {
    const ch = await conn.createChannel();
    ch.on('error', () => {});
    await ch.checkExchange(opts.exchange).catch((e: Error) => {
      throw createError(
        'QSL_CONFIG_INVALID',
        `the legacy exchange "${opts.exchange}" does not exist on ${opts.amqpUrl} (${e.message}). Fix legacy.exchange in the target file.`,
      );
    });
    const ch2 = await conn.createChannel();
    const q = await ch2.assertQueue(`qsl-harness.${opts.runId}`, { exclusive: true, autoDelete: true, durable: false });
    await ch2.bindQueue(q.queue, opts.exchange, '#');
    await ch2.consume(
      q.queue,
      (msg) => {
        if (!msg) return lost('the broker cancelled the tap consumer');
        try {
          opts.onMessage(JSON.parse(msg.content.toString('utf8')), msg.fields.routingKey);
        } catch {
          // Not JSON: not one of the platform's events.
        }
      },
      { noAck: true },
    );
    conn.on('error', (e: Error) => lost(`connection error: ${e.message}`));
    conn.on('close', () => lost('the broker closed the connection'));
    ch2.on('error', (e: Error) => lost(`channel error: ${e.message}`));
    ch2.on('close', () => lost('the broker closed the tap channel'));
  } catch (e) {
    closing = true;
    await conn.close().catch(() => {});
    throw e;
  }
  return {
    async close() {
      closing = true;
      await conn.close().catch(() => {});
    },
  };
}
