/**
 * Deterministic, realistic k6 `--out json` output for tests: the points are kept in memory as the
 * reference the ingested results are checked against.
 */
import { writeFileSync } from 'node:fs';
import { seededRandom } from '../../lib/fixtures/index.js';

/** The sandbox's seeded PRNG, so every run of the tests sees the same data. */
export const rng = seededRandom;

export interface FixturePoint {
  metric: string;
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  value: number;
  timeMs: number;
  tags: Record<string, string>;
  /** Iteration index, used to split the run like k6 execution segments. */
  iter: number;
}

const ENDPOINTS = [
  { name: 'POST /api/users/signup', method: 'POST', ok: '201', url: 'http://127.0.0.1:1/api/users/signup' },
  { name: 'GET /api/orders/{id}', method: 'GET', ok: '200', url: 'http://127.0.0.1:1/api/orders/17?x=1&y=2' },
  { name: 'POST /api/payments', method: 'POST', ok: '202', url: 'http://127.0.0.1:1/api/payments' },
];

/** A run of `iterations` iterations over ~`seconds` seconds, two scenarios, ~5% failures. */
export function generatePoints(iterations: number, seconds = 20, seed = 42): FixturePoint[] {
  const r = rng(seed);
  const t0 = Date.UTC(2026, 10, 26, 15, 0, 0, 250);
  const out: FixturePoint[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = t0 + Math.floor((i / iterations) * seconds * 1000) + r() * 3;
    const scenario = i % 3 === 0 ? 'spike' : 'load';
    const ep = ENDPOINTS[i % ENDPOINTS.length]!;
    const failed = r() < 0.05;
    const status = failed ? (r() < 0.5 ? '500' : '503') : ep.ok;
    const tags = {
      scenario,
      name: ep.name,
      status,
      method: ep.method,
      expected_response: failed ? 'false' : 'true',
      group: '',
      url: ep.url,
      proto: 'HTTP/1.1',
    };
    // Log-normal-ish latency with a tail; some sub-millisecond values.
    const duration = i % 17 === 0 ? r() * 0.9 + 0.01 : Math.exp(2 + r() * 2 + (r() < 0.02 ? 3 : 0)) * (1 + r() * 0.01);
    const push = (metric: string, type: FixturePoint['type'], value: number, pointTags: Record<string, string> = tags): void => {
      out.push({ metric, type, value, timeMs: t, tags: pointTags, iter: i });
    };
    push('http_reqs', 'counter', 1);
    push('http_req_duration', 'trend', duration);
    push('http_req_blocked', 'trend', r() < 0.9 ? 0 : r() * 2);
    push('http_req_waiting', 'trend', duration * 0.9);
    push('http_req_failed', 'rate', failed ? 1 : 0);
    const base = { scenario, group: '' };
    push('checks', 'rate', failed ? 0 : 1, { ...base, check: 'status is 2xx' });
    push('signup_latency', 'trend', 5 + r() * 100, base);
    push('events_published', 'counter', 1 + Math.floor(r() * 3), base);
    push('iterations', 'counter', 1, base);
    if (i % 50 === 0) push('vus', 'gauge', 1 + (i % 7), {});
  }
  return out;
}

/** RFC 3339 with nanoseconds, like Go; every 4th line uses a +01:00 offset (k6 writes local time). */
function goTime(ms: number, k: number): string {
  const whole = Math.floor(ms);
  const nanos = String(Math.min(999_999, Math.round((ms - whole) * 1e6))).padStart(6, '0');
  if (k % 4 !== 3) return new Date(whole).toISOString().replace('Z', `${nanos}Z`);
  const local = new Date(whole + 3600_000).toISOString().replace('Z', `${nanos}+01:00`);
  return local;
}

/** k6 NDJSON for `points`, a Metric line before each metric's first point. Mixes both key orders. */
export function toNdjson(points: readonly FixturePoint[]): string {
  const declared = new Set<string>();
  const lines: string[] = [];
  points.forEach((p, k) => {
    if (!declared.has(p.metric)) {
      declared.add(p.metric);
      const contains = p.type === 'trend' ? 'time' : 'default';
      lines.push(
        `{"type":"Metric","data":{"name":"${p.metric}","type":"${p.type}","contains":"${contains}","thresholds":[],"submetrics":null},"metric":"${p.metric}"}`,
      );
    }
    const data = { time: goTime(p.timeMs, k), value: p.value, tags: p.tags };
    // Go escapes & as \u0026, like k6 does.
    const dataJson = JSON.stringify(data).replace(/&/g, '\\u0026');
    if (k % 5 === 4) lines.push(`{"metric":"${p.metric}","type":"Point","data":${dataJson}}`);
    else if (k % 97 === 5)
      lines.push(`{"type":"Point","data":${dataJson.slice(0, -1)},"metadata":{"trace_id":"abc"}},"metric":"${p.metric}"}`);
    else lines.push(`{"type":"Point","data":${dataJson},"metric":"${p.metric}"}`);
  });
  return lines.map((l) => l + '\n').join('');
}

export function writeNdjson(path: string, points: readonly FixturePoint[], extra = ''): void {
  writeFileSync(path, toNdjson(points) + extra);
}
