import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestK6Ndjson, mergeResults, type RunResults, type TagFilter } from '../../lib/results/index.js';
import { generatePoints, toNdjson, writeNdjson, type FixturePoint } from './k6-fixture.js';

const ITERATIONS = 3000;
const points = generatePoints(ITERATIONS);
let dir: string;
let whole: RunResults;

function select(metric: string, filter: TagFilter = {}): FixturePoint[] {
  return points.filter((p) => p.metric === metric && Object.entries(filter).every(([k, v]) => p.tags[k] === v));
}

/** Nearest-rank percentile of a sorted array, the definition HDR uses. */
function refPercentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** HDR at 3 significant digits, values stored in thousandths: 0.1% relative + 0.001 absolute. */
function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(expected * 1e-3 + 1e-3);
}

function expectTrendMatches(results: RunResults, metric: string, filter: TagFilter = {}): void {
  const values = select(metric, filter)
    .map((p) => p.value)
    .sort((a, b) => a - b);
  const t = results.trend(metric, filter);
  expect(t).not.toBeNull();
  expect(t!.count).toBe(values.length);
  expect(t!.min).toBe(values[0]);
  expect(t!.max).toBe(values[values.length - 1]);
  expect(t!.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 9);
  for (const p of [50, 90, 95, 99] as const) expectClose(t![`p${p}`], refPercentile(values, p));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qsl-results-'));
  const truncated = '{"type":"Point","data":{"time":"2026-11-26T15:00:19.9Z","value":12.3,"tags":{"scenario":"lo';
  const unknownType =
    '{"type":"Metric","data":{"name":"weird","type":"summary","contains":"default","thresholds":[],"submetrics":null},"metric":"weird"}\n' +
    '{"type":"Point","data":{"time":"2026-11-26T15:00:05Z","value":3,"tags":null},"metric":"weird"}\n';
  writeNdjson(join(dir, 'whole.ndjson'), points, `${unknownType}not json at all\n\n${truncated}`);
  whole = await ingestK6Ndjson(join(dir, 'whole.ndjson'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ingestK6Ndjson', () => {
  it('counts lines, points and malformed lines (truncated last line, garbage, unknown metric type)', () => {
    const metricLines = new Set(points.map((p) => p.metric)).size;
    // + 2 unknown-type lines + 1 garbage + 1 truncated; the blank line is not counted.
    expect(whole.stats()).toEqual({ lines: points.length + metricLines + 4, points: points.length, malformed: 4 });
  });

  it('lists metrics with their types, and skips the unknown type', () => {
    const m = whole.metrics();
    expect(m).toContainEqual({ name: 'http_req_duration', type: 'trend' });
    expect(m).toContainEqual({ name: 'http_reqs', type: 'counter' });
    expect(m).toContainEqual({ name: 'checks', type: 'rate' });
    expect(m).toContainEqual({ name: 'vus', type: 'gauge' });
    expect(m).toContainEqual({ name: 'events_published', type: 'counter' });
    expect(m.find((x) => x.name === 'weird')).toBeUndefined();
  });

  it('sums counters exactly, with tag filters', () => {
    expect(whole.counter('http_reqs')).toBe(ITERATIONS);
    const sum = (ps: FixturePoint[]): number => ps.reduce((a, p) => a + p.value, 0);
    expect(whole.counter('events_published')).toBe(sum(select('events_published')));
    expect(whole.counter('events_published', { scenario: 'spike' })).toBe(sum(select('events_published', { scenario: 'spike' })));
    expect(whole.counter('http_reqs', { status: '500' })).toBe(select('http_reqs', { status: '500' }).length);
    expect(whole.counter('http_reqs', { status: 'nope' })).toBe(0);
    expect(whole.counter('no_such_metric')).toBe(0);
    // Non-counters count samples.
    expect(whole.counter('http_req_duration')).toBe(ITERATIONS);
  });

  it('computes rates exactly', () => {
    const failed = select('http_req_failed').filter((p) => p.value !== 0).length;
    expect(whole.rate('http_req_failed')).toEqual({ passes: failed, total: ITERATIONS, rate: failed / ITERATIONS });
    const spike = select('checks', { scenario: 'spike' });
    const passes = spike.filter((p) => p.value !== 0).length;
    expect(whole.rate('checks', { scenario: 'spike' })).toEqual({ passes, total: spike.length, rate: passes / spike.length });
    expect(whole.rate('checks', { scenario: 'none' })).toEqual({ passes: 0, total: 0, rate: null });
  });

  it('keeps the last gauge value', () => {
    const vus = select('vus');
    expect(whole.gauge('vus')).toBe(vus[vus.length - 1]!.value);
    expect(whole.gauge('nothing')).toBeNull();
  });

  it('matches sorted-array percentiles within HDR precision, exact count/min/max', () => {
    expectTrendMatches(whole, 'http_req_duration');
    expectTrendMatches(whole, 'http_req_duration', { scenario: 'spike' });
    expectTrendMatches(whole, 'http_req_duration', { name: 'GET /api/orders/{id}', status: '200' });
    expectTrendMatches(whole, 'http_req_waiting', { method: 'POST' });
    expectTrendMatches(whole, 'signup_latency');
    expect(whole.trend('http_req_duration', { status: 'nope' })).toBeNull();
  });

  it('keeps sub-millisecond values above zero', () => {
    const subMs = select('http_req_duration').filter((p) => p.value < 1);
    expect(subMs.length).toBeGreaterThan(50);
    const t = whole.trend('http_req_duration')!;
    expect(t.min).toBeGreaterThan(0);
    // blocked is mostly 0 exactly: p50 must be 0, not a rounding artefact.
    expect(whole.trend('http_req_blocked')!.p50).toBe(0);
  });

  it('lists tag values and series', () => {
    expect(whole.tagValues('http_req_duration', 'scenario')).toEqual(['load', 'spike']);
    expect(whole.tagValues('http_reqs', 'status')).toEqual(['200', '201', '202', '500', '503']);
    expect(whole.tagValues('http_reqs', 'url')).toEqual([]); // not a kept tag
    const s = whole.series().filter((x) => x.metric === 'http_reqs');
    expect(s.every((x) => x.type === 'counter' && x.tags.url === undefined)).toBe(true);
    expect(s.length).toBe(new Set(select('http_reqs').map((p) => `${p.tags.scenario}|${p.tags.name}|${p.tags.status}`)).size);
  });

  it('builds a 1-second time series', () => {
    const span = whole.span()!;
    expect(span.start).toBeCloseTo(points[0]!.timeMs, 3);
    const ts = whole.timeSeries();
    expect(ts[0]!.t).toBe(Math.floor(span.start / 1000) * 1000);
    expect(ts.length).toBe(Math.floor(span.end / 1000) - Math.floor(span.start / 1000) + 1);
    expect(ts.reduce((a, b) => a + b.requests, 0)).toBe(ITERATIONS);
    for (const b of ts) {
      const inSec = (p: FixturePoint): boolean => Math.floor(p.timeMs / 1000) * 1000 === b.t;
      expect(b.requests).toBe(select('http_reqs').filter(inSec).length);
      expect(b.failed).toBe(select('http_req_failed').filter((p) => inSec(p) && p.value !== 0).length);
      const d = select('http_req_duration')
        .filter(inSec)
        .map((p) => p.value)
        .sort((x, y) => x - y);
      if (d.length === 0) expect(b.p95).toBeNull();
      else expect(Math.abs(b.p95! - refPercentile(d, 95)) / refPercentile(d, 95)).toBeLessThan(0.011);
    }
    const filtered = whole.timeSeries({ scenario: 'spike', status: '500' });
    expect(filtered.length).toBe(ts.length);
    expect(filtered.reduce((a, b) => a + b.requests, 0)).toBe(select('http_reqs', { scenario: 'spike', status: '500' }).length);
  });

  it('gives a log-spaced latency distribution that counts every request', () => {
    const dist = whole.latencyDistribution();
    expect(dist.length).toBeGreaterThanOrEqual(20);
    expect(dist.length).toBeLessThanOrEqual(40);
    expect(dist.reduce((a, b) => a + b.count, 0)).toBe(ITERATIONS);
    for (let i = 1; i < dist.length; i++) expect(dist[i]!.le).toBeGreaterThan(dist[i - 1]!.le);
    expect(dist[dist.length - 1]!.le).toBeGreaterThanOrEqual(whole.trend('http_req_duration')!.max);
    // Bars are roughly geometric: the ratio between consecutive bounds stays near-constant.
    const ratio = dist[dist.length - 2]!.le / dist[dist.length - 3]!.le;
    expect(dist[5]!.le / dist[4]!.le).toBeCloseTo(ratio, 1);
    expect(whole.latencyDistribution({ status: 'nope' })).toEqual([]);
  });

  it('honours custom seriesTags and reports progress', async () => {
    const seen: number[] = [];
    const r = await ingestK6Ndjson(join(dir, 'whole.ndjson'), { seriesTags: ['scenario'], onProgress: (n) => seen.push(n) });
    expect(r.series().filter((s) => s.metric === 'http_req_duration')).toHaveLength(2);
    expect(r.counter('http_reqs', { scenario: 'load' })).toBe(select('http_reqs', { scenario: 'load' }).length);
    expect(r.counter('http_reqs', { status: '200' })).toBe(0);
    expect(seen[seen.length - 1]).toBe(r.stats().lines);
  });

  it('reads gzip files, CRLF lines and lines without a final newline', async () => {
    const text = toNdjson(points.slice(0, 500));
    writeFileSync(join(dir, 'a.ndjson.gz'), gzipSync(text));
    writeFileSync(join(dir, 'crlf.ndjson'), text.replace(/\n/g, '\r\n').replace(/\r\n$/, ''));
    const a = await ingestK6Ndjson(join(dir, 'a.ndjson.gz'));
    const b = await ingestK6Ndjson(join(dir, 'crlf.ndjson'));
    expect(a.stats().malformed).toBe(0);
    expect(b.stats()).toEqual(a.stats());
    expect(b.trend('http_req_duration')).toEqual(a.trend('http_req_duration'));
  });

  it('reads multi-byte characters across read chunks, decode pieces and byte ranges, one thread or several', async () => {
    // Most bytes belong to 2-, 3- and 4-byte UTF-8 characters, so chunk, piece and range boundaries fall inside them.
    const names = ['日本語', 'é', '😀', 'ñandú', 'a"b\\'];
    const want = new Map<string, number>();
    const lines = [
      '{"type":"Metric","data":{"name":"m😀","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"m😀"}',
    ];
    for (let i = 0; i < 8000; i++) {
      const name = names[i % names.length]!.repeat(1 + (i % 23));
      const tags = `{"scenario":"s","name":${JSON.stringify(name)},"url":"${'ü'.repeat(i % 41)}"}`;
      const data = `{"time":"2026-11-26T15:00:0${i % 10}.5Z","value":${i},"tags":${tags}}`;
      lines.push(i % 2 ? `{"metric":"m😀","type":"Point","data":${data}}` : `{"type":"Point","data":${data},"metric":"m😀"}`);
      want.set(name, (want.get(name) ?? 0) + i);
    }
    const path = join(dir, 'utf8.ndjson');
    writeFileSync(path, lines.join('\n') + '\n');
    const one = await ingestK6Ndjson(path, { threads: 1 });
    const several = await ingestK6Ndjson(path, { threads: 3, parallelMinBytes: 0, pieceBytes: 100_003 });
    for (const r of [one, several]) {
      expect(r.stats()).toEqual({ lines: 8001, points: 8000, malformed: 0 });
      for (const [name, sum] of want) expect(r.counter('m😀', { name }), name).toBe(sum);
    }
  });

  it('handles an empty file and fails clearly on a missing one', async () => {
    writeFileSync(join(dir, 'empty.ndjson'), '');
    const e = await ingestK6Ndjson(join(dir, 'empty.ndjson'));
    expect(e.stats()).toEqual({ lines: 0, points: 0, malformed: 0 });
    expect(e.span()).toBeNull();
    expect(e.timeSeries()).toEqual([]);
    expect(e.trend('http_req_duration')).toBeNull();
    await expect(ingestK6Ndjson(join(dir, 'missing.ndjson'))).rejects.toMatchObject({ code: 'QSL_RUN_DIR_INVALID' });
  });
});

describe('mergeResults', () => {
  let segments: string[];
  let clean: RunResults;

  beforeAll(async () => {
    // Three execution segments: each iteration ran in exactly one, each file declares its metrics.
    segments = [0, 1, 2].map((k) => {
      const path = join(dir, `segment-${k}.ndjson`);
      writeNdjson(
        path,
        points.filter((p) => p.iter % 3 === k),
      );
      return path;
    });
    writeNdjson(join(dir, 'clean.ndjson'), points);
    clean = await ingestK6Ndjson(join(dir, 'clean.ndjson'));
  });

  function expectSame(a: RunResults, b: RunResults): void {
    const filters: TagFilter[] = [{}, { scenario: 'load' }, { status: '201' }, { name: 'POST /api/payments' }];
    for (const f of filters) {
      const ta = a.trend('http_req_duration', f)!;
      const tb = b.trend('http_req_duration', f)!;
      expect(ta.count).toBe(tb.count);
      expect(ta.min).toBe(tb.min);
      expect(ta.max).toBe(tb.max);
      expect(ta.mean).toBeCloseTo(tb.mean, 9);
      for (const p of ['p50', 'p90', 'p95', 'p99'] as const) expectClose(ta[p], tb[p]);
      expect(a.counter('http_reqs', f)).toBe(b.counter('http_reqs', f));
      expect(a.rate('http_req_failed', f)).toEqual(b.rate('http_req_failed', f));
      expect(a.timeSeries(f)).toEqual(b.timeSeries(f));
      expect(a.latencyDistribution(f)).toEqual(b.latencyDistribution(f));
    }
    expect(a.counter('events_published')).toBe(b.counter('events_published'));
    expect(a.rate('checks')).toEqual(b.rate('checks'));
    expect(a.gauge('vus')).toBe(b.gauge('vus'));
    expect(a.span()).toEqual(b.span());
    expect(a.stats().points).toBe(b.stats().points);
    expect(a.metrics()).toEqual(b.metrics());
    expect(a.series().length).toBe(b.series().length);
  }

  it('merging 3 segments equals ingesting the whole file', async () => {
    const parts = await Promise.all(segments.map((s) => ingestK6Ndjson(s)));
    const merged = mergeResults(parts);
    expectSame(merged, clean);
    expectTrendMatches(merged, 'http_req_duration', { scenario: 'spike' });
    // Inputs are untouched.
    expect(parts[0]!.counter('http_reqs')).toBe(ITERATIONS / 3);
  });

  it('ingesting the 3 paths at once equals both', async () => {
    const all = await ingestK6Ndjson(segments);
    expectSame(all, clean);
    expectSame(all, mergeResults([await ingestK6Ndjson(segments[2]!), await ingestK6Ndjson(segments.slice(0, 2))]));
  });

  it('ingesting on worker threads (one store per worker, merged) equals one thread, malformed lines included', async () => {
    const files = [...segments, join(dir, 'whole.ndjson')];
    const serial = await ingestK6Ndjson(files, { threads: 1 });
    const seen: number[] = [];
    const parallel = await ingestK6Ndjson(files, { threads: 2, parallelMinBytes: 0, onProgress: (n) => seen.push(n) });
    expectSame(parallel, serial);
    expect(parallel.stats()).toEqual(serial.stats());
    expect(parallel.stats().malformed).toBe(4);
    expect(parallel.series()).toEqual(expect.arrayContaining(serial.series()));
    expect(seen[seen.length - 1]).toBe(serial.stats().lines);
    await expect(ingestK6Ndjson([segments[0]!, join(dir, 'missing.ndjson')], { threads: 2, parallelMinBytes: 0 })).rejects.toMatchObject({
      code: 'QSL_RUN_DIR_INVALID',
    });
  });

  it('reading files cut into byte ranges on several threads equals one thread: no line lost or read twice', async () => {
    const files = [...segments, join(dir, 'crlf.ndjson'), join(dir, 'a.ndjson.gz')];
    const serial = await ingestK6Ndjson(files, { threads: 1 });
    for (const pieceBytes of [997, 4096, 50_000]) {
      const parallel = await ingestK6Ndjson(files, { threads: 3, parallelMinBytes: 0, pieceBytes });
      expectSame(parallel, serial);
      expect(parallel.stats()).toEqual(serial.stats());
    }
  });

  it('merges nothing into an empty result and rejects foreign objects', () => {
    expect(mergeResults([]).stats()).toEqual({ lines: 0, points: 0, malformed: 0 });
    expect(() => mergeResults([{} as RunResults])).toThrow(/ingestK6Ndjson/);
  });
});
