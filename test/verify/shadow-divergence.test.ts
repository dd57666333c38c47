import { describe, expect, it } from 'vitest';
import { differingFields, shadowDivergence, type EventTap, type PlatformEvent, type TappedEvent } from '../../lib/verify/index.js';

const ev = (id: string, over: Partial<PlatformEvent> = {}): PlatformEvent => ({
  eventId: id,
  type: 'NotificationDelivered',
  source: 'qsl.notification',
  runId: 'r1',
  correlationId: `c-${id}`,
  occurredAt: '2026-11-26T12:00:00.000Z',
  payload: { userId: 'u1', channel: 'email' },
  metadata: { delivery: 'primary', sampled: true },
  ...over,
});
const tapped = (path: TappedEvent['path'], event: PlatformEvent): TappedEvent => ({ path, event, occurredAt: 0, receivedAt: 0 });

// The tap is a boundary here (its own loop reads SQS and the legacy tap); the comparison logic is what is tested.
function fakeTap(legacy: PlatformEvent[], eb: PlatformEvent[]): EventTap {
  const byId = new Map(eb.map((e) => [e.eventId, tapped('eventbridge', { ...e, metadata: { delivery: 'validation' } })]));
  return {
    legacy: legacy.map((e) => tapped('legacy', e)),
    eventbridge: [...byId.values()],
    ebEvent: (id: string) => byId.get(id),
  } as unknown as EventTap;
}
const quick = { timeoutMs: 0, stallMs: 0 };

describe('shadow divergence', () => {
  it('is 0 when every dual-published event arrived identical', async () => {
    const events = Array.from({ length: 10 }, (_, i) => ev(`e${i}`));
    const r = await shadowDivergence(fakeTap(events, events), quick);
    expect(r.value).toBe(0);
    expect(r.details?.compared).toBe(10);
  });

  it('counts missing and different events, naming the differing fields', async () => {
    const legacy = Array.from({ length: 10 }, (_, i) => ev(`e${i}`));
    const eb = legacy.slice(1).map((e) => (e.eventId === 'e5' ? { ...e, payload: { userId: 'u2', channel: 'email' } } : e));
    const r = await shadowDivergence(fakeTap(legacy, eb), quick);
    expect(r.value).toBeCloseTo(0.2);
    expect(r.details?.divergent).toEqual([
      { eventId: 'e0', type: 'NotificationDelivered', reason: 'missing on EventBridge' },
      { eventId: 'e5', type: 'NotificationDelivered', reason: 'different', fields: ['payload'] },
    ]);
  });

  it('only compares events that were published to both buses', async () => {
    const legacyOnly = ev('x', { metadata: { delivery: 'primary' } });
    const r = await shadowDivergence(fakeTap([legacyOnly, ev('y')], [ev('y')]), quick);
    expect(r.details?.compared).toBe(1);
    expect(r.value).toBe(0);
  });

  it('cannot measure without any dual-published event', async () => {
    const r = await shadowDivergence(fakeTap([], []), quick);
    expect(r.value).toBeNull();
    expect(r.note).toMatch(/ShadowPercentage/);
  });

  it('ignores delivery metadata but not the event itself', () => {
    expect(differingFields(ev('a'), { ...ev('a'), metadata: { delivery: 'validation' } })).toEqual([]);
    expect(differingFields(ev('a'), { ...ev('a'), type: 'Other', occurredAt: 'x' })).toEqual(['type', 'occurredAt']);
  });
});
