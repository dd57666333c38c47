/**
 * The soak's SSE clients: one `eventsource` (4.x) EventSource per user, reconnecting as a browser would (the
 * server's `retry:`, `Last-Event-ID`). A thin `fetch` wrapper sees what EventSource hides: heartbeat comment lines
 * and why a stream ended. Everything measured goes into the shared {@link SoakCounters} and histograms.
 */
import { EventSource, type FetchLike } from 'eventsource';
import type { Histogram } from 'hdr-histogram-js';
import { SSE_POSITION_EVENT, USER_STREAM_TYPES, type StreamEventData } from '../sandbox/index.js';
import type { DisconnectCause, SoakCounters } from './stats.js';

export interface SoakUser {
  userId: string;
  token: string;
}

export interface ClientPoolOptions {
  /** Full URL of the user stream, e.g. `<gateway>/api/mobile/events`. */
  url: string;
  users: readonly SoakUser[];
  counters: SoakCounters;
  reconnectMs: Histogram;
  deliveryMs: Histogram;
  /** The server's announced retry, used when EventSource gave up and the pool reconnects itself. */
  retryMs: number;
  /** Each received user event (for the exactly-once check against the buses). */
  onEvent(userId: string, data: StreamEventData): void;
  onDuplicate(sample: string): void;
  /** The HTTP client under EventSource (default the global fetch; a test may hold a reconnect back). */
  fetch?: typeof fetch;
}

const COLON = 0x3a;
const NEWLINE = 0x0a;
const RECENT_IDS = 2000;

class SoakClient {
  private es: EventSource | null = null;
  /** The resume point: the last id seen on the stream (an event's, or the position it opened with); null before any. */
  private lastId: number | null = null;
  /** Ids skipped in the sequence and not (yet) received. */
  private readonly gaps = new Set<number>();
  /** Event ids received lately, for duplicate detection (bounded). */
  private readonly recent = new Set<string>();
  private lastBeatAt = 0;
  private disconnectedAt: number | null = null;
  /** Why the current response ended, as the fetch wrapper saw it. */
  private endCause: DisconnectCause | null = null;
  private closing = false;
  private retryTimer: NodeJS.Timeout | null = null;
  connected = false;

  constructor(
    private readonly user: SoakUser,
    private readonly opts: ClientPoolOptions,
  ) {}

