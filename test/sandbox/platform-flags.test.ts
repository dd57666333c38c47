import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFeatureFlags, type FeatureFlags } from '../../lib/config/feature-flags.js';
import { buildSandbox, parseFaults, type Sandbox } from '../../lib/sandbox/index.js';
import { Api, drainAudit, waitFor } from './platform-helpers.js';

function withFlags(base: FeatureFlags, eventBridge: Record<string, unknown>, shadowPercentage?: number) {
  return {
    FeatureManagement: {
      EventBridge: { ...base.FeatureManagement.EventBridge, ...eventBridge },
      DualPublishing: {
        ...base.FeatureManagement.DualPublishing,
        ...(shadowPercentage !== undefined ? { ShadowPercentage: shadowPercentage } : {}),
      },
    },
  };
}

async function signups(api: Api, n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    const r = await api.gw('POST', '/api/users/signup', { email: `${api.runId}-${i}@example.test`, name: 'n', password: 'p' });
    expect(r.status).toBe(201);
  }
}

async function allDelivered(api: Api, n: number): Promise<void> {
  await waitFor(async () => {
    const r = await api.admin('GET', `/admin/notifications?runId=${api.runId}`);
    return r.body.delivered.length >= n && r.body.expected.length === n ? true : undefined;
  }, `${n} notifications delivered for ${api.runId}`);
}

