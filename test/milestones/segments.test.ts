import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestK6Ndjson } from '../../lib/results/index.js';
import type { RunMeta } from '../../lib/run/run-dir.js';
import { expectCleanGo, expectRerenderSame, runCli } from './run-cli.js';
import { readFileSync } from 'node:fs';

// --segments 2: every scenario runs as two k6 processes (execution segments over the same full
// sequence); their NDJSON merges into one verdict equal to a one-process run's (mvp1.test.ts: a clean
// smoke run is GO with every criterion measured and passing).
describe('mvp1 smoke, --segments 2', () => {
  it('two k6 processes per scenario, one merged verdict: GO with every criterion measured', { timeout: 240_000 }, async () => {
    const r = await runCli(['run', 'mvp1', '--profile', 'smoke', '--segments', '2'], { outName: 'segments' });
    expectCleanGo(r, 'mvp1');
    const raw = readdirSync(join(r.dir, 'raw'))
      .filter((f) => f.endsWith('.ndjson'))
      .sort();
    expect(raw).toEqual([
      'load.seg1of2.ndjson',
      'load.seg2of2.ndjson',
      'user-journey.seg1of2.ndjson',
      'user-journey.seg2of2.ndjson',
      'workflow.seg1of2.ndjson',
      'workflow.seg2of2.ndjson',
    ]);
    const meta = JSON.parse(readFileSync(join(r.dir, 'run.json'), 'utf8')) as RunMeta;
    expect(meta.segments).toBe(2);
    // Both processes did part of the work, and the arrival-rate scenario kept its total rate
    // (1000 requests per minute over 30 s, give or take the set-up requests of each process).
    const load = [1, 2].map((k) => ingestK6Ndjson(join(r.dir, 'raw', `load.seg${k}of2.ndjson`)));
    const [a, b] = await Promise.all(load);
    const iterations = (x: typeof a) => x.counter('iterations', { scenario: 'load' });
    expect(iterations(a)).toBeGreaterThan(200);
    expect(iterations(b)).toBeGreaterThan(200);
    expect(iterations(a) + iterations(b)).toBeGreaterThanOrEqual(490);
    expect(iterations(a) + iterations(b)).toBeLessThanOrEqual(510);
    // Counts are exact: the summary's requests per scenario are the sum of both processes'.
    const row = r.summary!.scenarios.find((s) => s.name === 'load')!;
    expect(row.requests).toBe(a.counter('http_reqs', { scenario: 'load' }) + b.counter('http_reqs', { scenario: 'load' }));
    expectRerenderSame(r);
  });
});

// MVP 2, 3 and 4 prepare in setup() what a second process must not collide with (the payer and the planned accounts,
// the signature keys, the soak's traffic): split over two processes, a clean smoke run is GO on every criterion, as a
// one-process run is (mvp2/mvp3/mvp4.test.ts).
describe.each(['mvp2', 'mvp3', 'mvp4'])('%s smoke, --segments 2', (milestone) => {
  it('GO with every criterion measured; every scenario ran as two processes', { timeout: 300_000 }, async () => {
    const r = await runCli(['run', milestone, '--profile', 'smoke', '--segments', '2'], { outName: `segments-${milestone}` });
    expectCleanGo(r, milestone);
    const raw = readdirSync(join(r.dir, 'raw'));
    expect(r.summary!.scenarios.length).toBeGreaterThan(0);
    for (const s of r.summary!.scenarios) {
      expect(raw, s.name).toEqual(expect.arrayContaining([`${s.name}.seg1of2.ndjson`, `${s.name}.seg2of2.ndjson`]));
    }
  });
});
