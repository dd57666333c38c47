import { LimitExceededError, ValidationError } from '../errors.js';
import { parseSqsArn } from '../delivery.js';
import { parseJsonPath } from '../json-path.js';
import type { Action, Target } from '../types.js';
import { optionalString, requireString } from '../validate.js';

const MAX_TARGETS_PER_RULE = 5;
const TARGET_ID = /^[.\-_A-Za-z0-9]{1,64}$/;

interface FailedEntry {
  TargetId: string;
  ErrorCode: string;
  ErrorMessage: string;
}

export const putTargets: Action = (input, { store }) => {
  const rule = store.getRule(optionalString(input, 'EventBusName'), requireString(input, 'Rule'));
  const entries = input.Targets;
  if (!Array.isArray(entries) || entries.length === 0 || entries.length > 10) {
    throw new ValidationError(
      "1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length between 1 and 10",
    );
  }
  const failed: FailedEntry[] = [];
  for (const raw of entries as Array<Record<string, unknown>>) {
    const id = typeof raw?.Id === 'string' ? raw.Id : '';
    const problem = checkTarget(raw);
    if (problem) {
      failed.push({ TargetId: id, ErrorCode: 'ValidationException', ErrorMessage: problem });
      continue;
    }
    if (!rule.targets.has(id) && rule.targets.size >= MAX_TARGETS_PER_RULE) {
      throw new LimitExceededError(
        `The requested resource exceeds the maximum number allowed: at most ${MAX_TARGETS_PER_RULE} targets per rule.`,
      );
    }
    const target: Target = { Id: id, Arn: raw.Arn as string };
    for (const key of ['RoleArn', 'Input', 'InputPath'] as const) {
      if (typeof raw[key] === 'string') target[key] = raw[key] as string;
    }
    const sqsParams = raw.SqsParameters as { MessageGroupId?: unknown } | undefined;
    if (typeof sqsParams?.MessageGroupId === 'string') target.SqsParameters = { MessageGroupId: sqsParams.MessageGroupId };
    rule.targets.set(id, target);
  }
  return { FailedEntryCount: failed.length, FailedEntries: failed };
};

/** Why a target entry is unacceptable, or undefined when it is fine. */
function checkTarget(raw: Record<string, unknown> | undefined): string | undefined {
  if (typeof raw !== 'object' || raw === null) return 'Target must be an object';
  if (typeof raw.Id !== 'string' || !TARGET_ID.test(raw.Id)) return `Target Id ${JSON.stringify(raw.Id)} must match [.\\-_A-Za-z0-9]{1,64}`;
  if (typeof raw.Arn !== 'string' || !raw.Arn.startsWith('arn:')) return `Target Arn ${JSON.stringify(raw.Arn)} is not a valid ARN`;
  if (raw.Input !== undefined && raw.InputPath !== undefined)
    return 'Only one of Input, InputPath or InputTransformer may be given per target';
  if (raw.InputTransformer !== undefined) return 'InputTransformer is not supported by the sandbox; use Input or InputPath';
  if (typeof raw.Input === 'string') {
    try {
      JSON.parse(raw.Input);
    } catch {
      return 'Input must be valid JSON text';
    }
  }
  if (typeof raw.InputPath === 'string') {
    try {
      parseJsonPath(raw.InputPath);
    } catch (err) {
      return (err as Error).message;
    }
  }
  const sqs = parseSqsArn(raw.Arn);
  if (sqs?.queueName.endsWith('.fifo')) {
    const groupId = (raw.SqsParameters as { MessageGroupId?: unknown } | undefined)?.MessageGroupId;
    if (typeof groupId !== 'string' || groupId.length === 0) return 'SqsParameters.MessageGroupId is required for a FIFO queue target';
  }
  return undefined;
}
