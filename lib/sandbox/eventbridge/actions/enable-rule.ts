import type { Action } from '../types.js';
import { optionalString, requireString } from '../validate.js';

export const enableRule: Action = (input, { store }) => {
  store.getRule(optionalString(input, 'EventBusName'), requireString(input, 'Name')).state = 'ENABLED';
  return {};
};
