import type { Action } from '../types.js';
import { requireString } from '../validate.js';

/** Idempotent like AWS: deleting a bus that does not exist succeeds. */
export const deleteEventBus: Action = (input, { store }) => {
  store.deleteBus(requireString(input, 'Name'));
  return {};
};
