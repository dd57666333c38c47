import type { Action } from '../types.js';
import { optionalString, paginate } from '../validate.js';
import { describeRuleFields } from './describe-rule.js';

export const listRules: Action = (input, { store }) => {
  const bus = store.getBus(optionalString(input, 'EventBusName'));
  const prefix = optionalString(input, 'NamePrefix') ?? '';
  const rules = [...bus.rules.values()].filter((r) => r.name.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
  const { page, nextToken } = paginate(rules, input);
  return { Rules: page.map(describeRuleFields), ...(nextToken ? { NextToken: nextToken } : {}) };
};
