/**
 * `npm run bench -- ingest [--lines N] [--files F]`: k6 NDJSON ingestion (lib/results) on one thread
 * against a bare split-lines + JSON.parse loop over the same file, then F files of N/F lines each (runners or
 * segments of one run) ingested on every core against the same bare loop over those files on one
 * thread, plus peak RSS of ingesting N/2 vs 2N lines (1M vs 4M by default), each in its own child
 * process so the numbers are not polluted.
 * Last line: `ingest ratio=<a/b> parallel_ratio=<c/d> lines_per_s=<a> peak_rss_mb=<m>`.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingestK6Ndjson } from '../lib/results/index.js';

const GENERATOR_VERSION = 1;
const here = dirname(fileURLToPath(import.meta.url));

export async function main(args: string[]): Promise<void> {
  const child = flag(args, '--child');
  if (child !== undefined) return childIngest(child);
  const lines = Number(flag(args, '--lines') ?? 2_000_000);
  if (!Number.isInteger(lines) || lines < 1000) throw new Error(`--lines: expected an integer >= 1000, got ${flag(args, '--lines')}`);
  const fileCount = Number(flag(args, '--files') ?? 4);
  if (!Number.isInteger(fileCount) || fileCount < 2) throw new Error(`--files: expected an integer >= 2, got ${flag(args, '--files')}`);

  const main = await ensureFile(lines);
  const small = await ensureFile(Math.round(lines / 2));
  const large = await ensureFile(lines * 2);

  // Alternate the two loops three times and keep the best of each: the file is in the page cache after
  // the first pass, and alternating evens out CPU frequency / GC noise on small machines.
  let best = { a: 0, b: 0 };
  let ingested = 0;
  for (let round = 0; round < 3; round++) {
    const b = await timed(() => bareJsonParse(main));
    const a = await timed(async () => (ingested = (await ingestK6Ndjson(main, { threads: 1 })).stats().lines));
    best = { a: Math.max(best.a, lines / a), b: Math.max(best.b, lines / b) };
    console.log(`round ${round + 1}: ingest ${fmt(lines / a)} lines/s, bare JSON.parse ${fmt(lines / b)} lines/s`);
  }
  if (ingested !== lines) throw new Error(`ingested ${ingested} lines, expected ${lines}`);

  // Several files (one per runner or segment), ingested on worker threads, against the bare loop
  // over the same files on one thread.
  const perFile = Math.round(lines / fileCount);
  const parts: string[] = [];
  for (let v = 1; v <= fileCount; v++) parts.push(await ensureFile(perFile, v));
  const threads = availableParallelism();
  let bestPar = { a: 0, b: 0 };
  for (let round = 0; round < 3; round++) {
    const b = await timed(async () => {
      for (const p of parts) await bareJsonParse(p);
    });
    const a = await timed(async () => (ingested = (await ingestK6Ndjson(parts)).stats().lines));
    bestPar = { a: Math.max(bestPar.a, (perFile * fileCount) / a), b: Math.max(bestPar.b, (perFile * fileCount) / b) };
    console.log(
      `round ${round + 1}: ${fileCount} files on ${threads} threads ${fmt((perFile * fileCount) / a)} lines/s, bare JSON.parse on one thread ${fmt((perFile * fileCount) / b)} lines/s`,
    );
  }
  if (ingested !== perFile * fileCount) throw new Error(`ingested ${ingested} lines, expected ${perFile * fileCount}`);

  // Each ingestion in its own process, default V8 flags. Heap used after a full GC shows what
  // ingestion actually retains (it grows only with the run's duration: per-second data).
  const rssSmall = childRss(small);
  const rssLarge = childRss(large);
  for (const r of [rssSmall, rssLarge]) {
    console.log(
      `peak RSS ${label(r.lines)} lines: ${r.maxRssMb.toFixed(1)} MB (heap after GC ${r.heapAfterGcMb.toFixed(1)} MB, ${r.seconds.toFixed(1)} s)`,
    );
  }
  const growth = (rssLarge.maxRssMb / rssSmall.maxRssMb - 1) * 100;
  console.log(
    `peak RSS ${label(rssLarge.lines)} vs ${label(rssSmall.lines)} lines: ${growth >= 0 ? '+' : ''}${growth.toFixed(1)}% (target: within 10%)`,
  );
  console.log(
    `ingest ratio=${(best.a / best.b).toFixed(2)} parallel_ratio=${(bestPar.a / bestPar.b).toFixed(2)} lines_per_s=${Math.round(best.a)} peak_rss_mb=${rssLarge.maxRssMb.toFixed(1)}`,
  );
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i !== -1) return args[i + 1];
  const eq = args.find((a) => a.startsWith(`${name}=`));
  return eq?.slice(name.length + 1);
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const label = (n: number): string => (n % 1_000_000 === 0 ? `${n / 1_000_000}M` : String(n));

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/** The baseline: the same chunked read, split lines, JSON.parse each, nothing else. */
async function bareJsonParse(path: string): Promise<number> {
  let n = 0;
  let rest = '';
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 16 }) as AsyncIterable<Buffer>) {
    const text = rest + chunk.toString('utf8');
    let a = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', a)) !== -1) {
      JSON.parse(text.slice(a, nl));
      n++;
      a = nl + 1;
    }
    rest = text.slice(a);
  }
  if (rest.length > 0) {
    JSON.parse(rest);
    n++;
  }
  return n;
}

