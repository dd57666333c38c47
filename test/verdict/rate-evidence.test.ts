import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateSummary } from '../../lib/report/index.js';
import { ingestK6Ndjson, type RunResults } from '../../lib/results/index.js';
import { evaluateCriteria } from '../../lib/verdict/evaluate.js';
import { isRateCriterion } from '../../lib/verdict/rate-evidence.js';
import { wilsonInterval } from '../../lib/verdict/stats/proportions.js';
import type { CriterionResult, ProbeResult } from '../../lib/verdict/types.js';
import { networkSuccess } from '../../lib/verify/index.js';
import { mvp1Criteria } from '../../thresholds/mvp1.js';
import { mvp2Criteria } from '../../thresholds/mvp2.js';
import { mvp3Criteria } from '../../thresholds/mvp3.js';
import { mvp4Criteria } from '../../thresholds/mvp4.js';
import { buildSummary } from '../report/fixtures/build-summary.js';
import { writeNdjson, type FixturePoint } from '../results/k6-fixture.js';

const T0 = Date.UTC(2026, 11, 6, 12, 0, 0);

/**
 * Real k6 output, ingested: `requests` load requests (the first `failed` of them failed, each with its check) and
 * `broadcasts` network broadcasts to six networks, the first `unconfirmed` of them never confirmed on solana.
 */
async function results(o: { requests: number; failed: number; broadcasts?: number; unconfirmed?: number }): Promise<RunResults> {
  const points: FixturePoint[] = [];
  for (let i = 0; i < o.requests; i++) {
    const tags = { scenario: 'load', name: 'GET /api/users/{id}', group: '' };
    const push = (metric: string, type: FixturePoint['type'], value: number, extra: Record<string, string> = {}) =>
      points.push({ metric, type, value, timeMs: T0 + i, tags: { ...tags, ...extra }, iter: i });
    push('http_reqs', 'counter', 1);
    push('http_req_duration', 'trend', 12);
    push('http_req_failed', 'rate', i < o.failed ? 1 : 0);
    push('checks', 'rate', i < o.failed ? 0 : 1, { check: 'status is 200' });
    push('iterations', 'counter', 1);
  }
  for (let i = 0; i < (o.broadcasts ?? 0); i++) {
    for (const name of ['ethereum', 'polygon', 'arbitrum', 'optimism', 'avalanche', 'solana']) {
      const ok = !(name === 'solana' && i < (o.unconfirmed ?? 0));
      const tags = { scenario: 'network-broadcast', name };
      points.push({ metric: 'network_tx_success', type: 'rate', value: ok ? 1 : 0, timeMs: T0 + i, tags, iter: i });
    }
    points.push({ metric: 'broadcast_quorum', type: 'rate', value: 1, timeMs: T0 + i, tags: { scenario: 'network-broadcast' }, iter: i });
  }
  const file = join(mkdtempSync(join(tmpdir(), 'qsl-rate-evidence-')), 'raw.ndjson');
  writeNdjson(file, points);
  return ingestK6Ndjson(file);
}

const byId = (rows: CriterionResult[], id: string) => rows.find((c) => c.id === id)!;

describe('which criteria are rates', () => {
  it('every proportion of a counted sample, and nothing else', () => {
    const rates = [mvp1Criteria, mvp2Criteria, mvp3Criteria, mvp4Criteria].map((cs) => cs.filter(isRateCriterion).map((c) => c.id));
    expect(rates).toEqual([
      ['error-rate', 'notifications-delivered', 'shadow-divergence', 'workflow-completion', 'functional-checks'],
      ['ledger-consistency', 'saga-compensation', 'error-rate', 'payments-final', 'functional-checks'],
      ['network-success', 'pqc-correctness', 'journal-capture', 'functional-checks'],
      [],
    ]);
  });
});