  open(): void {
    const c = this.opts.counters;
    const es = new EventSource(this.opts.url, { fetch: this.fetch });
    this.es = es;
    es.addEventListener('open', () => {
      const now = Date.now();
      this.connected = true;
      c.connected += 1;
      this.lastBeatAt = now;
      this.endCause = null;
      if (this.disconnectedAt !== null) {
        this.opts.reconnectMs.recordValue(Math.max(1, now - this.disconnectedAt));
        c.reconnects += 1;
        this.disconnectedAt = null;
      }
    });
    es.addEventListener('error', () => {
      if (this.closing) return;
      if (this.connected) {
        this.connected = false;
        c.connected -= 1;
      }
      if (this.disconnectedAt === null) {
        this.disconnectedAt = Date.now();
        c.disconnects[this.endCause ?? 'network-error'] += 1;
      }
      // EventSource gives up on an HTTP error: reconnect as a dashboard would, after the retry.
      if (es.readyState === EventSource.CLOSED) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          if (!this.closing) this.open();
        }, this.opts.retryMs);
      }
    });
    const onEvent = (e: MessageEvent) => this.onEvent(e);
    for (const type of USER_STREAM_TYPES) es.addEventListener(type, onEvent);
    es.addEventListener('message', onEvent);
    es.addEventListener(SSE_POSITION_EVENT, (e: MessageEvent) => {
      const id = Number(e.lastEventId);
      if (this.lastId === null && Number.isFinite(id)) this.lastId = id;
    });
  }

  /** The open heartbeat gap so far (a stream that stopped beating shows here before it ends). */
  openGap(now: number): number {
    return this.connected ? now - this.lastBeatAt : 0;
  }

  close(): void {
    this.closing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.es?.close();
  }

  get openGaps(): number {
    return this.gaps.size;
  }

  private onEvent(e: MessageEvent): void {
    const c = this.opts.counters;
    const id = Number(e.lastEventId);
    let data: StreamEventData;
    try {
      data = JSON.parse(String(e.data)) as StreamEventData;
    } catch {
      return;
    }
    c.received += 1;
    const occurred = Date.parse(data.occurredAt);
    if (Number.isFinite(occurred)) this.opts.deliveryMs.recordValue(Math.max(0, Date.now() - occurred));
    if (this.recent.has(data.eventId)) {
      c.duplicates += 1;
      this.opts.onDuplicate(`${this.user.userId}:${data.eventId}`);
      return;
    }
    this.recent.add(data.eventId);
    if (this.recent.size > RECENT_IDS) this.recent.delete(this.recent.values().next().value!);
    if (Number.isFinite(id)) {
      // Without a position from the gateway, the first event is the baseline: what came before is not this client's.
      const last = this.lastId ?? id - 1;
      if (id > last) {
        for (let k = last + 1; k < id && this.gaps.size < 10_000; k++) this.gaps.add(k);
        this.lastId = id;
      } else if (this.gaps.delete(id)) c.outOfOrder += 1;
      else c.outOfOrder += 1;
    }
    this.opts.onEvent(this.user.userId, data);
  }

  /** Adds the bearer token and Last-Event-ID, and watches the body for heartbeat comments and how it ends. */
  private readonly fetch: FetchLike = async (url, init) => {
    const headers: Record<string, string> = { ...(init.headers as Record<string, string>), authorization: `Bearer ${this.user.token}` };
    // A new EventSource (after an HTTP error) knows no id: resume from ours, position 0 included.
    if (this.lastId !== null && !Object.keys(headers).some((h) => h.toLowerCase() === 'last-event-id'))
      headers['last-event-id'] = String(this.lastId);
    let res: Response;
    try {
      res = await (this.opts.fetch ?? fetch)(url, { ...init, headers } as RequestInit);
    } catch (err) {
      this.endCause = 'network-error';
      throw err;
    }
    if (res.status !== 200 || !res.body) {
      this.endCause = 'http-error';
      return res;
    }
    let atLineStart = true;
    const counters = this.opts.counters;
    const watch = new TransformStream<Uint8Array, Uint8Array>({
      transform: (chunk, ctl) => {
        for (let i = 0; i < chunk.length; i++) {
          const b = chunk[i];
          if (atLineStart && b === COLON) {
            const now = Date.now();
            counters.heartbeats += 1;
            counters.maxHeartbeatGapMs = Math.max(counters.maxHeartbeatGapMs, now - this.lastBeatAt);
            this.lastBeatAt = now;
          }
          atLineStart = b === NEWLINE;
        }
        ctl.enqueue(chunk);
      },
      flush: () => {
        this.endCause ??= 'server-closed';
      },
    });
    const body = res.body.pipeThrough(watch);
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

/** N clients, one per user, opened together. */
export class SseClientPool {
  private readonly clients: SoakClient[];

  constructor(private readonly opts: ClientPoolOptions) {
    this.clients = opts.users.map((u) => new SoakClient(u, opts));
  }

  open(): void {
    for (const c of this.clients) c.open();
  }

  get connected(): number {
    return this.clients.filter((c) => c.connected).length;
  }

  /** Folds the heartbeat gaps still open into the counters (a stream whose heartbeats stopped). */
  foldOpenGaps(now = Date.now()): void {
    for (const c of this.clients) this.opts.counters.maxHeartbeatGapMs = Math.max(this.opts.counters.maxHeartbeatGapMs, c.openGap(now));
  }

  /** Ids skipped on the streams and never received, over every client. */
  idGaps(): number {
    return this.clients.reduce((n, c) => n + c.openGaps, 0);
  }

  close(): void {
    for (const c of this.clients) c.close();
  }
}
