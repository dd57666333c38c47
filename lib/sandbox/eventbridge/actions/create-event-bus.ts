import type { Action } from '../types.js';
import { optionalString, requireName } from '../validate.js';

export const createEventBus: Action = (input, { store }) => {
  const name = requireName(input, 'Name', 256);
  const bus = store.createBus(name, optionalString(input, 'Description'));
  return { EventBusArn: bus.arn };
};
