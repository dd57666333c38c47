import type { Action, EventBus } from '../types.js';
import { optionalString } from '../validate.js';

export function describeBus(bus: EventBus): Record<string, unknown> {
  return {
    Name: bus.name,
    Arn: bus.arn,
    ...(bus.description !== undefined ? { Description: bus.description } : {}),
    CreationTime: bus.creationTime,
    LastModifiedTime: bus.lastModifiedTime,
  };
}

export const describeEventBus: Action = (input, { store }) => describeBus(store.getBus(optionalString(input, 'Name')));
