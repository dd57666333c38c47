/** A message handler; a returned promise is awaited before the next message to that subscriber. */
export type LegacyHandler = (message: unknown, routingKey: string) => void | Promise<void>;

/**
 * The RabbitMQ side of the migration: one topic exchange (`qsl.events`), in process (the default) or on a
 * real RabbitMQ through amqplib (amqp-bus.ts).
 */
export interface LegacyBus {
  readonly exchange: string;
  /** Publish to the exchange; routed to every subscriber whose binding pattern matches `routingKey`. */
  publish(routingKey: string, message: unknown): Promise<void>;
  /** Bind a handler with an AMQP topic pattern (`*` one word, `#` zero or more). Returns the unsubscribe. */
  subscribe(bindingPattern: string, handler: LegacyHandler): () => void;
  /** Resolves once every subscription made so far receives messages (a broker binds asynchronously). */
  ready?(): Promise<void>;
  close(): Promise<void>;
}

/** The routing keys the MVP 1 services publish on `qsl.events`. */
export const LEGACY_ROUTING_KEYS = [
  'user.signed_up',
  'user.profile_updated',
  'workflow.created',
  'workflow.execution_requested',
  'workflow.step_completed',
  'workflow.completed',
  'notification.delivered',
] as const;
export type LegacyRoutingKey = (typeof LEGACY_ROUTING_KEYS)[number];
