import type { Action } from '../types.js';
import { optionalString, requireString } from '../validate.js';

/** A disabled rule keeps its targets but delivers nothing. */
export const disableRule: Action = (input, { store }) => {
  store.getRule(optionalString(input, 'EventBusName'), requireString(input, 'Name')).state = 'DISABLED';
  return {};
};