interface RssSample {
  lines: number;
  maxRssMb: number;
  heapAfterGcMb: number;
  seconds: number;
}

async function childIngest(path: string): Promise<void> {
  const t = Date.now();
  const r = await ingestK6Ndjson(path, { threads: 1 });
  const seconds = (Date.now() - t) / 1000;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  (globalThis as { gc?: () => void }).gc?.();
  const heapAfterGcMb = process.memoryUsage().heapUsed / 2 ** 20;
  // Keep `r` alive until after the GC so the heap figure includes everything it retains.
  const out: RssSample = { lines: r.stats().lines, maxRssMb, heapAfterGcMb, seconds };
  console.log(JSON.stringify(out));
}

function childRss(path: string): RssSample {
  const args = ['--expose-gc', '--import', 'tsx', join(here, 'run.ts'), 'ingest', '--child', path];
  const res = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (res.status !== 0) throw new Error(`child ingestion of ${path} failed (exit ${res.status})`);
  const last = res.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as RssSample;
}

// ---- synthetic k6 output ----

const ENDPOINTS = [
  ['POST /api/users/signup', 'POST', '201', 'http://127.0.0.1:8080/api/users/signup'],
  ['GET /api/users/{id}', 'GET', '200', 'http://127.0.0.1:8080/api/users/'],
  ['POST /api/orders', 'POST', '201', 'http://127.0.0.1:8080/api/orders'],
  ['GET /api/orders/{id}', 'GET', '200', 'http://127.0.0.1:8080/api/orders/'],
  ['POST /api/payments', 'POST', '202', 'http://127.0.0.1:8080/api/payments'],
  ['GET /api/notifications?user={id}', 'GET', '200', 'http://127.0.0.1:8080/api/notifications?limit=10\\u0026user='],
] as const;
const TRENDS = [
  'http_req_blocked',
  'http_req_connecting',
  'http_req_tls_handshaking',
  'http_req_sending',
  'http_req_waiting',
  'http_req_receiving',
];
const TYPES: Record<string, string> = {
  http_reqs: 'counter',
  http_req_duration: 'trend',
  http_req_failed: 'rate',
  checks: 'rate',
  data_sent: 'counter',
  data_received: 'counter',
  iterations: 'counter',
  iteration_duration: 'trend',
  vus: 'gauge',
  signup_latency: 'trend',
  event_delivery_ms: 'trend',
  events_published: 'counter',
};
for (const t of TRENDS) TYPES[t] = 'trend';

/**
 * Writes a deterministic k6-like file of exactly `lines` lines into os.tmpdir(), reused when a
 * file of the same generator version and line count exists with the recorded size.
 * ~1000 requests/s over two scenarios, 6 endpoints, ~3% errors; 18-19 lines per iteration.
 * `variant` > 0 gives a file with other random draws (another runner of the same run).
 */
