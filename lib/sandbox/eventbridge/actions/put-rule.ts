import { ValidationError } from '../errors.js';
import { parsePattern } from '../pattern-matcher.js';
import type { Action, Rule, RuleState } from '../types.js';
import { optionalString, requireName } from '../validate.js';

const STATES: readonly RuleState[] = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'];

/** Creates or replaces a rule; omitted fields are not kept from the old version (as in AWS), targets are. */
export const putRule: Action = (input, { store }) => {
  const name = requireName(input, 'Name');
  const bus = store.getBus(optionalString(input, 'EventBusName'));
  const eventPattern = optionalString(input, 'EventPattern');
  const scheduleExpression = optionalString(input, 'ScheduleExpression');
  if (eventPattern === undefined && scheduleExpression === undefined) {
    throw new ValidationError('Parameter(s) EventPattern or ScheduleExpression must be specified.');
  }
  if (eventPattern !== undefined && eventPattern.length > 4096) {
    throw new ValidationError(
      "1 validation error detected: Value at 'eventPattern' failed to satisfy constraint: Member must have length less than or equal to 4096",
    );
  }
  if (scheduleExpression !== undefined && bus.name !== 'default') {
    throw new ValidationError('ScheduleExpression is supported only on the default event bus.');
  }
  const state = (optionalString(input, 'State') ?? 'ENABLED') as RuleState;
  if (!STATES.includes(state))
    throw new ValidationError(
      `Value '${state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [${STATES.join(', ')}]`,
    );
  const pattern = eventPattern !== undefined ? parsePattern(eventPattern) : undefined;
  const previous = bus.rules.get(name);
  const rule: Rule = {
    name,
    arn: store.ruleArn(bus.name, name),
    eventBusName: bus.name,
    pattern,
    eventPattern,
    scheduleExpression,
    state,
    description: optionalString(input, 'Description'),
    roleArn: optionalString(input, 'RoleArn'),
    targets: previous?.targets ?? new Map(),
  };
  bus.rules.set(name, rule);
  return { RuleArn: rule.arn };
};
