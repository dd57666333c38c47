export type { LegacyBus, LegacyHandler, LegacyRoutingKey } from './types.js';
export { InProcessLegacyBus } from './in-process-bus.js';
export { topicMatches } from './topic-matcher.js';
export { LegacyTap } from './tap.js';
export type { TappedEvent, TapQuery } from './tap.js';
export { AmqpLegacyBus } from './amqp-bus.js';
export type { AmqpLegacyBusOptions } from './amqp-bus.js';
