import { randomUUID } from 'node:crypto';
import { ValidationError } from '../errors.js';
import { matchesPattern } from '../pattern-matcher.js';
import type { Action, ActionContext, EventEnvelope } from '../types.js';

const MAX_ENTRIES = 10;
const MAX_REQUEST_BYTES = 256 * 1024;

type ResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/**
 * Validates the batch as a whole (count, size: ValidationException), then each entry on its own
 * (failures come back in Entries with HTTP 200), routes the good ones to matching rules' targets.
 */
export const putEvents: Action = (input, ctx) => {
  const entries = input.Entries;
  if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_ENTRIES) {
    const n = Array.isArray(entries) ? entries.length : 0;
    throw new ValidationError(
      `1 validation error detected: Value '[${n} entries]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES} and at least 1`,
    );
  }
  const size = entries.reduce<number>((sum, e) => sum + entrySize(e as Record<string, unknown>), 0);
  if (size > MAX_REQUEST_BYTES) {
    throw new ValidationError(`Total size of the entries in the request is over the limit: ${size} bytes > ${MAX_REQUEST_BYTES}.`);
  }
  const results = (entries as Array<Record<string, unknown>>).map((e) => putEntry(e, ctx));
  return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
};

/** AWS's entry size: Time (14 bytes if given), Source, DetailType, Detail and Resources, UTF-8. */
function entrySize(e: Record<string, unknown>): number {
  if (typeof e !== 'object' || e === null) return 0;
  let n = e.Time !== undefined ? 14 : 0;
  for (const key of ['Source', 'DetailType', 'Detail'] as const) {
    if (typeof e[key] === 'string') n += Buffer.byteLength(e[key] as string);
  }
  if (Array.isArray(e.Resources)) for (const r of e.Resources) if (typeof r === 'string') n += Buffer.byteLength(r);
  return n;
}

function invalid(field: string): ResultEntry {
  return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.` };
}

function putEntry(e: Record<string, unknown>, { store, delivery }: ActionContext): ResultEntry {
  if (typeof e !== 'object' || e === null) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Entry must be an object.' };
  for (const field of ['Source', 'DetailType', 'Detail'] as const) {
    if (typeof e[field] !== 'string' || (e[field] as string).length === 0) return invalid(field);
  }
  let detail: unknown;
  try {
    detail = JSON.parse(e.Detail as string);
  } catch {
    detail = undefined;
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  const resources = e.Resources ?? [];
  if (!Array.isArray(resources) || !resources.every((r) => typeof r === 'string')) {
    return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Resources is not valid. Reason: Resources must be a list of strings.' };
  }
  const time = eventTime(e.Time);
  if (time === undefined)
    return {
      ErrorCode: 'InvalidArgument',
      ErrorMessage: 'Parameter Time is not valid. Reason: expected epoch seconds or an ISO 8601 timestamp.',
    };
  const busName = typeof e.EventBusName === 'string' && e.EventBusName !== '' ? e.EventBusName : undefined;
  let bus;
  try {
    bus = store.findBus(busName);
  } catch (err) {
    if (err instanceof ValidationError) return { ErrorCode: 'InvalidArgument', ErrorMessage: err.message };
    throw err;
  }
  if (!bus) return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${busName} does not exist.` };

  const event: EventEnvelope = {
    version: '0',
    id: randomUUID(),
    'detail-type': e.DetailType as string,
    source: e.Source as string,
    account: store.accountId,
    time,
    region: store.region,
    resources: resources as string[],
    detail: detail as Record<string, unknown>,
  };
  for (const rule of bus.rules.values()) {
    if (rule.state === 'DISABLED' || !rule.pattern || rule.targets.size === 0) continue;
    if (!matchesPattern(rule.pattern, event)) continue;
    for (const target of rule.targets.values()) delivery.enqueue(event, rule, target);
  }
  return { EventId: event.id };
}

/** `YYYY-MM-DDTHH:MM:SSZ` from the entry's Time (epoch seconds from the SDK, or text) or now. */
function eventTime(raw: unknown): string | undefined {
  let ms: number;
  if (raw === undefined || raw === null) ms = Date.now();
  else if (typeof raw === 'number') ms = raw * 1000;
  else if (typeof raw === 'string') ms = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) * 1000 : Date.parse(raw);
  else return undefined;
  if (!Number.isFinite(ms)) return undefined;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
