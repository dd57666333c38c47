import { ml_dsa44 } from '@noble/post-quantum/ml-dsa.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFeatureFlags } from '../../lib/config/feature-flags.js';
import { buildSandbox, parseFaults, type Sandbox } from '../../lib/sandbox/index.js';
import { MVP3_TOPOLOGY, mvp3Services } from '../../lib/sandbox/mvp3.js';
import { countJournal } from '../../lib/verify/journal-capture.js';
import { waitFor } from './platform-helpers.js';

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const key = ml_dsa44.keygen(new Uint8Array(32).fill(1));
const other = ml_dsa44.keygen(new Uint8Array(32).fill(2));
const msg = new TextEncoder().encode('{"tx":"mvp3-test"}');
const sig = ml_dsa44.sign(msg, key.secretKey);

async function start(faults: string[] = []): Promise<Sandbox> {
  return buildSandbox({
    topology: MVP3_TOPOLOGY,
    services: mvp3Services(),
    flags: await loadFeatureFlags('flags/mvp3.json'),
    faults: parseFaults(faults),
  });
}

function client(sb: Sandbox, runId: string) {
  return async <T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; headers: Headers }> => {
    const res = await fetch(sb.endpoints.gateway + path, {
      method,
      headers: { 'x-run-id': runId, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
}

describe('MVP 3 sandbox services', () => {
  let sb: Sandbox;
  const runId = 'mvp3-services-test';
  let call: ReturnType<typeof client>;
  beforeAll(async () => {
    sb = await start();
    call = client(sb, runId);
  });
  afterAll(() => sb?.stop());

  it('broadcasts to the six networks and tracks every confirmation', async () => {
    const nets = await call<{ networks: Array<{ id: string }> }>('GET', '/api/networks');
    expect(nets.body.networks.map((n) => n.id)).toEqual(['ethereum', 'polygon', 'arbitrum', 'optimism', 'avalanche', 'solana']);
    const tx = await call('POST', '/api/transactions', { payload: { amount: 1 } });
    expect(tx.status).toBe(202);
    expect(tx.body.succeeded).toBe(6);
    const done = await waitFor(
      async () => {
        const v = await call<{ networks: Array<{ status: string; confirmations: number }> }>('GET', `/api/transactions/${tx.body.txId}`);
        return v.body.networks.every((n) => n.status === 'confirmed') ? v.body : undefined;
      },
      'all six confirmations',
      10_000,
    );
    expect(done.networks.every((n) => n.confirmations > 0)).toBe(true);
  });

  it('mints, transfers and burns with consistent per-network supply', async () => {
    const token = 'TEST';
    expect((await call('POST', '/api/tokens/polygon/mint', { token, account: 'a', amount: 1000 })).status).toBe(201);
    expect((await call('POST', '/api/tokens/polygon/transfer', { token, from: 'a', to: 'b', amount: 400 })).status).toBe(200);
    expect((await call('POST', '/api/tokens/polygon/burn', { token, account: 'b', amount: 300 })).status).toBe(200);
    const over = await call('POST', '/api/tokens/polygon/burn', { token, account: 'b', amount: 101 });
    expect(over.status).toBe(409);
    const s = await call('GET', `/api/tokens/polygon/${token}/supply`);
    expect(s.body).toMatchObject({ supply: 700, minted: 1000, burned: 300, transferred: 400, balancesTotal: 700 });
    expect((await call('GET', `/api/tokens/ethereum/${token}/supply`)).body.supply).toBe(0);
    expect((await call('POST', '/api/tokens/nowhere/mint', { token, account: 'a', amount: 1 })).status).toBe(404);
  });

  it('verifies ML-DSA-44 signatures with Server-Timing, and retires a rotated key after its grace period', async () => {
    expect((await call('POST', '/api/signatures/keys', { keyId: 'k1', publicKey: b64(key.publicKey) })).status).toBe(201);
    expect((await call('POST', '/api/signatures/keys', { keyId: 'k1', publicKey: b64(key.publicKey) })).status).toBe(200);
    expect((await call('POST', '/api/signatures/keys', { keyId: 'k1', publicKey: b64(other.publicKey) })).status).toBe(409);

    const ok = await call('POST', '/api/signatures/verify', { keyId: 'k1', message: b64(msg), signature: b64(sig) });
    expect(ok.body.valid).toBe(true);
    expect(ok.headers.get('server-timing')).toMatch(/^pqc;dur=\d+\.\d+/);
    const flipped = Uint8Array.from(sig);
    flipped[10] ^= 1;
    expect((await call('POST', '/api/signatures/verify', { keyId: 'k1', message: b64(msg), signature: b64(flipped) })).body).toMatchObject({
      valid: false,
      reason: 'bad-signature',
    });
    expect((await call('POST', '/api/signatures/verify', { keyId: 'nope', message: b64(msg), signature: b64(sig) })).body.valid).toBe(
      false,
    );

    const rot = await call('POST', '/api/signatures/keys/k1/rotate', { graceMs: 300 });
    expect(rot.body.status).toBe('grace');
    expect((await call('POST', '/api/signatures/verify', { keyId: 'k1', message: b64(msg), signature: b64(sig) })).body.valid).toBe(true);
    await waitFor(
      async () => ((await call('GET', '/api/signatures/keys/k1')).body.status === 'retired' ? true : undefined),
      'key retired',
      5_000,
    );
    expect((await call('POST', '/api/signatures/verify', { keyId: 'k1', message: b64(msg), signature: b64(sig) })).body).toMatchObject({
      valid: false,
      reason: 'key-rotated-out',
    });
  });

  it("journals the run's events in SurrealDB, read through the surrealdb client", async () => {
    expect(sb.journal).toBeDefined();
    const got = await waitFor(
      async () => {
        const c = await countJournal({ url: sb.journal!.client, runId });
        return c.byPath.eventbridge >= 10 && c.eventIds.size > 0 ? c : undefined;
      },
      'journaled events',
      10_000,
    );
    expect(Object.keys(got.eventIdsByPath)).toContain('eventbridge');
  });
});

describe('MVP 3 fault knobs', () => {
  it('parse: switches without a value, network ids as a placeholder, unknown networks rejected at start', async () => {
    expect(parseFaults(['signature.accept-invalid', 'network.polygon.down', 'network.solana.latency=50ms', 'journal.drop=0.01'])).toEqual({
      'signature.accept-invalid': 'on',
      'network.polygon.down': 'on',
      'network.solana.latency': 50,
      'journal.drop': 0.01,
    });
    expect(() => parseFaults(['journal.drop'])).toThrow(/expected name=value/);
    await expect(start(['network.dogecoin.down'])).rejects.toMatchObject({ code: 'QSL_FAULT_INVALID' });
  });

  it('network down, accept-invalid and signature latency act on the services', async () => {
    const sb = await start(['network.polygon.down', 'signature.accept-invalid', 'signature.latency=20ms']);
    try {
      const call = client(sb, 'mvp3-faults-test');
      const tx = await call('POST', '/api/transactions', {});
      expect(tx.body.succeeded).toBe(5);
      expect(tx.body.networks.find((n: { network: string }) => n.network === 'polygon').status).toBe('failed');
      const mint = await call('POST', '/api/tokens/polygon/mint', { token: 'T', account: 'a', amount: 5 });
      expect(mint.status).toBe(503);
      expect((await call('GET', '/api/tokens/polygon/T/supply')).body.supply).toBe(0);

      await call('POST', '/api/signatures/keys', { keyId: 'k', publicKey: b64(key.publicKey) });
      const bad = await call('POST', '/api/signatures/verify', {
        keyId: 'k',
        message: b64(msg),
        signature: b64(other.secretKey.slice(0, 2420)),
      });
      expect(bad.body.valid).toBe(true);
      const dur = Number(/dur=([\d.]+)/.exec(bad.headers.get('server-timing') ?? '')?.[1]);
      expect(dur).toBeGreaterThanOrEqual(19);
    } finally {
      await sb.stop();
    }
  });
});
