import type { Action } from '../types.js';
import { optionalString, paginate } from '../validate.js';
import { describeBus } from './describe-event-bus.js';

export const listEventBuses: Action = (input, { store }) => {
  const prefix = optionalString(input, 'NamePrefix') ?? '';
  const { page, nextToken } = paginate(
    store.listBuses().filter((b) => b.name.startsWith(prefix)),
    input,
  );
  return { EventBuses: page.map(describeBus), ...(nextToken ? { NextToken: nextToken } : {}) };
};
