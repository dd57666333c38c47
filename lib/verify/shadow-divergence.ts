import { isDeepStrictEqual } from 'node:util';
import type { ProbeResult } from '../verdict/index.js';
import type { EventTap, PlatformEvent } from './event-tap.js';
import { settle } from './wait.js';

/** Fields that must agree between the legacy copy and the EventBridge copy of one event. */
const COMPARED: Array<keyof PlatformEvent> = ['type', 'source', 'runId', 'correlationId', 'occurredAt', 'payload'];

export function differingFields(legacy: PlatformEvent, eb: PlatformEvent): string[] {
  return COMPARED.filter((f) => !isDeepStrictEqual(legacy[f], eb[f]));
}

/**
 * Of the events published to both buses (shadow sample, parallel mode), the fraction missing or
 * different on the EventBridge side. Waits for EventBridge deliveries to settle first (bounded).
 */
export async function shadowDivergence(tap: EventTap, opts: { timeoutMs: number; stallMs: number }): Promise<ProbeResult> {
  const sampled = () => tap.legacy.filter((t) => t.event.metadata?.sampled === true);
  const { value: missing } = await settle(async () => {
    const m = sampled().filter((t) => !tap.ebEvent(t.event.eventId));
    return { done: m.length === 0, progress: tap.eventbridge.length, value: m };
  }, opts);
  const all = sampled();
  if (all.length === 0) {
    return {
      value: null,
      note: 'no event was published to both buses: check the shadow/parallel flags and DualPublishing.ShadowPercentage',
    };
  }
  const divergent: Array<{ eventId: string; type: string; reason: string; fields?: string[] }> = missing.map((t) => ({
    eventId: t.event.eventId,
    type: t.event.type,
    reason: 'missing on EventBridge',
  }));
  for (const t of all) {
    const eb = tap.ebEvent(t.event.eventId);
    if (!eb) continue;
    const fields = differingFields(t.event, eb.event);
    if (fields.length) divergent.push({ eventId: t.event.eventId, type: t.event.type, reason: 'different', fields });
  }
  const byType: Record<string, number> = {};
  for (const t of all) byType[t.event.type] = (byType[t.event.type] ?? 0) + 1;
  return {
    value: divergent.length / all.length,
    ...(divergent.length ? { note: `${divergent.length} of ${all.length} dual-published events diverged` } : {}),
    details: { compared: all.length, divergentCount: divergent.length, sampledByType: byType, divergent: divergent.slice(0, 50) },
  };
}
