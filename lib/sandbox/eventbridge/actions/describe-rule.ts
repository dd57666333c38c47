import type { Action, Rule } from '../types.js';
import { optionalString, requireString } from '../validate.js';

export function describeRuleFields(rule: Rule): Record<string, unknown> {
  const out: Record<string, unknown> = { Name: rule.name, Arn: rule.arn };
  if (rule.eventPattern !== undefined) out.EventPattern = rule.eventPattern;
  if (rule.scheduleExpression !== undefined) out.ScheduleExpression = rule.scheduleExpression;
  out.State = rule.state;
  if (rule.description !== undefined) out.Description = rule.description;
  if (rule.roleArn !== undefined) out.RoleArn = rule.roleArn;
  out.EventBusName = rule.eventBusName;
  return out;
}

export const describeRule: Action = (input, { store }) => {
  const rule = store.getRule(optionalString(input, 'EventBusName'), requireString(input, 'Name'));
  return { ...describeRuleFields(rule), CreatedBy: store.accountId };
};
