import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultFeatureFlags, loadFeatureFlags, parseFeatureFlags, rolledBack } from '../../lib/config/feature-flags.js';
import { HarnessError } from '../../lib/errors/index.js';

const mvp1File = fileURLToPath(new URL('../../flags/mvp1.json', import.meta.url));
const valid = () => ({
  FeatureManagement: {
    EventBridge: { UserService: 'shadow' },
    DualPublishing: { Enabled: true, ShadowPercentage: 10 },
  },
});

function errorOf(fn: () => unknown): HarnessError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(HarnessError);
    return err as HarnessError;
  }
  throw new Error('expected a QSL_FLAGS_INVALID error');
}

describe('feature flags', () => {
  it('loads flags/mvp1.json as the seed example with the MVP 1 choices', async () => {
    const flags = await loadFeatureFlags(mvp1File);
    expect(flags.FeatureManagement.EventBridge).toMatchObject({
      OrchestrationService: true,
      UserService: true,
      NotificationService: 'parallel',
      PaymentGatewayService: 'shadow',
      'QuantumLedger.Hub': false,
      AdminAPIGateway: false,
    });
    expect(flags.FeatureManagement.DualPublishing).toEqual({ Enabled: true, ShadowPercentage: 10 });
    expect(flags).toEqual(defaultFeatureFlags());
    expect(Object.isFrozen(flags.FeatureManagement.EventBridge)).toBe(true);
  });

  it('defaults services left out to false', () => {
    const flags = parseFeatureFlags(valid());
    expect(flags.FeatureManagement.EventBridge.UserService).toBe('shadow');
    expect(flags.FeatureManagement.EventBridge.OrchestrationService).toBe(false);
  });

  it('rejects an unknown service, naming the field', () => {
    const data = valid();
    (data.FeatureManagement.EventBridge as Record<string, unknown>).UserSerivce = true;
    const err = errorOf(() => parseFeatureFlags(data));
    expect(err.code).toBe('QSL_FLAGS_INVALID');
    expect(err.message).toContain('FeatureManagement.EventBridge.UserSerivce');
    expect(err.message).toContain('unknown field');
  });

  it('rejects unknown keys at every level', () => {
    expect(errorOf(() => parseFeatureFlags({ ...valid(), Extra: 1 })).message).toContain('Extra: unknown field');
    const data = valid();
    (data.FeatureManagement.DualPublishing as Record<string, unknown>).Percent = 5;
    expect(errorOf(() => parseFeatureFlags(data)).message).toContain('FeatureManagement.DualPublishing.Percent');
  });

  it('rejects bad values, naming the field', () => {
    const data = valid();
    (data.FeatureManagement.EventBridge as Record<string, unknown>).UserService = 'canary';
    expect(errorOf(() => parseFeatureFlags(data)).message).toContain('FeatureManagement.EventBridge.UserService');
    const pct = valid();
    pct.FeatureManagement.DualPublishing.ShadowPercentage = 150;
    expect(errorOf(() => parseFeatureFlags(pct)).message).toContain('FeatureManagement.DualPublishing.ShadowPercentage');
    const missing = { FeatureManagement: { EventBridge: {} } };
    expect(errorOf(() => parseFeatureFlags(missing)).message).toContain('FeatureManagement.DualPublishing');
  });

  it('names the file on unreadable or malformed files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qsl-flags-'));
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{ not json');
    await expect(loadFeatureFlags(bad)).rejects.toThrow(/bad\.json is not valid JSON/);
    await expect(loadFeatureFlags(join(dir, 'missing.json'))).rejects.toThrow(/cannot read feature flags file/);
    const wrong = join(dir, 'wrong.json');
    await writeFile(
      wrong,
      JSON.stringify({ FeatureManagement: { EventBridge: { Nope: true }, DualPublishing: { Enabled: true, ShadowPercentage: 1 } } }),
    );
    await expect(loadFeatureFlags(wrong)).rejects.toThrow(/wrong\.json[\s\S]*FeatureManagement\.EventBridge\.Nope/);
  });

  it('rollback sets every service to false and keeps DualPublishing', () => {
    const r = rolledBack(defaultFeatureFlags());
    expect(Object.values(r.FeatureManagement.EventBridge).every((v) => v === false)).toBe(true);
    expect(r.FeatureManagement.DualPublishing).toEqual({ Enabled: true, ShadowPercentage: 10 });
  });
});
