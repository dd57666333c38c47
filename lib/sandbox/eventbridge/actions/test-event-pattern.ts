import { ValidationError } from '../errors.js';
import { matchesPattern, parsePattern } from '../pattern-matcher.js';
import type { Action } from '../types.js';
import { requireString } from '../validate.js';

const REQUIRED = ['id', 'account', 'source', 'time', 'region', 'detail-type'] as const;

export const testEventPattern: Action = (input) => {
  const pattern = parsePattern(requireString(input, 'EventPattern'));
  let event: unknown;
  try {
    event = JSON.parse(requireString(input, 'Event'));
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    throw new ValidationError('Parameter Event is not valid: it must be JSON text of an event object.');
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new ValidationError('Parameter Event is not valid: it must be a JSON object.');
  }
  const missing = REQUIRED.filter((f) => !(f in event));
  if (missing.length > 0)
    throw new ValidationError(`Parameter Event is not valid. Reason: missing required field(s) ${missing.join(', ')}.`);
  return { Result: matchesPattern(pattern, event) };
};
