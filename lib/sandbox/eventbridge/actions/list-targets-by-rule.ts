import type { Action } from '../types.js';
import { optionalString, paginate, requireString } from '../validate.js';

export const listTargetsByRule: Action = (input, { store }) => {
  const rule = store.getRule(optionalString(input, 'EventBusName'), requireString(input, 'Rule'));
  const { page, nextToken } = paginate([...rule.targets.values()], input);
  return { Targets: page, ...(nextToken ? { NextToken: nextToken } : {}) };
};
