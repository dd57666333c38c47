import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { RECORDED_SUCCESS_METRIC } from '../contract/index.js';
import type { ProbeResult } from '../verdict/index.js';
import { fetchJson } from './http-json.js';
import { settle } from './wait.js';

interface NotificationsView {
  delivered: Array<{ eventId: string; userId: string; type: string; deliveredAt?: string }>;
}

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
      const key = `${tags.user}\u0000${tags.type}`;
      const entry = owed.get(key) ?? { userId: tags.user, type: tags.type, count: 0 };
      entry.count += point.data?.value ?? 1;
      owed.set(key, entry);
    }
  }
  return owed;
}

/**
 * Every signup and profile update k6 saw succeed must reach its user as a notification. The expectation
 * comes from the run (k6's recorded successes), not from the platform's own list of what it meant to
 * send; the platform is only asked what it delivered. Waits for delivery to settle (bounded), then
 * measures delivered / owed and lists what is missing.
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
  const shortfall = (v: NotificationsView) => {
    const got = new Map<string, number>();
    for (const d of v.delivered) {
      const key = `${d.userId}\u0000${d.type}`;
      got.set(key, (got.get(key) ?? 0) + 1);
    }
    const missing: Array<{ userId: string; type: string; missing: number }> = [];
    for (const [key, o] of owed) {
      const m = o.count - Math.min(o.count, got.get(key) ?? 0);
      if (m > 0) missing.push({ userId: o.userId, type: o.type, missing: m });
    }
    return missing;
  };
  const { value, waitedMs } = await settle(async () => {
    const v = await fetchJson<NotificationsView>(url);
    const missing = shortfall(v);
    return { done: missing.length === 0, progress: v.delivered.length, value: missing };
  }, opts);
  const missingCount = value.reduce((n, m) => n + m.missing, 0);
  const delivered = total - missingCount;
  return {
    value: delivered / total,
    ...(missingCount
      ? {
          note: `${missingCount} of ${total} notifications owed for successful signups and profile updates never arrived (waited ${(waitedMs / 1000).toFixed(1)} s)`,
        }
      : {}),
    details: { owed: total, delivered, waitedMs, source: 'successes recorded by k6', undelivered: value.slice(0, 50) },
  };
}
