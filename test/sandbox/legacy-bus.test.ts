import { describe, expect, it } from 'vitest';
import { InProcessLegacyBus, LegacyTap, topicMatches } from '../../lib/sandbox/legacy-bus/index.js';

describe('topicMatches (AMQP topic routing)', () => {
  it.each([
    ['user.signed_up', 'user.signed_up', true],
    ['user.*', 'user.signed_up', true],
    ['user.*', 'user', false],
    ['user.*', 'user.profile.updated', false],
    ['*.completed', 'workflow.completed', true],
    ['*.completed', 'workflow.step.completed', false],
    ['#', 'anything.at.all', true],
    ['#', 'single', true],
    ['user.#', 'user', true],
    ['user.#', 'user.signed_up', true],
    ['user.#', 'user.a.b.c', true],
    ['user.#', 'users.signed_up', false],
    ['#.completed', 'workflow.step_completed', false],
    ['#.completed', 'completed', true],
    ['workflow.#.completed', 'workflow.completed', true],
    ['workflow.#.completed', 'workflow.a.b.completed', true],
    ['*.#', 'user', true],
    ['*.*', 'user', false],
    ['#.#', 'a.b', true],
    ['a.*.#.z', 'a.b.z', true],
    ['a.*.#.z', 'a.z', false],
  ])('%s matches %s: %s', (pattern, key, expected) => {
    expect(topicMatches(pattern, key)).toBe(expected);
  });
});

describe('InProcessLegacyBus', () => {
  it('routes by binding pattern, delivers in order, and unsubscribes', async () => {
    const bus = new InProcessLegacyBus();
    const user: string[] = [];
    const all: string[] = [];
    const unsubscribe = bus.subscribe('user.*', (m) => {
      user.push((m as { n: string }).n);
    });
    bus.subscribe('#', (_m, key) => {
      all.push(key);
    });
    await bus.publish('user.signed_up', { n: '1' });
    await bus.publish('workflow.created', { n: '2' });
    await bus.publish('user.profile_updated', { n: '3' });
    await bus.drain();
    expect(user).toEqual(['1', '3']);
    expect(all).toEqual(['user.signed_up', 'workflow.created', 'user.profile_updated']);
    unsubscribe();
    await bus.publish('user.signed_up', { n: '4' });
    await bus.drain();
    expect(user).toEqual(['1', '3']);
    await bus.close();
  });

  it('gives each subscriber its own copy and survives a throwing handler', async () => {
    const errors: string[] = [];
    const bus = new InProcessLegacyBus('qsl.events', (_e, key) => errors.push(key));
    const seen: unknown[] = [];
    bus.subscribe('#', () => {
      throw new Error('boom');
    });
    bus.subscribe('#', (m) => {
      seen.push(m);
    });
    const msg = { a: 1 };
    await bus.publish('x.y', msg);
    await bus.drain();
    expect(errors).toEqual(['x.y']);
    expect(seen).toEqual([{ a: 1 }]);
    expect(seen[0]).not.toBe(msg);
    await bus.close();
  });
});

describe('LegacyTap', () => {
  it('filters by runId, pages with after/next, and keeps only the newest `capacity` events', async () => {
    const bus = new InProcessLegacyBus();
    const tap = new LegacyTap(bus, 5);
    for (let i = 1; i <= 7; i += 1) await bus.publish('user.signed_up', { runId: i % 2 ? 'odd' : 'even', i });
    await bus.drain();
    const all = tap.query({});
    expect(all.events.map((e) => e.seq)).toEqual([3, 4, 5, 6, 7]);
    expect(tap.query({ runId: 'odd' }).events.map((e) => (e.message as { i: number }).i)).toEqual([3, 5, 7]);
    const page = tap.query({ after: 3, limit: 2 });
    expect(page.events.map((e) => e.seq)).toEqual([4, 5]);
    expect(page.next).toBe(5);
    expect(tap.query({ after: 7 })).toEqual({ events: [], next: 7 });
    tap.close();
    await bus.close();
  });
});
