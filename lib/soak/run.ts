/**
 * One SSE soak: N clients held for the planned duration while k6 drives the event-producing traffic, checked
 * against the buses, with a checkpoint every interval so a soak killed at any moment (even SIGKILL) still reports.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Target } from '../config/index.js';
import { SseClientPool, type SoakUser } from './clients.js';
import { emptyCounters, encodeHistogram, newMsHistogram, type SoakCheckpoint } from './stats.js';
import { BusWitness } from './witness.js';

export interface SoakOptions {
  runId: string;
  /** Full URL of the user stream (e.g. `<gateway>/api/mobile/events`). */
  streamUrl: string;
  adminUrl: string;
  sqs: SQSClient;
  target: Target;
  users: readonly SoakUser[];
  plannedMs: number;
  heartbeatMs: number;
  retryMs: number;
  /** Where checkpoints go (`<run dir>/soak`). */
  dir: string;
  /** Default: every minute, or a sixth of the planned duration when that is shorter (a smoke soak still checkpoints). */
  checkpointEveryMs?: number;
  /** How long to wait after the steady phase for the last events to arrive. */
  settleMs?: number;
  signal: AbortSignal;
  /** Resolves when the traffic that feeds the streams has stopped (k6 finished); the soak then settles. */
  trafficDone?: Promise<unknown>;
  log: (line: string) => void;
}

export const CHECKPOINT_FILE = 'checkpoint.json';

function fmt(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h ? `${h}:${String(m).padStart(2, '0')}` : m}:${String(s % 60).padStart(2, '0')}`;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** Runs the soak to its planned duration (or until aborted) and returns the last checkpoint. */
export async function runSoak(o: SoakOptions): Promise<SoakCheckpoint> {
  mkdirSync(o.dir, { recursive: true });
  const counters = emptyCounters();
  const reconnectMs = newMsHistogram();
  const deliveryMs = newMsHistogram();
  const samples = { missed: [] as string[], duplicates: [] as string[] };
  const rss: SoakCheckpoint['rss'] = [];
  const startedAt = new Date();
  let steadyFrom = Number.POSITIVE_INFINITY;
  let steadyUntil: number | null = null;
  const every = o.checkpointEveryMs ?? Math.max(1_000, Math.min(60_000, Math.floor(o.plannedMs / 6)));

  const witness = new BusWitness({
    runId: o.runId,
    sqs: o.sqs,
    target: o.target,
    adminUrl: o.adminUrl,
    users: new Set(o.users.map((u) => u.userId)),
    since: () => steadyFrom,
    log: o.log,
  });
  const pool = new SseClientPool({
    url: o.streamUrl,
    users: o.users,
    counters,
    reconnectMs,
    deliveryMs,
    retryMs: o.retryMs,
    onEvent: (user, data) => witness.received(user, data.eventId, data.type, data.payload),
    onDuplicate: (s) => samples.duplicates.length < 20 && samples.duplicates.push(s),
  });

  let lastReceived = 0;
  let lastAt = Date.now();
  const checkpoint = (final: boolean): SoakCheckpoint => {
    const now = Date.now();
    pool.foldOpenGaps(now);
    counters.eventsPerSecond = Math.round(((counters.received - lastReceived) / Math.max(1, now - lastAt)) * 10_000) / 10;
    lastReceived = counters.received;
    lastAt = now;
    counters.expected = witness.expected;
    counters.idGaps = pool.idGaps();
    // Mid-soak, an event counts as missed once it is 10 s old; at the end, whatever is still pending.
    const m = witness.missed(final ? Number.POSITIVE_INFINITY : now - 10_000);
    counters.missed = m.count;
    samples.missed = m.samples;
    rss.push({ t: now, mb: Math.round((process.memoryUsage().rss / 1048576) * 10) / 10 });
    const cp: SoakCheckpoint = {
      schemaVersion: 1,
      runId: o.runId,
      startedAt: startedAt.toISOString(),
      at: new Date(now).toISOString(),
      plannedMs: o.plannedMs,
      elapsedMs: Number.isFinite(steadyFrom) ? (steadyUntil ?? now) - steadyFrom : 0,
      final,
      clients: o.users.length,
      heartbeatMs: o.heartbeatMs,
      retryMs: o.retryMs,
      counters: { ...counters, disconnects: { ...counters.disconnects } },
      samples: { missed: [...samples.missed], duplicates: [...samples.duplicates] },
      histograms: { reconnectMs: encodeHistogram(reconnectMs), deliveryMs: encodeHistogram(deliveryMs) },
      rss: [...rss],
    };
    const file = join(o.dir, CHECKPOINT_FILE);
    writeFileSync(`${file}.tmp`, JSON.stringify(cp));
    renameSync(`${file}.tmp`, file);
    return cp;
  };

  await witness.start();
  try {
    checkpoint(false);
    pool.open();
    const connectBy = Date.now() + 30_000;
    while (pool.connected < o.users.length && Date.now() < connectBy && !o.signal.aborted) await sleep(50);
    steadyFrom = Date.now();
    o.log(
      `  soak: ${pool.connected}/${o.users.length} SSE clients connected; holding them ${fmt(o.plannedMs)}, checkpoint every ${fmt(every)}`,
    );
    const end = steadyFrom + o.plannedMs;
    while (!o.signal.aborted && Date.now() < end) {
      await sleep(Math.min(every, end - Date.now()), o.signal);
      if (Date.now() >= end || o.signal.aborted) break;
      const cp = checkpoint(false);
      const d = cp.counters.disconnects;
      o.log(
        `  soak ${fmt(cp.elapsedMs)}/${fmt(o.plannedMs)}  clients ${cp.counters.connected}/${cp.clients}  ${cp.counters.eventsPerSecond} events/s  disconnects ${d['server-closed'] + d['network-error'] + d['http-error']}  missed ${cp.counters.missed}`,
      );
    }
    steadyUntil = Date.now();
    // The last events: wait for the traffic to stop, then until every expected event is delivered (bounded).
    if (!o.signal.aborted) {
      if (o.trafficDone) {
        // Bounded, and the timer cancelled once the traffic is done (a pending timer would keep the process alive).
        const waited = new AbortController();
        const stopWaiting = () => waited.abort();
        o.signal.addEventListener('abort', stopWaiting, { once: true });
        await Promise.race([o.trafficDone, sleep(30_000, waited.signal)]);
        waited.abort();
        o.signal.removeEventListener('abort', stopWaiting);
      }
      const settleBy = Date.now() + (o.settleMs ?? 5_000);
      await sleep(1_500, o.signal);
      while (witness.outstanding > 0 && Date.now() < settleBy && !o.signal.aborted) await sleep(100);
      // A stream in the middle of its reconnect is not "left disconnected" unless it misses its retry + 1 s.
      const reconnectBy = Date.now() + o.retryMs + 1000;
      while (pool.connected < o.users.length && Date.now() < reconnectBy && !o.signal.aborted) await sleep(50);
    }
    const final = checkpoint(!o.signal.aborted);
    return final;
  } finally {
    pool.close();
    await witness.stop();
  }
}
