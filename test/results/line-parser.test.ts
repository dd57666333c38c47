import { describe, expect, it } from 'vitest';
import { LINE_BLANK, LINE_MALFORMED, LINE_METRIC, LINE_POINT, LineParser } from '../../lib/results/line-parser.js';
import { SecondSketches, SKETCH_BUCKETS, sketchQuantile } from '../../lib/results/second-sketch.js';

const KEYS = ['scenario', 'name', 'status'];

/** A parser whose interned tag ids are the JSON of the kept values, so tests can read them back. */
function parser(): { p: LineParser; tags: () => Array<string | undefined> } {
  const seen: Array<Array<string | undefined>> = [];
  const p = new LineParser(KEYS, (vals) => {
    const i = seen.findIndex((v) => JSON.stringify(v) === JSON.stringify(vals));
    if (i !== -1) return i;
    seen.push([...vals]);
    return seen.length - 1;
  });
  return { p, tags: () => seen[p.tags]! };
}

function parseAll(text: string) {
  const { p, tags } = parser();
  const out: Array<{ kind: number; metric?: string; value?: number; time?: string; tags?: Array<string | undefined> }> = [];
  let a = 0;
  let nl: number;
  while ((nl = text.indexOf('\n', a)) !== -1) {
    const kind = p.parse(text, a, nl);
    out.push(
      kind === LINE_POINT ? { kind, metric: p.metric, value: p.value, time: new Date(p.timeMs).toISOString(), tags: tags() } : { kind },
    );
    a = nl + 1;
  }
  return out;
}

const pointA = (time: string, value: string, tags: string, metric = 'http_req_duration'): string =>
  `{"type":"Point","data":{"time":"${time}","value":${value},"tags":${tags}},"metric":"${metric}"}`;
const pointB = (time: string, value: string, tags: string, metric = 'http_req_duration'): string =>
  `{"metric":"${metric}","type":"Point","data":{"time":"${time}","value":${value},"tags":${tags}}}`;

describe('LineParser', () => {
  it('reads both key orders, time zones, exponents and null tags', () => {
    const lines = [
      pointA('2026-11-26T15:00:01.123456789Z', '12.5', '{"scenario":"load","name":"a","status":"200"}'),
      pointB('2026-11-26T16:00:02.5+01:00', '1e-7', '{"status":"201","scenario":"s"}', 'x'),
      pointA('2026-11-26T15:00:03Z', '-3', 'null', 'vus'),
      pointA('2026-11-26T15:00:03Z', '0.12345678901234567', '{}', 'vus'),
    ];
    expect(parseAll(lines.join('\n') + '\n')).toEqual([
      { kind: LINE_POINT, metric: 'http_req_duration', value: 12.5, time: '2026-11-26T15:00:01.123Z', tags: ['load', 'a', '200'] },
      { kind: LINE_POINT, metric: 'x', value: 1e-7, time: '2026-11-26T15:00:02.500Z', tags: ['s', undefined, '201'] },
      { kind: LINE_POINT, metric: 'vus', value: -3, time: '2026-11-26T15:00:03.000Z', tags: [undefined, undefined, undefined] },
      {
        kind: LINE_POINT,
        metric: 'vus',
        value: 0.12345678901234567,
        time: '2026-11-26T15:00:03.000Z',
        tags: [undefined, undefined, undefined],
      },
    ]);
  });

  it('parses decimals exactly like JSON.parse', () => {
    const values = ['0.1', '123.456789', '999999999999999', '0.000001', '5e+21', '1.0000000000000002', '7'];
    const text = values.map((v) => pointA('2026-11-26T15:00:01Z', v, '{}')).join('\n') + '\n';
    expect(parseAll(text).map((r) => r.value)).toEqual(values.map(Number));
  });

  it('never confuses tag sets that differ in one character (tag cache)', () => {
    const t = '2026-11-26T15:00:01.1Z';
    const lines = [
      pointA(t, '1', '{"scenario":"load","name":"GET /a/1","status":"200","url":"http://x/1"}'),
      pointA(t, '2', '{"scenario":"load","name":"GET /a/1","status":"200","url":"http://x/1"}'),
      pointA(t, '3', '{"scenario":"load","name":"GET /a/2","status":"200","url":"http://x/1"}'),
      pointA(t, '4', '{"scenario":"load","name":"GET /a/1","status":"500","url":"http://x/1"}'),
      pointA(t, '5', '{"scenario":"load","name":"GET /a/1","status":"200","url":"http://x/1"}'),
      pointA(t, '6', '{"scenario":"load","name":"GET /a/1","status":"200","url":"http://x/1"},"extra":1'),
    ];
    const r = parseAll(lines.join('\n') + '\n');
    expect(r.map((x) => x.tags?.join('|'))).toEqual([
      'load|GET /a/1|200',
      'load|GET /a/1|200',
      'load|GET /a/2|200',
      'load|GET /a/1|500',
      'load|GET /a/1|200',
      'load|GET /a/1|200', // valid JSON with an unknown key: read by the slow path
    ]);
    expect(r[5]!.value).toBe(6);
  });

  it('keeps times right when key orders and seconds alternate', () => {
    const tags = '{"scenario":"a"}';
    const lines = [
      pointA('2026-11-26T15:00:01.5Z', '1', tags),
      pointB('2026-11-26T15:00:07.5Z', '1', tags),
      pointA('2026-11-26T15:00:01.25Z', '1', tags),
      pointA('2026-11-26T16:00:01.25+01:00', '1', tags),
      pointA('2026-11-26T15:00:01.75Z', '1', tags),
    ];
    expect(parseAll(lines.join('\n') + '\n').map((x) => x.time)).toEqual([
      '2026-11-26T15:00:01.500Z',
      '2026-11-26T15:00:07.500Z',
      '2026-11-26T15:00:01.250Z',
      '2026-11-26T15:00:01.250Z',
      '2026-11-26T15:00:01.750Z',
    ]);
  });

  it('unescapes tag values and metric names, and handles braces and quotes inside values', () => {
    const line = String.raw`{"type":"Point","data":{"time":"2026-11-26T15:00:01Z","value":1,"tags":{"scenario":"lo\"ad}","name":"GET /x?a=1\u0026b={id}","status":"\\"}},"metric":"m\u00e9"}`;
    expect(parseAll(line + '\n')[0]).toMatchObject({ kind: LINE_POINT, metric: 'mé', tags: ['lo"ad}', 'GET /x?a=1&b={id}', '\\'] });
  });

  it('classifies Metric, blank, truncated and invalid lines', () => {
    const { p } = parser();
    const metric =
      '{"type":"Metric","data":{"name":"checks","type":"rate","contains":"default","thresholds":[],"submetrics":null},"metric":"checks"}';
    expect(p.parse(metric, 0, metric.length)).toBe(LINE_METRIC);
    expect([p.metric, p.metricType]).toEqual(['checks', 'rate']);
    expect(p.parse('', 0, 0)).toBe(LINE_BLANK);
    const bad = [
      pointA('2026-11-26T15:00:01Z', '1', '{"scenario":"lo'),
      pointA('2026-11-26T15:00:01Z', '1', '{}').slice(0, -2),
      pointA('not a time at all, really', '1', '{}'),
      pointA('2026-11-26T15:00:01Z', '"1"', '{}'),
      '{"type":"Point"}',
      '[1,2]',
      'null',
    ];
    for (const b of bad) expect(p.parse(b, 0, b.length), b).toBe(LINE_MALFORMED);
  });
});

