import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFeatureFlags } from '../../lib/config/feature-flags.js';
import { loadTargetFile } from '../../lib/config/target.js';
import { HarnessError } from '../../lib/errors/index.js';
import { reconcileTarget } from '../../lib/run/reconcile.js';
import { buildSandbox, MVP2_SERVICES, MVP2_TOPOLOGY, parseFaults, type Sandbox } from '../../lib/sandbox/index.js';
import { Api } from './platform-helpers.js';

// `npm run reconcile -- --target <file>` against a running platform: consistent -> 0, skewed ledger -> 1,
// no target -> an error that says why.

function targetFile(sandbox: Sandbox, extra: Record<string, unknown> = {}): string {
  const file = join(mkdtempSync(join(tmpdir(), 'qsl-target-')), 'target.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'local',
      environment: 'staging',
      gateway: sandbox.endpoints.gateway,
      admin: sandbox.endpoints.admin,
      aws: { region: 'us-east-1' },
      rollback: { command: 'true' },
      ...extra,
    }),
  );
  return file;
}

async function payments(sandbox: Sandbox, runId: string, n: number): Promise<void> {
  const api = new Api(sandbox.endpoints, runId);
  await api.newUser('reconcile');
  const ids: string[] = [];
  for (let i = 0; i < 2; i++) ids.push((await api.gw('POST', '/api/accounts', { openingBalance: 1_000_000 })).body.accountId);
  for (let i = 0; i < n; i++) {
    const r = await api.gw('POST', '/api/payments', { payerAccountId: ids[0], payeeAccountId: ids[1], amount: 1000 + i });
    expect(r.status).toBe(202);
    expect((await api.gw('GET', `/api/payments/${r.body.paymentId}?wait=5`)).body.status).toBe('confirmed');
  }
}

describe('reconcile', () => {
  let clean: Sandbox;
  let skewed: Sandbox;
  beforeAll(async () => {
    const flags = await loadFeatureFlags('flags/mvp2.json');
    [clean, skewed] = await Promise.all([
      buildSandbox({ flags, topology: MVP2_TOPOLOGY, services: MVP2_SERVICES }),
      buildSandbox({ flags, topology: MVP2_TOPOLOGY, services: MVP2_SERVICES, faults: parseFaults(['ledger.skew=1']) }),
    ]);
    await Promise.all([payments(clean, 'rec-1', 3), payments(skewed, 'rec-2', 3)]);
  });
  afterAll(async () => {
    await Promise.all([clean?.stop(), skewed?.stop()]);
  });

  it('a consistent ledger exits 0, for one run or all runs', async () => {
    const one = await reconcileTarget({ targetFile: targetFile(clean), runId: 'rec-1' });
    expect(one.exitCode, one.text).toBe(0);
    expect(one.text).toMatch(/CONSISTENT/);
    expect((await reconcileTarget({ targetFile: targetFile(clean) })).exitCode).toBe(0);
  });

  it('a one-sided entry exits 1 and names the transaction', async () => {
    const r = await reconcileTarget({ targetFile: targetFile(skewed), runId: 'rec-2' });
    expect(r.exitCode).toBe(1);
    expect(r.text).toMatch(/transaction balanced: .*:settlement/);
  });

  it('an unknown run has nothing to reconcile (exit 2); no --target is an error', async () => {
    expect((await reconcileTarget({ targetFile: targetFile(clean), runId: 'nope' })).exitCode).toBe(2);
    await expect(reconcileTarget({})).rejects.toThrow(HarnessError);
    await expect(reconcileTarget({})).rejects.toThrow(/needs --target/);
  });

  it('a target file may say how to force failures; a bad hook names the field', () => {
    expect(loadTargetFile(targetFile(clean, { forcedFailure: { header: 'X-Force-Failure' } })).forcedFailure).toEqual({
      header: 'X-Force-Failure',
    });
    const magic = { magicAmounts: { validate: 1301, settle: 1302, confirm: 1303 } };
    expect(loadTargetFile(targetFile(clean, { forcedFailure: magic })).forcedFailure).toEqual(magic);
    expect(() => loadTargetFile(targetFile(clean, { forcedFailure: { magicAmounts: { validate: 1 } } }))).toThrow(/forcedFailure/);
  });
});
