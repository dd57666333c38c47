import { connect } from 'amqplib';
import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { AmqpLegacyBus, InProcessLegacyBus, LegacyTap, topicMatches } from '../../lib/sandbox/legacy-bus/index.js';
import { startTcpProxy, TEST_AMQP_URL } from '../helpers/tcp-proxy.js';

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

async function exchangeExists(name: string): Promise<boolean> {
  const conn = await connect(TEST_AMQP_URL);
  try {
    const ch = await conn.createChannel();
    ch.on('error', () => {});
    return await ch.checkExchange(name).then(
      () => true,
      () => false,
    );
  } finally {
    await conn.close().catch(() => {});
  }
}

describe('AmqpLegacyBus on a real RabbitMQ', () => {
  const exchange = () => `qsl.test.${randomBytes(4).toString('hex')}`;

  it('routes by binding pattern, delivers in order, unsubscribes, and deletes only the exchange it created', async () => {
    const name = exchange();
    const bus = await AmqpLegacyBus.connect({ url: TEST_AMQP_URL, exchange: name });
    const user: string[] = [];
    const all: string[] = [];
    const unsubscribe = bus.subscribe('user.*', (m) => {
      user.push((m as { n: string }).n);
    });
    bus.subscribe('#', (_m, key) => {
      all.push(key);
    });
    await bus.ready();
    await bus.publish('user.signed_up', { n: '1' });
    await bus.publish('workflow.created', { n: '2' });
    await bus.publish('user.profile_updated', { n: '3' });
    await vi.waitFor(() => expect(all).toHaveLength(3), { timeout: 5000 });
    expect(user).toEqual(['1', '3']);
    expect(all).toEqual(['user.signed_up', 'workflow.created', 'user.profile_updated']);
    unsubscribe();
    await new Promise((r) => setTimeout(r, 100));
    await bus.publish('user.signed_up', { n: '4' });
    await vi.waitFor(() => expect(all).toHaveLength(4), { timeout: 5000 });
    expect(user).toEqual(['1', '3']);
    await bus.close();

    // The exchange is gone with the bus that created it; a bus joining an existing exchange leaves it in place.
    expect(await exchangeExists(name)).toBe(false);
    const owner = await AmqpLegacyBus.connect({ url: TEST_AMQP_URL, exchange: name });
    const guest = await AmqpLegacyBus.connect({ url: TEST_AMQP_URL, exchange: name });
    await guest.close();
    expect(await exchangeExists(name)).toBe(true);
    await owner.close();
    expect(await exchangeExists(name)).toBe(false);
  });

  it('gives each subscriber its own copy and survives a throwing handler', async () => {
    const errors: string[] = [];
    const bus = await AmqpLegacyBus.connect({ url: TEST_AMQP_URL, exchange: exchange(), onError: (_e, key) => errors.push(key) });
    const seen: unknown[] = [];
    bus.subscribe('#', () => {
      throw new Error('boom');
    });
    bus.subscribe('#', (m) => {
      seen.push(m);
    });
    await bus.ready();
    await bus.publish('x.y', { a: 1 });
    await vi.waitFor(() => expect(seen).toEqual([{ a: 1 }]), { timeout: 5000 });
    await vi.waitFor(() => expect(errors).toEqual(['x.y']), { timeout: 5000 });
    await bus.close();
  });

  it('feeds the sandbox legacy tap as the in-process bus does', async () => {
    const bus = await AmqpLegacyBus.connect({ url: TEST_AMQP_URL, exchange: exchange() });
    const tap = new LegacyTap(bus, 5);
    await bus.ready();
    for (let i = 1; i <= 3; i += 1) await bus.publish('user.signed_up', { runId: i % 2 ? 'odd' : 'even', i });
    await vi.waitFor(() => expect(tap.query({}).events).toHaveLength(3), { timeout: 5000 });
    expect(tap.query({ runId: 'odd' }).events.map((e) => (e.message as { i: number }).i)).toEqual([1, 3]);
    tap.close();
    await bus.close();
  });

  it('reports a broker that goes away and refuses to publish afterwards', async () => {
    const proxy = await startTcpProxy(Number(new URL(TEST_AMQP_URL).port || 5672), new URL(TEST_AMQP_URL).hostname);
    const lost: string[] = [];
    const bus = await AmqpLegacyBus.connect({
      url: `amqp://127.0.0.1:${proxy.port}`,
      exchange: exchange(),
      onLost: (why) => lost.push(why),
    });
    bus.subscribe('#', () => {});
    await bus.ready();
    await bus.publish('before.cut', {});
    await proxy.cut();
    await vi.waitFor(() => expect(lost).toHaveLength(1), { timeout: 5000 });
    expect(bus.lost).toBe(lost[0]);
    await expect(bus.publish('after.cut', {})).rejects.toThrow(/legacy broker unavailable/);
    await bus.close();
  });

  it('fails to connect with the broker error, not a hang', async () => {
    const proxy = await startTcpProxy(1);
    await proxy.cut();
    await expect(AmqpLegacyBus.connect({ url: `amqp://127.0.0.1:${proxy.port}`, exchange: exchange() })).rejects.toThrow(/ECONNREFUSED/);
  });
});
