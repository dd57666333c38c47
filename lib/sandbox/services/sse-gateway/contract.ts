/**
 * The SSE contract of the Mobile, Web and Admin API gateways (seed Stage 6), shared by the sandbox that serves it
 * and the harness's soak that checks it against a real environment: paths, timing, and which events belong on
 * which user's stream.
 */

export const SSE_PATHS = { mobile: '/api/mobile/events', web: '/api/web/events', admin: '/api/admin/events' } as const;
export type SseGatewayKind = keyof typeof SSE_PATHS;

/** A heartbeat comment (`: heartbeat`) on every open stream this often. */
export const SSE_HEARTBEAT_MS = 15_000;
/** The `retry:` the gateways announce: how long a client waits before reconnecting. */
export const SSE_RETRY_MS = 1_000;

/**
 * The event a stream opens with when the client names no `Last-Event-ID`: its `id:` is the last id issued on that
 * stream, so the client holds a resume point before its first real event. Without it, a client dropped before its
 * first event reconnects with no `Last-Event-ID` and the gateway cannot replay what was published meanwhile. It
 * carries `data:` because EventSource implementations (the `eventsource` package among them) update their last
 * event id only on a dispatched event, not on an id-only frame.
 */
export const SSE_POSITION_EVENT = 'stream-position';

/** The events a user's stream carries: notifications, payments, marketplace, compliance, reviews. */
export const USER_STREAM_TYPES: ReadonlySet<string> = new Set([
  'NotificationDelivered',
  'PaymentInitiated',
  'PaymentConfirmed',
  'PaymentCompensated',
  'OrderPlaced',
  'OrderSettled',
  'OrderDelivered',
  'OrderCancelled',
  'ComplianceDecided',
  'ReviewCompleted',
]);

/** The `data:` of one SSE event: the platform event as published. */
export interface StreamEventData {
  eventId: string;
  type: string;
  runId: string;
  correlationId: string;
  occurredAt: string;
  payload: Record<string, unknown>;
}

/**
 * The users an event names in its payload (`userId`, `buyerId`, `sellerId`), for user-stream event types. Payment
 * events name an account owner only through the payment service, so they reach the payer's stream but the soak
 * checks exactly-once delivery on the events listed here.
 */
export function namedUsers(type: string, payload: unknown): string[] {
  if (!USER_STREAM_TYPES.has(type) || !payload || typeof payload !== 'object') return [];
  const p = payload as Record<string, unknown>;
  const out = new Set<string>();
  for (const k of ['userId', 'buyerId', 'sellerId']) if (typeof p[k] === 'string' && p[k]) out.add(p[k] as string);
  return [...out];
}
