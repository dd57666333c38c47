import { EventConsumer, type EventConsumerOptions } from '../events/consumer.js';
import type { ServiceContext, ServiceHealth, ServiceModule } from './types.js';

export interface ConsumingServiceOptions extends Pick<EventConsumerOptions, 'name' | 'legacyBindings' | 'handle' | 'onValidation'> {
  /** The service's queue by name in the topology (its URL comes from `ctx.queueUrls`). */
  queue: string;
}

/**
 * A service driven by one {@link EventConsumer} on its queue and legacy bindings: starting and stopping the
 * service starts and stops the consumer, and the service is up while the consumer runs. A subclass passes its
 * handlers to `super(...)` as arrow functions over `this`: they run only after start(), once it is constructed.
 */
export abstract class ConsumingService implements ServiceModule {
  readonly name: string;
  private readonly consumer: EventConsumer;

  protected constructor(ctx: ServiceContext, { queue, ...opts }: ConsumingServiceOptions) {
    this.name = opts.name;
    this.consumer = new EventConsumer({ ...opts, sqs: ctx.sqs, queueUrl: ctx.queueUrls[queue], legacy: ctx.legacy, log: ctx.log });
  }

  start(): void {
    this.consumer.start();
  }

  async stop(): Promise<void> {
    await this.consumer.stop();
  }

  health(): ServiceHealth {
    return this.consumer.isRunning ? 'up' : 'down';
  }
}
