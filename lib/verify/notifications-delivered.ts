import type { ProbeResult } from '../verdict/index.js';
import { fetchJson } from './http-json.js';
import { settle } from './wait.js';

interface NotificationsView {
  expected: Array<{ eventId: string; userId: string; type: string }>;
  delivered: Array<{ eventId: string; userId: string; type: string; deliveredAt?: string }>;
}

/**
 * Every signup and profile update of this run must reach its user as a notification. Waits for
 * delivery to settle (bounded), then measures delivered / expected and lists what is missing.
 */
export async function notificationsDelivered(adminUrl: string, runId: string, opts: { timeoutMs: number; stallMs: number }): Promise<ProbeResult> {
  const url = `${adminUrl}/admin/notifications?runId=${encodeURIComponent(runId)}`;
  const { value, waitedMs } = await settle(
    async () => {
      const v = await fetchJson<NotificationsView>(url);
      const got = new Set(v.delivered.map((d) => d.eventId));
      const missing = v.expected.filter((e) => !got.has(e.eventId));
      return { done: v.expected.length > 0 && missing.length === 0, progress: v.delivered.length, value: { v, missing } };
    },
    opts,
  );
  const expected = value.v.expected.length;
  if (expected === 0) return { value: null, note: 'no notification was expected: the scenarios produced no signups or profile updates for this run' };
  const delivered = expected - value.missing.length;
  return {
    value: delivered / expected,
    ...(value.missing.length ? { note: `${value.missing.length} of ${expected} notifications never arrived (waited ${(waitedMs / 1000).toFixed(1)} s)` } : {}),
    details: { expected, delivered, waitedMs, undelivered: value.missing.slice(0, 50) },
  };
}