async function ensureFile(lines: number, variant = 0): Promise<string> {
  const path = join(tmpdir(), `qsl-bench-k6-v${GENERATOR_VERSION}-${lines}${variant ? `-r${variant}` : ''}.ndjson`);
  const meta = `${path}.meta.json`;
  if (existsSync(path) && existsSync(meta)) {
    const m = JSON.parse(readFileSync(meta, 'utf8')) as { bytes: number };
    if (statSync(path).size === m.bytes) return path;
  }
  const t = Date.now();
  let seed = 12345 + variant * 7919;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
  const out = createWriteStream(path);
  const declared = new Set<string>();
  let buf = '';
  let written = 0;
  let bytes = 0;
  const t0 = Date.UTC(2026, 10, 26, 15, 0, 0);
  const emit = async (line: string): Promise<boolean> => {
    if (written >= lines) return false;
    buf += line + '\n';
    written++;
    if (buf.length > 1 << 22) {
      bytes += Buffer.byteLength(buf);
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', r));
      buf = '';
    }
    return written < lines;
  };
  const point = async (metric: string, time: string, value: number | string, tags: string): Promise<boolean> => {
    if (!declared.has(metric)) {
      declared.add(metric);
      const type = TYPES[metric]!;
      const line = `{"type":"Metric","data":{"name":"${metric}","type":"${type}","contains":"${type === 'trend' ? 'time' : 'default'}","thresholds":[],"submetrics":null},"metric":"${metric}"}`;
      if (!(await emit(line))) return false;
    }
    return emit(`{"type":"Point","data":{"time":"${time}","value":${value},"tags":${tags}},"metric":"${metric}"}`);
  };
  gen: for (let i = 0; ; i++) {
    const ms = t0 + i; // 1000 iterations per second
    const nanos = String(Math.floor(rand() * 1e6)).padStart(6, '0');
    const time = new Date(ms).toISOString().replace('Z', `${nanos}Z`);
    const scenario = i % 4 === 0 ? 'spike' : 'load';
    const [name, method, okStatus, url] = ENDPOINTS[i % ENDPOINTS.length]!;
    const failed = rand() < 0.03;
    const status = failed ? '503' : okStatus;
    const id = Math.floor(rand() * 100000);
    const fullUrl = url.endsWith('/') || url.endsWith('=') ? url + id : url;
    const tags = `{"scenario":"${scenario}","name":"${name}","status":"${status}","method":"${method}","expected_response":"${!failed}","group":"","url":"${fullUrl}","proto":"HTTP/1.1","tls_version":""}`;
    const base = `{"scenario":"${scenario}","group":""}`;
    const duration = (Math.exp(1 + rand() * 4 + (rand() < 0.01 ? 2 : 0)) + rand()).toFixed(6);
    if (!(await point('http_reqs', time, 1, tags))) break;
    if (!(await point('http_req_duration', time, duration, tags))) break;
    for (const tr of TRENDS) {
      const v =
        tr === 'http_req_waiting'
          ? (Number(duration) * 0.9).toFixed(6)
          : tr.endsWith('ing') && rand() < 0.8
            ? 0
            : (rand() * 0.5).toFixed(6);
      if (!(await point(tr, time, v, tags))) break gen;
    }
    if (!(await point('http_req_failed', time, failed ? 1 : 0, tags))) break;
    const check = `{"scenario":"${scenario}","group":"","check":"status is ${okStatus}"}`;
    if (!(await point('checks', time, failed ? 0 : 1, check))) break;
    if (!(await point('data_sent', time, 200 + (i % 300), base))) break;
    if (!(await point('data_received', time, 500 + (i % 900), base))) break;
    if (!(await point(i % 2 ? 'signup_latency' : 'event_delivery_ms', time, (rand() * 200).toFixed(6), base))) break;
    if (!(await point('events_published', time, 1, base))) break;
    if (!(await point('iteration_duration', time, (Number(duration) + 1.5).toFixed(6), base))) break;
    if (!(await point('iterations', time, 1, base))) break;
    if (i % 1000 === 0 && !(await point('vus', time, 50, '{}'))) break;
  }
  bytes += Buffer.byteLength(buf);
  out.end(buf);
  await new Promise<void>((r) => out.once('close', r));
  writeFileSync(meta, JSON.stringify({ lines, bytes, generator: GENERATOR_VERSION }));
  console.log(`generated ${path} (${fmt(lines)} lines, ${(bytes / 2 ** 20).toFixed(0)} MB) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return path;
}
