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

/** Deterministic PRNG (LCG) for the differential test below. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x80000000;
  };
}

/** Go-like JSON string body: `&`, `<`, `>` as \u00XX, like k6 writes them. */
const goString = (v: string): string => JSON.stringify(v).replace(/[&<>]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);

describe('LineParser against JSON.parse', () => {
  // Values chosen to stress the tag cache (same length, one character apart, at any position) and escapes.
  const VALUES = ['load', 'spike', 'lo"ad', 'lo\\ad', 'loaé', 'lóad', '日本語', '😀x', 'a&b', 'GET /a/{id}', 'GET /a/{ie}', '', '}', '","'];
  const OTHER_KEYS = ['url', 'method', 'group', 'scénario'];
  const NUMBERS = ['0', '-0', '1', '-3', '12.5', '0.000001', '1e-7', '-2.5E+3', '5e21', '123456789012345678', '0.1234567890123456789'];

  function randomLine(r: () => number, k: number): { line: string; time: string } {
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    let tags: string;
    if (r() < 0.05) tags = 'null';
    else {
      const keys = [...KEYS, ...OTHER_KEYS].filter(() => r() < 0.6);
      // Any key order: k6 sorts keys, other writers need not.
      keys.sort(() => r() - 0.5);
      tags = `{${keys.map((key) => `${goString(key)}:${goString(pick(VALUES))}`).join(',')}}`;
    }
    const frac =
      r() < 0.2
        ? ''
        : '.' +
          String(Math.floor(r() * 1e9))
            .padStart(9, '0')
            .slice(0, 1 + Math.floor(r() * 9));
    const zone = r() < 0.8 ? 'Z' : '+01:00';
    const time = `2026-11-26T15:00:0${Math.floor(r() * 3)}${frac}${zone}`;
    const metric = goString(pick(['http_req_duration', 'http_reqs', 'checks', 'métrique', 'a&b']));
    const data = `{"time":"${time}","value":${pick(NUMBERS)},"tags":${tags}}`;
    const line = k % 3 === 2 ? `{"metric":${metric},"type":"Point","data":${data}}` : `{"type":"Point","data":${data},"metric":${metric}}`;
    return { line, time };
  }

  /** What the parser must report for `line`, from JSON.parse. */
  function expected(line: string): { kind: number; metric?: string; value?: number; tags?: Array<string | undefined> } {
    let o: { type?: string; metric?: string; data?: { value?: unknown; tags?: Record<string, unknown> | null } };
    try {
      o = JSON.parse(line) as typeof o;
    } catch {
      return { kind: LINE_MALFORMED };
    }
    if (o.type !== 'Point' || typeof o.metric !== 'string' || typeof o.data?.value !== 'number') return { kind: LINE_MALFORMED };
    const tags = o.data.tags ?? {};
    return { kind: LINE_POINT, metric: o.metric, value: o.data.value, tags: KEYS.map((key) => tags[key] as string | undefined) };
  }

  it('reads random k6-like lines exactly as JSON.parse does, including cut-off and corrupted ones', () => {
    const r = lcg(7);
    const lines: Array<{ line: string; time?: string }> = [];
    for (let k = 0; k < 4000; k++) {
      const { line, time } = randomLine(r, k);
      // Lines repeat (a request's samples share tags): the cache path is taken as well as the parse path.
      const copies = 1 + Math.floor(r() * 3);
      for (let c = 0; c < copies; c++) lines.push({ line, time });
      const x = r();
      if (x < 0.03)
        lines.push({ line: line.slice(0, 1 + Math.floor(r() * (line.length - 1))) }); // cut off
      else if (x < 0.05)
        lines.push({ line: line.slice(0, -2) + '\\"}' }); // escaped closing quote: invalid
      else if (x < 0.07) lines.push({ line: line.replace('"tags":', '"tags": '), time }); // valid, unusual spacing
    }
    // One text, as ingestion hands the parser a decoded piece with many lines.
    const text = lines.map((l) => l.line).join('\n') + '\n';
    const { p, tags } = parser();
    let a = 0;
    for (const l of lines) {
      const e = text.indexOf('\n', a);
      const kind = p.parse(text, a, e);
      a = e + 1;
      const want = expected(l.line);
      expect(kind, l.line).toBe(want.kind);
      if (want.kind !== LINE_POINT) continue;
      expect({ metric: p.metric, tags: tags() }, l.line).toEqual({ metric: want.metric, tags: want.tags });
      expect(Object.is(p.value, want.value), `${l.line}: ${p.value}`).toBe(true);
      // The parser keeps the sub-millisecond part of the time.
      const zone = l.time!.slice(19).replace(/^\.\d+/, '');
      const fraction = l.time!.slice(19, l.time!.length - zone.length);
      const ms = Date.parse(l.time!.slice(0, 19) + zone) + (fraction ? Number('0' + fraction) * 1000 : 0);
      expect(Math.abs(p.timeMs - ms), l.line).toBeLessThan(1e-6);
    }
  });

  it('never confuses many tag sets of the same length (one cache slot each)', () => {
    const lines: string[] = [];
    const want: string[] = [];
    for (let i = 0; i < 600; i++) {
      const name = `GET /${String(i).padStart(4, '0')}`; // same length, differ in any digit
      for (let c = 0; c < 2; c++) {
        lines.push(pointA('2026-11-26T15:00:01Z', String(i), `{"scenario":"s","name":"${name}","status":"200"}`));
        want.push(`s|${name}|200`);
      }
    }
    // Revisit the first ones after they left the cache.
    for (let i = 0; i < 50; i++) {
      lines.push(pointA('2026-11-26T15:00:01Z', '1', `{"scenario":"s","name":"GET /${String(i).padStart(4, '0')}","status":"200"}`));
      want.push(`s|GET /${String(i).padStart(4, '0')}|200`);
    }
    expect(parseAll(lines.join('\n') + '\n').map((x) => x.tags?.join('|'))).toEqual(want);
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
