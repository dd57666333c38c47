import { ValidationError } from '../errors.js';
import type { Action } from '../types.js';
import { optionalString, requireString } from '../validate.js';

/** Idempotent for unknown rules (as AWS); refuses while the rule still has targets. */
export const deleteRule: Action = (input, { store }) => {
  const bus = store.getBus(optionalString(input, 'EventBusName'));
  const name = requireString(input, 'Name');
  const rule = bus.rules.get(name);
  if (rule && rule.targets.size > 0 && input.Force !== true) {
    throw new ValidationError("Rule can't be deleted since it has targets. Remove them with RemoveTargets first.");
  }
  bus.rules.delete(name);
  return {};
};
