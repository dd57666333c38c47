import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestK6Ndjson } from '../../lib/results/index.js';
import { exitCodeOf, summarize } from '../../lib/verdict/index.js';
import { validateSummary } from '../../lib/report/index.js';
import { mvp1Criteria } from '../../thresholds/mvp1.js';
import { runMeta } from '../helpers/run-meta.js';

const point = (metric: string, value: number, tags: Record<string, string>, second = 0) =>
  JSON.stringify({ metric, type: 'Point', data: { time: `2026-11-26T12:00:0${second}.000Z`, value, tags } });
const request = (tags: Record<string, string>, ms: number, failed: number, second = 0) => [
  point('http_reqs', 1, tags, second),
  point('http_req_duration', ms, tags, second),
  point('http_req_failed', failed, tags, second),
];

const meta = runMeta({
  scenarios: [{ name: 'load', status: 'completed', k6ExitCode: 0, requests: 0, errorRate: null, p95: null, durationMs: 10_000 }],
});

describe('summarize', () => {
  it('derives per-request rows (setup requests apart, never in a criterion), overall figures and a schema-valid summary from raw k6 results', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qsl-summarize-'));
    const lines = [
      // The harness preparing its own data (k6 setup()): slow and failed, it must not count toward a criterion.
      ...request({ group: '::setup', name: 'POST /api/users/signup' }, 900, 1),
      ...request({ group: '', scenario: 'load', name: 'POST /api/users/signup' }, 10, 0, 1),
      ...request({ group: '', scenario: 'load', name: 'POST /api/users/signup' }, 30, 1, 2),
      ...request({ group: '', scenario: 'load', name: 'GET /api/users/me/notifications' }, 2, 0, 2),
    ];
    writeFileSync(join(dir, 'load.ndjson'), `${lines.join('\n')}\n`);
    const results = await ingestK6Ndjson(join(dir, 'load.ndjson'));
    // Four requests are no load test: the sample sizes are left out here (test/verdict covers them).
    const s = summarize({ meta, results, probes: {}, criteria: mvp1Criteria.map(({ sample: _sample, ...c }) => c) });

    expect(s.requests.map((r) => [r.scenario, r.name, r.count, r.errorRate])).toEqual([
      ['(setup)', 'POST /api/users/signup', 1, 1],
      ['load', 'GET /api/users/me/notifications', 1, 0],
      ['load', 'POST /api/users/signup', 2, 0.5],
    ]);
    expect(s.scenarios[0]).toMatchObject({ name: 'load', requests: 3, errorRate: 1 / 3 });
    expect(s.overall).toMatchObject({ requests: 3, errorRate: 1 / 3 });
    expect(s.overall!.p95).toBeCloseTo(30, 0);
    // The criteria read the scenario's samples only.
    expect(s.criteria.find((c) => c.id === 'error-rate')!.measured).toBeCloseTo(1 / 3, 6);
    expect(s.criteria.find((c) => c.id === 'p95-latency')!.measured).toBeCloseTo(30, 0);
    // Probe criteria that did not run are not measured, so the verdict cannot be GO.
    expect(s.criteria.find((c) => c.id === 'notifications-delivered')).toMatchObject({ measured: null, pass: false });
    expect(s.verdict).toBe('NO-GO');
    expect(validateSummary(s)).toEqual({ ok: true });
  });

  it('is UNDECIDED (exit 2) when nothing could be evaluated or the run was cut short, never GO', () => {
    const none = summarize({ meta, results: null, probes: {}, criteria: [] });
    expect(none).toMatchObject({ verdict: 'UNDECIDED', undecided: 'no criterion to evaluate' });
    expect(exitCodeOf(none)).toBe(2);
    expect(validateSummary(none)).toEqual({ ok: true });
    const cut = summarize({ meta: { ...meta, interrupted: true }, results: null, probes: {}, criteria: mvp1Criteria });
    expect(cut.verdict).toBe('UNDECIDED');
    expect(cut.undecided).toMatch(/interrupted/);
    expect(exitCodeOf(cut)).toBe(2);
    expect(validateSummary(cut)).toEqual({ ok: true });
  });
});
