import { topicMatches } from './topic-matcher.js';
import type { LegacyBus, LegacyHandler } from './types.js';

interface Binding {
  readonly pattern: string;
  readonly handler: LegacyHandler;
  /** Per-subscriber delivery chain: like an AMQP queue, one message at a time, in order. */
  chain: Promise<void>;
  active: boolean;
}

/**
 * In-process topic exchange. Delivery is asynchronous (like a broker): `publish` resolves once the message is
 * routed, not once handlers finish. A handler that throws is reported through `onError` and the message is
 * dropped for that subscriber (at-most-once, which is what an auto-ack RabbitMQ consumer gives).
 */
export class InProcessLegacyBus implements LegacyBus {
  private readonly bindings = new Set<Binding>();
  private closed = false;

  constructor(
    readonly exchange = 'qsl.events',
    private readonly onError: (err: unknown, routingKey: string) => void = () => {},
  ) {}

  async publish(routingKey: string, message: unknown): Promise<void> {
    if (this.closed) throw new Error(`legacy bus ${this.exchange} is closed`);
    // Each subscriber gets its own structured copy, as it would from a broker.
    const body = JSON.stringify(message);
    for (const b of this.bindings) {
      if (!b.active || !topicMatches(b.pattern, routingKey)) continue;
      b.chain = b.chain.then(async () => {
        if (!b.active) return;
        try {
          await b.handler(JSON.parse(body), routingKey);
        } catch (err) {
          this.onError(err, routingKey);
        }
      });
    }
  }

  subscribe(bindingPattern: string, handler: LegacyHandler): () => void {
    const binding: Binding = { pattern: bindingPattern, handler, chain: Promise.resolve(), active: true };
    this.bindings.add(binding);
    return () => {
      binding.active = false;
      this.bindings.delete(binding);
    };
  }

  /** Resolves when every delivery already routed has been handled. */
  async drain(): Promise<void> {
    await Promise.all([...this.bindings].map((b) => b.chain));
  }

  async close(): Promise<void> {
    this.closed = true;
    const pending = [...this.bindings].map((b) => b.chain);
    for (const b of this.bindings) b.active = false;
    this.bindings.clear();
    await Promise.all(pending);
  }
}
