import { connect, type Channel, type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { LegacyBus, LegacyHandler } from './types.js';

export interface AmqpLegacyBusOptions {
  /** Broker URL, e.g. amqp://localhost (credentials may be in it; they never appear in messages). */
  url: string;
  /** The topic exchange; created if missing, deleted on close when this bus created it. */
  exchange: string;
  /** Shown in the broker's management UI and `rabbitmqctl list_connections`. */
  connectionName?: string;
  /** A handler threw: the message is lost for that subscriber (auto-ack), as with the in-process bus. */
  onError?: (err: unknown, routingKey: string) => void;
  /** The broker connection ended while the bus was open. Called once. */
  onLost?: (reason: string) => void;
}

/**
 * The legacy bus on a real RabbitMQ: a topic exchange, one exclusive auto-delete queue per subscriber
 * bound with its pattern, auto-ack consumers, publisher confirms. A lost connection is not retried:
 * the bus reports it (`onLost`) and every later publish fails, so nothing pretends to have been sent.
 */
export class AmqpLegacyBus implements LegacyBus {
  private readonly pending = new Set<Promise<void>>();
  private failure: Error | undefined;
  private closing = false;
  private lostReason: string | undefined;

  private constructor(
    private readonly opts: AmqpLegacyBusOptions,
    private readonly conn: ChannelModel,
    private readonly publishChannel: ConfirmChannel,
    private readonly consumeChannel: Channel,
    private readonly createdExchange: boolean,
  ) {
    const lost = (why: string) => {
      if (this.closing || this.lostReason) return;
      this.lostReason = why;
      this.opts.onLost?.(why);
    };
    conn.on('error', (err: Error) => lost(`connection error: ${err.message}`));
    conn.on('close', () => lost('the broker closed the connection'));
    for (const ch of [publishChannel, consumeChannel]) {
      ch.on('error', (err: Error) => lost(`channel error: ${err.message}`));
      ch.on('close', () => lost('the broker closed a channel'));
    }
  }

  get exchange(): string {
    return this.opts.exchange;
  }

  /** Why the broker connection ended, when it did. */
  get lost(): string | undefined {
    return this.lostReason;
  }

  /** Connects and declares the exchange (a non-durable topic exchange when it does not exist yet). */
  static async connect(opts: AmqpLegacyBusOptions): Promise<AmqpLegacyBus> {
    const conn = await connect(opts.url, { clientProperties: { connection_name: opts.connectionName ?? 'qsl-sandbox' }, timeout: 5000 });
    try {
      const probe = await conn.createChannel();
      let exists = true;
      // checkExchange closes the channel when the exchange is missing.
      probe.on('error', () => {});
      await probe.checkExchange(opts.exchange).catch(() => (exists = false));
      if (exists) await probe.close().catch(() => {});
      const publishChannel = await conn.createConfirmChannel();
      const consumeChannel = await conn.createChannel();
      if (!exists)
        // Auto-delete: when every subscriber queue is gone (the sandbox stopped or lost the broker), so is the exchange.
        await publishChannel.assertExchange(opts.exchange, 'topic', { durable: false, autoDelete: true });
      return new AmqpLegacyBus(opts, conn, publishChannel, consumeChannel, !exists);
    } catch (err) {
      await conn.close().catch(() => {});
      throw err;
    }
  }

  async publish(routingKey: string, message: unknown): Promise<void> {
    if (this.lostReason) throw new Error(`legacy broker unavailable: ${this.lostReason}`);
    if (this.closing) throw new Error(`legacy bus ${this.exchange} is closed`);
    const body = Buffer.from(JSON.stringify(message));
    await new Promise<void>((resolve, reject) => {
      this.publishChannel.publish(this.exchange, routingKey, body, { contentType: 'application/json' }, (err) =>
        err ? reject(new Error(`legacy broker did not confirm ${routingKey}: ${String(err)}`)) : resolve(),
      );
    });
  }

  subscribe(bindingPattern: string, handler: LegacyHandler): () => void {
    let consumerTag: string | undefined;
    let active = true;
    let chain = Promise.resolve();
    const setup = (async () => {
      const q = await this.consumeChannel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
      await this.consumeChannel.bindQueue(q.queue, this.exchange, bindingPattern);
      const r = await this.consumeChannel.consume(
        q.queue,
        (msg) => {
          if (!msg || !active) return;
          const key = msg.fields.routingKey;
          const text = msg.content.toString('utf8');
          // One message at a time per subscriber, in order, like the in-process bus.
          chain = chain.then(async () => {
            if (!active) return;
            try {
              await handler(JSON.parse(text), key);
            } catch (err) {
              this.opts.onError?.(err, key);
            }
          });
        },
        { noAck: true },
      );
      consumerTag = r.consumerTag;
      if (!active) await this.consumeChannel.cancel(consumerTag).catch(() => {});
    })().catch((err: unknown) => {
      this.failure ??= new Error(`legacy bus: binding ${bindingPattern} on ${this.exchange} failed: ${(err as Error).message}`);
    });
    this.pending.add(setup);
    void setup.finally(() => this.pending.delete(setup));
    return () => {
      active = false;
      if (consumerTag && !this.lostReason && !this.closing) void this.consumeChannel.cancel(consumerTag).catch(() => {});
    };
  }

  /** Resolves once every subscription made so far is bound and consuming; rejects if one failed. */
  async ready(): Promise<void> {
    await Promise.all([...this.pending]);
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (!this.lostReason) {
      // Only what this bus created goes away; subscriber queues are exclusive and vanish with the connection.
      if (this.createdExchange) await this.publishChannel.deleteExchange(this.exchange).catch(() => {});
      await this.conn.close().catch(() => {});
    }
  }
}
