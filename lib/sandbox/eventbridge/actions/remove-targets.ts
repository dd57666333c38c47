import { ValidationError } from '../errors.js';
import type { Action } from '../types.js';
import { optionalString, requireString } from '../validate.js';

export const removeTargets: Action = (input, { store }) => {
  const rule = store.getRule(optionalString(input, 'EventBusName'), requireString(input, 'Rule'));
  const ids = input.Ids;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100 || !ids.every((i) => typeof i === 'string')) {
    throw new ValidationError(
      "1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must be a list of 1 to 100 target ids",
    );
  }
  for (const id of ids as string[]) rule.targets.delete(id);
  return { FailedEntryCount: 0, FailedEntries: [] };
};
