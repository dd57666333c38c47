/** Input checks shared by the actions; failures are ValidationException with AWS-like wording. */
import { ValidationError } from './errors.js';
import type { ActionInput } from './types.js';

const NAME = /^[.\-_A-Za-z0-9]+$/;

export function requireString(input: ActionInput, field: string): string {
  const v = input[field];
  if (typeof v !== 'string' || v.length === 0) {
    throw new ValidationError(
      `1 validation error detected: Value ${v === undefined ? 'null' : JSON.stringify(v)} at '${lowerFirst(field)}' failed to satisfy constraint: Member must not be null and must be a non-empty string`,
    );
  }
  return v;
}

export function optionalString(input: ActionInput, field: string): string | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string')
    throw new ValidationError(`Value ${JSON.stringify(v)} at '${lowerFirst(field)}' failed to satisfy constraint: Member must be a string`);
  return v;
}

export function requireName(input: ActionInput, field: string, max = 64): string {
  const v = requireString(input, field);
  checkName(v, field, max);
  return v;
}

export function checkName(v: string, field: string, max = 64): void {
  if (v.length > max || !NAME.test(v)) {
    throw new ValidationError(
      `1 validation error detected: Value '${v}' at '${lowerFirst(field)}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+ and have length <= ${max}`,
    );
  }
}

export function optionalLimit(input: ActionInput): number | undefined {
  const v = input.Limit;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 100) {
    throw new ValidationError(
      `Value ${JSON.stringify(v)} at 'limit' failed to satisfy constraint: Member must have value between 1 and 100`,
    );
  }
  return v;
}

/** Pages through `items` with an opaque NextToken (the offset, base64). */
export function paginate<T>(items: T[], input: ActionInput): { page: T[]; nextToken?: string } {
  const limit = optionalLimit(input) ?? 100;
  const token = optionalString(input, 'NextToken');
  let start = 0;
  if (token !== undefined) {
    start = Number(Buffer.from(token, 'base64').toString('utf8'));
    if (!Number.isInteger(start) || start < 0)
      throw new ValidationError('The provided NextToken is not valid; pass back the NextToken from a previous response');
  }
  const page = items.slice(start, start + limit);
  const end = start + page.length;
  return end < items.length ? { page, nextToken: Buffer.from(String(end)).toString('base64') } : { page };
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
