import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestK6Ndjson } from '../../lib/results/index.js';
import { evaluateCriteria } from '../../lib/verdict/evaluate.js';
import { networkSuccess } from '../../lib/verify/index.js';
import { mvp3Criteria } from '../../thresholds/mvp3.js';
import { writeNdjson, type FixturePoint } from '../results/k6-fixture.js';

const SIX = ['ethereum', 'polygon', 'arbitrum', 'optimism', 'avalanche', 'solana'];

/**
 * What the network-broadcast scenario records for `broadcasts` transactions to `networks`: one network_tx_success
 * sample per (transaction, network), one broadcast_quorum sample per transaction (the scenario's rule: confirmed on
 * at least 5 networks). `down` networks never confirm.
 */
async function broadcastResults(networks: string[], broadcasts: number, down: string[] = []) {
  const t0 = Date.UTC(2026, 11, 6, 12, 0, 0);
  const points: FixturePoint[] = [];
  for (let i = 0; i < broadcasts; i++) {
    const base = { timeMs: t0 + i * 10, iter: i };
    let confirmed = 0;
    for (const n of networks) {
      const ok = !down.includes(n);
      if (ok) confirmed += 1;
      points.push({
        ...base,
        metric: 'network_tx_success',
        type: 'rate',
        value: ok ? 1 : 0,
        tags: { scenario: 'network-broadcast', name: n },
      });
    }
    points.push({
      ...base,
      metric: 'broadcast_quorum',
      type: 'rate',
      value: confirmed >= 5 ? 1 : 0,
      tags: { scenario: 'network-broadcast' },
    });
  }
  const file = join(mkdtempSync(join(tmpdir(), 'qsl-networks-')), 'raw.ndjson');
  writeNdjson(file, points);
  return ingestK6Ndjson(file);
}

describe('network-success: the plan names 6 networks, 5 must confirm', () => {
  it('passes 6 healthy networks, and 6 with one down (5 of 6)', async () => {
    for (const down of [[], ['solana']]) {
      const r = networkSuccess(await broadcastResults(SIX, 60, down));
      expect(r.veto).toBeUndefined();
      expect(r.note).toMatch(/^60\/60 broadcasts reached >= 5 of the 6 networks the plan names/);
    }
  });

  it('is NO-GO for a target listing 4 networks, however healthy: the plan is not scaled to 4 of 4', async () => {
    const results = await broadcastResults(SIX.slice(0, 4), 60);
    const r = networkSuccess(results);
    expect(r.value).toBe(1);
    expect(r.veto).toMatch(/the target broadcasts to 4 of the 6 networks the plan names \(arbitrum, ethereum, optimism, polygon\)/);
    expect(r.veto).toMatch(/60 of 60 broadcasts succeeded on fewer than 5 networks/);
    expect(r.details).toMatchObject({ planNetworks: 6, networks: 4, quorum: 5 });
    const c = evaluateCriteria(mvp3Criteria, results, { 'network-success': r }, 'smoke').find((x) => x.id === 'network-success')!;
    expect(c.pass).toBe(false);
    expect(c.note).toMatch(/4 of the 6 networks the plan names/);
  });

  it('needs 5 confirmed networks, not 5/6 of what was listed, and says so when the target lists more', async () => {
    const eight = [...SIX, 'base', 'bsc'];
    const ok = networkSuccess(await broadcastResults(eight, 20, ['base', 'bsc', 'solana']));
    expect(ok.veto).toBeUndefined();
    expect(ok.note).toMatch(/reached >= 5 of the 6 networks the plan names \(the target lists 8\)/);
    const short = networkSuccess(await broadcastResults(eight, 20, ['base', 'bsc', 'solana', 'avalanche']));
    expect(short.veto).toBe('20 of 20 broadcasts succeeded on fewer than 5 networks');
  });
});
