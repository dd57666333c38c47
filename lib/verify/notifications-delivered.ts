import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { RECORDED_SUCCESS_METRIC } from '../contract/index.js';
import type { NotificationsDeliveredDetails, ProbeResult, UndeliveredNotification } from '../verdict/index.js';
import { fetchJson } from './http-json.js';
import { settle } from './wait.js';

/** What the platform's admin API answers (`GET /admin/notifications`, lib/sandbox/openapi.yaml). */
interface NotificationsView {
  /** The user events the platform says it emitted; optional here, only used to name what is missing. */
  expected?: Array<{ eventId: string; userId: string; type: string }>;
  delivered: Array<{ eventId: string; userId: string; type: string; deliveredAt?: string }>;
}

const pairKey = (userId: string, type: string) => `${userId}\u0000${type}`;

/** What k6 saw succeed, per user and event type: how many notifications each user is owed. */
export type OwedNotifications = Map<string, { userId: string; type: string; count: number }>;

/**
 * Reads the successes k6 recorded (lib/k6/recorded.ts) from the run's raw NDJSON results. Only lines
 * of that one metric are parsed.
 */
export async function readOwedNotifications(rawFiles: readonly string[]): Promise<OwedNotifications> {
  const owed: OwedNotifications = new Map();
  const needle = `"${RECORDED_SUCCESS_METRIC}"`;
  for (const file of rawFiles) {
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.includes(needle) || !line.includes('"Point"')) continue;
      let point: { metric?: string; type?: string; data?: { value?: number; tags?: Record<string, string> } };
      try {
        point = JSON.parse(line);
      } catch {
        continue;
      }
      const tags = point.data?.tags;
      if (point.type !== 'Point' || point.metric !== RECORDED_SUCCESS_METRIC || !tags?.user || !tags.type) continue;
      const key = pairKey(tags.user, tags.type);
      const entry = owed.get(key) ?? { userId: tags.user, type: tags.type, count: 0 };
      entry.count += point.data?.value ?? 1;
      owed.set(key, entry);
    }
  }
  return owed;
}

/**
 * Matches what is owed against what the platform delivered, by source event id: per (user, type), each distinct
 * event id delivered settles one owed notification, so a duplicate delivery (SQS is at-least-once) counts once and
 * cannot hide a dropped one. The missing ones are named by the events the platform lists as emitted for that pair
 * and never delivered.
 */
function undeliveredNotifications(owed: OwedNotifications, view: NotificationsView): UndeliveredNotification[] {
  const delivered = new Map<string, Set<string>>();
  for (const d of view.delivered) {
    const key = pairKey(d.userId, d.type);
    const ids = delivered.get(key) ?? new Set<string>();
    ids.add(d.eventId);
    delivered.set(key, ids);
  }
  const emitted = new Map<string, string[]>();
  for (const e of view.expected ?? []) {
    const key = pairKey(e.userId, e.type);
    emitted.set(key, [...(emitted.get(key) ?? []), e.eventId]);
  }
  const missing: UndeliveredNotification[] = [];
  for (const [key, o] of owed) {
    const got = delivered.get(key) ?? new Set<string>();
    const m = o.count - Math.min(o.count, got.size);
    if (m === 0) continue;
    const eventIds = [...new Set(emitted.get(key) ?? [])].filter((id) => !got.has(id)).slice(0, m);
    missing.push({ userId: o.userId, type: o.type, missing: m, eventIds });
  }
  return missing;
}

/**
 * Every signup and profile update k6 saw succeed must reach its user as a notification. The expectation
 * comes from the run (k6's recorded successes), not from the platform's own list of what it meant to
 * send; the platform is only asked what it delivered (and, to name what is missing, what it emitted).
 * Waits for delivery to settle (bounded), then measures delivered / owed and lists what is missing.
 */
export async function notificationsDelivered(
  adminUrl: string,
  runId: string,
  owed: OwedNotifications,
  opts: { timeoutMs: number; stallMs: number },
): Promise<ProbeResult> {
  const total = [...owed.values()].reduce((n, o) => n + o.count, 0);
  if (total === 0) return { value: null, note: 'no notification was owed: k6 saw no signup or profile update succeed in this run' };
  const url = `${adminUrl}/admin/notifications?runId=${encodeURIComponent(runId)}`;
  const { value, waitedMs } = await settle(async () => {
    const v = await fetchJson<NotificationsView>(url);
    const missing = undeliveredNotifications(owed, v);
    return { done: missing.length === 0, progress: v.delivered.length, value: missing };
  }, opts);
  const missingCount = value.reduce((n, m) => n + m.missing, 0);
  const delivered = total - missingCount;
  const named = value.flatMap((m) => m.eventIds);
  const details: NotificationsDeliveredDetails = {
    owed: total,
    delivered,
    waitedMs,
    source: 'successes recorded by k6',
    undelivered: value.slice(0, 50),
  };
  return {
    value: delivered / total,
    ...(missingCount
      ? {
          note:
            `${missingCount} of ${total} notifications owed for successful signups and profile updates never arrived ` +
            `(waited ${(waitedMs / 1000).toFixed(1)} s)` +
            (named.length
              ? `; source events: ${named.slice(0, 5).join(', ')}${named.length > 5 ? `, and ${named.length - 5} more` : ''}`
              : ''),
        }
      : {}),
    details,
  };
}