describe('SecondSketches', () => {
  it('gives p95 within 1% after compaction, late samples and merging', () => {
    const a = new SecondSketches();
    const values: number[] = [];
    for (let sec = 0; sec < 30; sec++) for (let i = 1; i <= 100; i++) a.add(sec, sec * 10 + i * 0.37);
    for (let i = 1; i <= 100; i++) values.push(0 * 10 + i * 0.37);
    a.add(0, 1000); // late sample re-opens a compacted second
    values.push(1000);
    const b = new SecondSketches();
    b.addAll(a);
    for (const s of [a, b]) {
      const acc = new Float64Array(SKETCH_BUCKETS);
      const total = s.addInto(0, acc);
      expect(total).toBe(101);
      const sorted = [...values].sort((x, y) => x - y);
      const ref = sorted[Math.ceil(0.95 * sorted.length) - 1]!;
      expect(Math.abs(sketchQuantile(acc, total, 0.95)! - ref) / ref).toBeLessThan(0.01);
    }
  });

  it('merging equals adding every sample to one sketch: shared, disjoint, compacted and open seconds', () => {
    const one = new SecondSketches();
    const a = new SecondSketches();
    const b = new SecondSketches();
    // a: seconds 0..39, b: seconds 20..59 (overlap 20..39); the last seconds of each stay open (not yet compacted).
    for (let sec = 0; sec < 60; sec++) {
      for (let i = 0; i < 50; i++) {
        const ms = ((sec * 7 + i * 13) % 400) + 0.5;
        if (sec < 40) a.add(sec, ms);
        if (sec >= 20) b.add(sec, ms * 1.5, 2);
        if (sec < 40) one.add(sec, ms);
        if (sec >= 20) one.add(sec, ms * 1.5, 2);
      }
    }
    a.addAll(b);
    for (let sec = 0; sec < 60; sec++) {
      const want = new Float64Array(SKETCH_BUCKETS);
      const got = new Float64Array(SKETCH_BUCKETS);
      expect(a.addInto(sec, got), `second ${sec}`).toBe(one.addInto(sec, want));
      expect(got).toEqual(want);
    }
    // b is unchanged by being merged into a.
    const rest = new Float64Array(SKETCH_BUCKETS);
    expect(b.addInto(10, rest)).toBe(0);
    expect(b.addInto(30, rest)).toBe(100);
  });
});