describe('sandbox platform: live feature flags and rollback', () => {
  let sandbox: Sandbox;
  const api = (runId: string) => new Api(sandbox.endpoints, runId);

  beforeAll(async () => {
    sandbox = await buildSandbox({ seed: 7 });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('GET /admin/flags shows the MVP 1 flags; PUT rejects invalid flags naming the field', async () => {
    const a = api('flags-get');
    expect((await a.admin('GET', '/admin/flags')).body).toEqual(defaultFeatureFlags());
    const bad = await a.admin('PUT', '/admin/flags', withFlags(defaultFeatureFlags(), { UserServise: true }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('QSL_FLAGS_INVALID');
    expect(bad.body.error.message).toContain('FeatureManagement.EventBridge.UserServise');
    expect((await a.admin('GET', '/admin/flags')).body).toEqual(defaultFeatureFlags());
  });

  it('UserService false: new UserSignedUp go to the legacy exchange only, and are still delivered', async () => {
    const a = api(`flags-false-${Date.now()}`);
    const put = await a.admin('PUT', '/admin/flags', withFlags(defaultFeatureFlags(), { UserService: false }));
    expect(put.status).toBe(200);
    expect(put.body.FeatureManagement.EventBridge.UserService).toBe(false);
    await signups(a, 3);
    await allDelivered(a, 3);
    const legacy = (await a.legacyEvents()).filter((e) => e.routingKey === 'user.signed_up');
    expect(legacy).toHaveLength(3);
    for (const e of legacy) {
      expect(e.message.metadata).toEqual({ producer: 'UserService', mode: 'legacy', delivery: 'primary' });
    }
    // NotificationDelivered (parallel) reaches the audit queue; UserSignedUp does not.
    const audit = await drainAudit(sandbox.endpoints, a.runId, 3);
    expect(audit.filter((e) => e.type === 'UserSignedUp')).toEqual([]);
    expect(audit.filter((e) => e.type === 'NotificationDelivered')).toHaveLength(3);
  });

  it('UserService "parallel": legacy primary marked sampled, EventBridge validation copy of each', async () => {
    const a = api(`flags-parallel-${Date.now()}`);
    await a.admin('PUT', '/admin/flags', withFlags(defaultFeatureFlags(), { UserService: 'parallel', NotificationService: false }));
    await signups(a, 4);
    await allDelivered(a, 4);
    const legacy = (await a.legacyEvents()).filter((e) => e.routingKey === 'user.signed_up');
    expect(legacy).toHaveLength(4);
    for (const e of legacy) expect(e.message.metadata).toMatchObject({ mode: 'parallel', delivery: 'primary', sampled: true });
    const audit = (await drainAudit(sandbox.endpoints, a.runId, 4)).filter((e) => e.type === 'UserSignedUp');
    expect(audit.map((e) => e.eventId).sort()).toEqual(legacy.map((e) => e.message.eventId).sort());
    for (const e of audit) expect(e.metadata).toEqual({ producer: 'UserService', mode: 'parallel', delivery: 'validation' });
    // Exactly one notification per event although it arrived on both paths.
    const n = await a.admin('GET', `/admin/notifications?runId=${a.runId}`);
    expect(n.body.delivered).toHaveLength(4);
  });

  it('UserService "shadow": a deterministic ShadowPercentage sample is copied to EventBridge', async () => {
    const a = api(`flags-shadow-${Date.now()}`);
    await a.admin('PUT', '/admin/flags', withFlags(defaultFeatureFlags(), { UserService: 'shadow', NotificationService: false }, 25));
    await signups(a, 20);
    await allDelivered(a, 20);
    const legacy = (await a.legacyEvents()).filter((e) => e.routingKey === 'user.signed_up');
    expect(legacy).toHaveLength(20);
    const sampled = legacy.filter((e) => e.message.metadata.sampled === true);
    expect(sampled).toHaveLength(5);
    const audit = (await drainAudit(sandbox.endpoints, a.runId, 5)).filter((e) => e.type === 'UserSignedUp');
    expect(audit.map((e) => e.eventId).sort()).toEqual(sampled.map((e) => e.message.eventId).sort());
    for (const e of audit) expect(e.metadata.delivery).toBe('validation');
  });

  it('POST /admin/rollback sets every EventBridge flag to false', async () => {
    const a = api(`rollback-${Date.now()}`);
    await a.admin('PUT', '/admin/flags', defaultFeatureFlags());
    const r = await a.admin('POST', '/admin/rollback');
    expect(r.status).toBe(200);
    expect(Object.values(r.body.flags.FeatureManagement.EventBridge).every((v) => v === false)).toBe(true);
    expect((await a.admin('GET', '/admin/flags')).body).toEqual(r.body.flags);
    // After rollback, user events travel on the legacy exchange.
    await signups(a, 1);
    await waitFor(
      async () => ((await a.legacyEvents()).some((e) => e.routingKey === 'user.signed_up') ? true : undefined),
      'legacy UserSignedUp',
    );
  });

  it('POST /admin/restore puts back the flags in force before the rollback, once', async () => {
    const a = api(`restore-${Date.now()}`);
    const before = withFlags(defaultFeatureFlags(), { NotificationService: true }, 25);
    await a.admin('PUT', '/admin/flags', before);
    await a.admin('POST', '/admin/rollback');
    const r = await a.admin('POST', '/admin/restore');
    expect(r.status).toBe(200);
    expect(r.body.flags).toEqual((await a.admin('PUT', '/admin/flags', before)).body);
    // Nothing to undo now: a second restore changes nothing.
    await a.admin('PUT', '/admin/flags', defaultFeatureFlags());
    expect((await a.admin('POST', '/admin/restore')).body.flags).toEqual(defaultFeatureFlags());
  });
});

describe('sandbox platform: restore=broken', () => {
  it('answers 200 and leaves the target rolled back', async () => {
    const sandbox = await buildSandbox({ faults: parseFaults(['restore=broken']) });
    try {
      const a = new Api(sandbox.endpoints, 'restore-broken');
      await a.admin('POST', '/admin/rollback');
      const r = await a.admin('POST', '/admin/restore');
      expect(r.status).toBe(200);
      expect(r.body.flags.FeatureManagement.EventBridge.UserService).toBe(false);
      expect((await a.admin('GET', '/admin/flags')).body.FeatureManagement.EventBridge.UserService).toBe(false);
    } finally {
      await sandbox.stop();
    }
  });
});

describe('sandbox platform: rollback=broken', () => {
  it('answers 200 and changes nothing', async () => {
    const sandbox = await buildSandbox({ faults: parseFaults(['rollback=broken']) });
    try {
      const a = new Api(sandbox.endpoints, 'broken');
      const r = await a.admin('POST', '/admin/rollback');
      expect(r.status).toBe(200);
      expect(r.body.flags).toEqual(defaultFeatureFlags());
      expect((await a.admin('GET', '/admin/flags')).body.FeatureManagement.EventBridge.UserService).toBe(true);
    } finally {
      await sandbox.stop();
    }
  });
});
