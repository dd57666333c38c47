import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isHarnessError } from '../../lib/errors/index.js';
import { decodeBuckets, ingestK6Ndjson } from '../../lib/results/index.js';
import { validateSummary } from '../../lib/report/index.js';
import { summarize } from '../../lib/verdict/index.js';
import { runMeta } from '../helpers/run-meta.js';
import { mvp2Criteria } from '../../thresholds/mvp2.js';

const meta = runMeta({
  milestone: 'mvp2',
  runId: 'mvp2-test',
  scenarios: [{ name: 'payment-flow', status: 'completed', k6ExitCode: 0, requests: 0, errorRate: null, p95: null, durationMs: 10_000 }],
});

/** `n` payments of payment-flow, `scale` × a spread of whole-ms processing times, two requests each, `failed` failing. */
async function paymentRun(n: number, scale: number, failed: number) {
  const dir = mkdtempSync(join(tmpdir(), 'qsl-comparison-'));
  const at = (i: number) => `2026-11-26T12:00:0${i % 10}.000Z`;
  const tags = { scenario: 'payment-flow', name: 'POST /api/payments' };
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    lines.push(
      JSON.stringify({
        metric: 'payment_processing_time',
        type: 'Point',
        data: { time: at(i), value: Math.round(scale * (20 + (i % 17))), tags },
      }),
    );
    for (let r = 0; r < 2; r++) {
      const fail = i * 2 + r < failed ? 1 : 0;
      lines.push(JSON.stringify({ metric: 'http_reqs', type: 'Point', data: { time: at(i), value: 1, tags } }));
      lines.push(JSON.stringify({ metric: 'http_req_duration', type: 'Point', data: { time: at(i), value: 5, tags } }));
      lines.push(JSON.stringify({ metric: 'http_req_failed', type: 'Point', data: { time: at(i), value: fail, tags } }));
    }
  }
  writeFileSync(join(dir, 'run.ndjson'), `${lines.join('\n')}\n`);
  return ingestK6Ndjson(join(dir, 'run.ndjson'));
}

describe('summarize: the comparison sample and --baseline', () => {
  it('summary.json carries what a later --baseline compares with: the encoded histogram and the request counts', async () => {
    const s = summarize({ meta, results: await paymentRun(100, 1, 3), probes: {}, criteria: mvp2Criteria });
    expect(s.comparisonSample).toMatchObject({
      latency: { metric: 'payment_processing_time', scenario: 'payment-flow', count: 100 },
      requests: { scenario: 'payment-flow', total: 200, failed: 3 },
    });
    const decoded = decodeBuckets(s.comparisonSample!.latency.hdr);
    expect(decoded.reduce((n, [, c]) => n + c, 0)).toBe(100);
    expect(decoded[0]).toEqual([20, 6]);
    expect(validateSummary(JSON.parse(JSON.stringify(s)))).toEqual({ ok: true });
  });

  it('a later run is judged against it, and the comparisons reach the criterion and summary.json', async () => {
    const base = summarize({ meta, results: await paymentRun(100, 1, 3), probes: {}, criteria: mvp2Criteria });
    const slower = summarize({
      meta: { ...meta, runId: 'mvp2-later' },
      results: await paymentRun(100, 1.5, 3),
      probes: {},
      criteria: mvp2Criteria,
      baseline: { file: 'base/summary.json', summary: base },
    });
    const c = slower.criteria.find((x) => x.id === 'performance-degradation')!;
    expect(c.pass).toBe(false);
    expect(c.comparisons?.map((x) => [x.measure, x.outcome])).toEqual([
      ['latency', 'fail'],
      ['error-rate', 'pass'],
    ]);
    expect(validateSummary(JSON.parse(JSON.stringify(slower)))).toEqual({ ok: true });
  });

  it('refuses a baseline of another profile with QSL_CONFIG_INVALID (exit 2)', async () => {
    const results = await paymentRun(100, 1, 0);
    const full = summarize({ meta: { ...meta, profile: 'full' }, results, probes: {}, criteria: mvp2Criteria });
    let err: unknown;
    try {
      summarize({ meta, results, probes: {}, criteria: mvp2Criteria, baseline: { file: 'full/summary.json', summary: full } });
    } catch (e) {
      err = e;
    }
    expect(isHarnessError(err, 'QSL_CONFIG_INVALID')).toBe(true);
    expect((err as Error).message).toMatch(/--baseline full\/summary\.json cannot be compared with this run: it ran --profile full/);
  });
});
