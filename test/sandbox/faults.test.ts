import { afterEach, describe, expect, it } from 'vitest';
import { defaultFeatureFlags, parseFeatureFlags } from '../../lib/config/feature-flags.js';
import { HarnessError } from '../../lib/errors/index.js';
import { describeFaultKnobs, FAULT_KNOBS, parseFaults, RatioGate } from '../../lib/sandbox/faults.js';
import { buildSandbox, type Sandbox } from '../../lib/sandbox/index.js';
import { Api, AuditReader, waitFor } from './platform-helpers.js';

function faultError(list: string[]): HarnessError {
  try {
    parseFaults(list);
  } catch (err) {
    expect(err).toBeInstanceOf(HarnessError);
    return err as HarnessError;
  }
  throw new Error(`expected parseFaults(${JSON.stringify(list)}) to throw`);
}

describe('parseFaults', () => {
  it('parses every knob form', () => {
    const f = parseFaults([
      'user.error=0.02',
      'gateway.latency=300ms',
      'notification.drop=0.05',
      'eventbridge.drop=.01',
      'orchestration.error=1',
      'rollback=broken',
    ]);
    expect(f).toEqual({
      'user.error': 0.02,
      'gateway.latency': 300,
      'notification.drop': 0.05,
      'eventbridge.drop': 0.01,
      'orchestration.error': 1,
      rollback: 'broken',
    });
    expect(Object.isFrozen(f)).toBe(true);
    expect(parseFaults([])).toEqual({});
  });

  it('rejects an unknown knob, listing the known ones and their value forms', () => {
    const err = faultError(['payment.magic=1']);
    expect(err.code).toBe('QSL_FAULT_INVALID');
    expect(err.message).toContain('unknown fault knob `payment.magic`');
    for (const k of FAULT_KNOBS) expect(err.message).toContain(k.name);
    expect(err.message).toContain('a ratio between 0 and 1');
    expect(err.message).toContain('a duration in milliseconds, e.g. 300ms');
    expect(describeFaultKnobs()).toContain('rollback=<`broken`>');
  });

  it.each([
    ['user.error=1.5', 'a ratio between 0 and 1'],
    ['user.error=abc', 'a ratio between 0 and 1'],
    ['user.error=-0.1', 'a ratio between 0 and 1'],
    ['gateway.latency=300', 'a duration in milliseconds'],
    ['gateway.latency=fast', 'a duration in milliseconds'],
    ['rollback=yes', '`broken`'],
  ])('rejects %s with the expected form', (item, expects) => {
    const err = faultError([item]);
    expect(err.message).toContain('invalid value');
    expect(err.message).toContain(expects);
  });

  it('rejects a missing = and a knob given twice', () => {
    expect(faultError(['user.error']).message).toContain('expected name=value');
    expect(faultError(['user.error=0.1', 'user.error=0.2']).message).toContain('given twice');
  });
});

describe('RatioGate', () => {
  it.each([
    [0.01, 300, 3],
    [0.1, 10, 1],
    [0.25, 40, 10],
    [0.05, 100, 5],
    [0, 100, 0],
    [1, 7, 7],
  ])('ratio %d over %d calls fires exactly %d times', (ratio, n, expected) => {
    const gate = new RatioGate(ratio);
    let fired = 0;
    for (let i = 0; i < n; i += 1) if (gate.next()) fired += 1;
    expect(fired).toBe(expected);
  });
});

describe('fault knobs have the effect they name', () => {
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    await sandbox?.stop();
    sandbox = undefined;
  });

  it('user.error answers that fraction of user requests with 5xx; gateway.latency delays every request', async () => {
    sandbox = await buildSandbox({ faults: parseFaults(['user.error=0.25', 'gateway.latency=120ms']) });
    const api = new Api(sandbox.endpoints, 'fault-user-error');
    const replies = await Promise.all(
      Array.from({ length: 40 }, () => api.gw('POST', '/api/users/login', { email: 'nobody@example.test', password: 'x' })),
    );
    expect(replies.filter((r) => r.status === 503)).toHaveLength(10);
    expect(replies.filter((r) => r.status === 401)).toHaveLength(30);
    for (const r of replies) expect(r.ms).toBeGreaterThanOrEqual(115); // timer granularity
    // Other services' routes are not hit by user.error.
    const health = await api.gw('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.ms).toBeGreaterThanOrEqual(115);
  });

  it('notification.drop loses that fraction of notifications (event still acknowledged)', async () => {
    sandbox = await buildSandbox({ faults: parseFaults(['notification.drop=0.1']) });
    const api = new Api(sandbox.endpoints, `fault-drop-${Date.now()}`);
    for (let i = 0; i < 20; i += 1) {
      expect((await api.gw('POST', '/api/users/signup', { email: `d${i}@example.test`, name: 'd', password: 'p' })).status).toBe(201);
    }
    await waitFor(async () => {
      const n = await api.admin('GET', `/admin/notifications?runId=${api.runId}`);
      const q = await api.admin('GET', '/admin/queues');
      const nq = q.body.queues.find((x: { name: string }) => x.name === 'qsl-notification');
      return n.body.delivered.length >= 18 && nq.approximateMessages === 0 && nq.inFlightMessages === 0 ? true : undefined;
    }, 'notification queue drained');
    const n = await api.admin('GET', `/admin/notifications?runId=${api.runId}`);
    expect(n.body.expected).toHaveLength(20);
    expect(n.body.delivered).toHaveLength(18);
    const q = await api.admin('GET', '/admin/queues');
    expect(q.body.queues.find((x: { name: string }) => x.name === 'qsl-notification').dlqMessages).toBe(0);
  });

  it('eventbridge.drop loses that fraction of EventBridge deliveries; the legacy path loses nothing', async () => {
    // Only UserSignedUp touches EventBridge (UserService true, others legacy). Each has two EB deliveries
    // (qsl-notification and qsl-audit): 50 per queue, and each queue loses exactly floor(50 * 0.05) = 2 at 0.05.
    // (One gate per target queue, so a queue with few deliveries is not spared by its neighbours' traffic.)
    const flags = parseFeatureFlags({
      FeatureManagement: {
        EventBridge: { UserService: true },
        DualPublishing: defaultFeatureFlags().FeatureManagement.DualPublishing,
      },
    });
    sandbox = await buildSandbox({ flags, faults: parseFaults(['eventbridge.drop=0.05']) });
    const api = new Api(sandbox.endpoints, `fault-eb-${Date.now()}`);
    for (let i = 0; i < 50; i += 1) {
      expect((await api.gw('POST', '/api/users/signup', { email: `e${i}@example.test`, name: 'e', password: 'p' })).status).toBe(201);
    }
    const audit = new AuditReader(sandbox.endpoints, api.runId);
    try {
      const delivered = async () => (await api.admin('GET', `/admin/notifications?runId=${api.runId}`)).body.delivered.length as number;
      await waitFor(async () => {
        await audit.poll(0);
        return (await delivered()) + audit.events.length >= 96 ? true : undefined;
      }, '96 EventBridge deliveries');
      await audit.drain();
      const d = await delivered();
      expect(d + audit.events.length).toBe(96);
      expect(d).toBe(48);
      // NotificationDelivered travels on the legacy exchange only (NotificationService false): none lost there.
      const legacy = await waitFor(async () => {
        const events = (await api.legacyEvents()).filter((e) => e.routingKey === 'notification.delivered');
        return events.length === d ? events : undefined;
      }, 'one legacy NotificationDelivered per notification');
      expect(legacy).toHaveLength(d);
    } finally {
      audit.close();
    }
  });
});
