import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Target } from '../../lib/config/target.js';
import { buildSandbox, parseFaults, type Sandbox } from '../../lib/sandbox/index.js';
import { fetchJson, performRollback, restoreFlags, targetRestored } from '../../lib/verify/index.js';

// Through the sandbox's real admin API: the restore action, the PUT fallback, and the read-back that catches a
// restore answering 200 without doing anything.
function targetOf(sandbox: Sandbox, over: Partial<Target> = {}): Target {
  const e = sandbox.endpoints;
  return {
    name: 't',
    environment: 'staging',
    sandbox: false,
    gateway: e.gateway,
    admin: e.admin,
    region: e.region,
    eventBus: 'qsl-core',
    serviceQueues: [],
    rollback: { sandbox: true },
    ...over,
  };
}

describe('restoreFlags', () => {
  let sandbox: Sandbox;
  let broken: Sandbox;
  beforeAll(async () => {
    [sandbox, broken] = await Promise.all([buildSandbox({ seed: 3 }), buildSandbox({ seed: 3, faults: parseFaults(['restore=broken']) })]);
  });
  afterAll(async () => {
    await Promise.all([sandbox?.stop(), broken?.stop()]);
  });

  it('the restore action puts the flags back as found', async () => {
    const t = targetOf(sandbox, { restore: { http: { method: 'POST', url: `${sandbox.endpoints.admin}/admin/restore` } } });
    const found = await fetchJson<Record<string, unknown>>(`${t.admin}/admin/flags`);
    await performRollback(t);
    const r = await restoreFlags(t, found);
    expect(r).toMatchObject({ ok: true, action: `POST ${t.admin}/admin/restore` });
    expect(await targetRestored(t.admin, found)).toMatchObject({ value: 1 });
  });

  it('without a restore action: PUT /admin/flags with the flags found', async () => {
    const t = targetOf(sandbox);
    const found = await fetchJson<Record<string, unknown>>(`${t.admin}/admin/flags`);
    await performRollback(t);
    const r = await restoreFlags(t, found);
    expect(r.ok).toBe(true);
    expect(r.action).toMatch(/^PUT .*\/admin\/flags \(the flags found at the start/);
    expect(await fetchJson(`${t.admin}/admin/flags`)).toEqual(found);
  });

  it('a restore that answers 200 but changes nothing is caught by reading the flags back, naming each flag', async () => {
    const t = targetOf(broken, { restore: { sandbox: true } });
    const found = await fetchJson<Record<string, unknown>>(`${t.admin}/admin/flags`);
    await performRollback(t);
    const r = await restoreFlags(t, found);
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(
      /flags differ from the start of the run: FeatureManagement\.EventBridge\.\w+: false, was (true|"parallel"|"shadow")/,
    );
    const end = await targetRestored(t.admin, found);
    expect(end.value).toBe(0);
    expect(end.veto).toMatch(/the flags at the end of the run differ from the start: .*UserService: false, was true/);
  });

  it('a failing restore action is reported with its error', async () => {
    const t = targetOf(sandbox, { restore: { command: 'echo no permission >&2; exit 3' } });
    const r = await restoreFlags(t, await fetchJson(`${t.admin}/admin/flags`));
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/restore action failed: .*exited 3: no permission/);
  });
});