describe("a rate criterion's 95% Wilson interval", () => {
  it('comes from the k6 counts the value was read from: the error rate and the checks pass rate', async () => {
    const r = evaluateCriteria(mvp1Criteria, await results({ requests: 4000, failed: 3 }), {}, 'smoke');
    const errors = byId(r, 'error-rate');
    const w = wilsonInterval(3, 4000, 0.95);
    expect(errors.measured).toBe(3 / 4000);
    expect(errors.interval).toEqual({ lower: w.lower, upper: w.upper, confidence: 0.95, method: 'wilson', count: 3, total: 4000 });
    expect(errors.interval!.lower).toBeCloseTo(0.000255, 5);
    expect(errors.interval!.upper).toBeCloseTo(0.0022, 4);
    expect(byId(r, 'functional-checks').interval).toMatchObject({ count: 3997, total: 4000 });
    expect(validateSummary(JSON.parse(JSON.stringify({ ...buildSummary(), criteria: r })))).toEqual({ ok: true });
  });

  it('is there when the sample fell short, showing why the value proves nothing', async () => {
    const r = evaluateCriteria(mvp1Criteria, await results({ requests: 40, failed: 0 }), {}, 'smoke');
    const errors = byId(r, 'error-rate');
    expect(errors).toMatchObject({ measured: null, sample: { ok: false }, interval: { count: 0, total: 40, lower: 0 } });
    expect(errors.interval!.upper).toBeGreaterThan(0.08);
  });

  it('is absent for a latency percentile, a drill, a reading, and for a rate with no counts', async () => {
    const r = evaluateCriteria(mvp1Criteria, await results({ requests: 10, failed: 0 }), { 'rollback-drill': { value: 4 } }, 'smoke');
    for (const id of ['p95-latency', 'rollback-drill', 'services-healthy', 'workflow-completion'])
      expect(byId(r, id).interval).toBeUndefined();
    const none = evaluateCriteria(mvp1Criteria, null, {}, 'smoke');
    expect(none.filter((c) => c.interval)).toEqual([]);
  });

  it("reads a probe's counts from the details the probe writes (network-success from its k6 samples)", async () => {
    const run = await results({ requests: 10, failed: 0, broadcasts: 100, unconfirmed: 7 });
    const r = evaluateCriteria(mvp3Criteria, run, { 'network-success': networkSuccess(run) }, 'smoke');
    expect(byId(r, 'network-success').interval).toMatchObject({ count: 593, total: 600 });
  });

  it("reads the other probes' counts from their details", () => {
    const probes: Record<string, ProbeResult> = {
      'notifications-delivered': { value: 0.99, details: { owed: 200, delivered: 198 } },
      'shadow-divergence': { value: 0.002, details: { compared: 1000, divergentCount: 2 } },
      'ledger-consistency': { value: 0.999, details: { checks: 3000, failed: 3 } },
      'saga-compensation': { value: 1, details: { forced: 90, compensated: 90 } },
      'journal-capture': { value: 0.99, details: { expected: { eventbridge: 60, legacy: 40 }, missing: { legacy: { count: 1 } } } },
    };
    const counts = (rows: CriterionResult[]) =>
      Object.fromEntries(rows.filter((c) => c.interval).map((c) => [c.id, [c.interval!.count, c.interval!.total]]));
    expect(counts(evaluateCriteria(mvp1Criteria, null, probes, 'full'))).toEqual({
      'notifications-delivered': [198, 200],
      'shadow-divergence': [2, 1000],
    });
    expect(counts(evaluateCriteria(mvp2Criteria, null, probes, 'full'))).toEqual({
      'ledger-consistency': [2997, 3000],
      'saga-compensation': [90, 90],
    });
    expect(counts(evaluateCriteria(mvp3Criteria, null, probes, 'full'))).toEqual({ 'journal-capture': [99, 100] });
  });

  it('never guesses: details that do not give back the value, or are not whole counts, give no interval', () => {
    const probes: Record<string, ProbeResult> = {
      'notifications-delivered': { value: 1, details: { owed: 200, delivered: 198 } },
      'shadow-divergence': { value: 0, details: { compared: 'many', divergentCount: 0 } },
    };
    expect(evaluateCriteria(mvp1Criteria, null, probes, 'smoke').filter((c) => c.interval)).toEqual([]);
  });
});
