import type { ServerResponse } from 'node:http';
import type { QslEvent } from '../../events/types.js';
import { faultIs, faultRatio, RatioGate } from '../../faults.js';
import { ConsumingService } from '../consuming-service.js';
import type { PaymentGatewayService } from '../payment/index.js';
import type { ServiceRegistry, ServiceFactory } from '../registry.js';
import type { ServiceContext, ServiceModule, StreamRoute } from '../types.js';
import {
  namedUsers,
  SSE_HEARTBEAT_MS,
  SSE_PATHS,
  SSE_POSITION_EVENT,
  SSE_RETRY_MS,
  USER_STREAM_TYPES,
  type SseGatewayKind,
  type StreamEventData,
} from './contract.js';

export * from './contract.js';

export const SSE_QUEUE = 'qsl-gateway-events';
const ADMIN_KEY = '\u0000admin';

export interface SseHubOptions {
  /** Heartbeat interval (default the contract's 15 s; tests shorten it). */
  heartbeatMs?: number;
  /** Events kept per stream for Last-Event-ID replay. */
  bufferSize?: number;
}

/** One logical stream (a user's, or the admin's platform-wide one): its id sequence, replay buffer and open clients. */
class Stream {
  seq = 0;
  readonly buffer: Array<{ id: number; frame: string }> = [];
  readonly clients = new Set<ServerResponse>();
}

/**
 * The gateways' event hub: consumes every platform event (its own queue on the bus and the legacy exchange, so a
 * producer on either path reaches the streams), assigns each user's stream a monotonic id, keeps a bounded buffer
 * for `Last-Event-ID` replay (a client without one first gets the stream's position) and writes to the open SSE responses with a heartbeat comment on every stream.
 * Faults: `sse.drop` (events lost on the streams only), `sse.disconnect` (every stream dropped at that interval in
 * seconds), `sse.heartbeat=off`.
 */
export class SseHub extends ConsumingService {
  private readonly byKey = new Map<string, Stream>();
  private readonly drop: RatioGate;
  private readonly heartbeatMs: number;
  private readonly bufferSize: number;
  private timers: NodeJS.Timeout[] = [];
  readonly stats = { published: 0, dropped: 0, disconnects: 0, heartbeats: 0, replayed: 0 };

  constructor(
    private readonly ctx: ServiceContext,
    private readonly registry: ServiceRegistry,
    opts: SseHubOptions = {},
  ) {
    super(ctx, { name: 'sse-hub', queue: SSE_QUEUE, legacyBindings: ['#'], handle: (e) => this.onEvent(e) });
    this.drop = new RatioGate(faultRatio(ctx.faults, 'sse.drop'));
    this.heartbeatMs = opts.heartbeatMs ?? SSE_HEARTBEAT_MS;
    this.bufferSize = opts.bufferSize ?? 1000;
  }

  override start(): void {
    super.start();
    if (!faultIs(this.ctx.faults, 'sse.heartbeat', 'off')) {
      this.timers.push(setInterval(() => this.heartbeat(), this.heartbeatMs).unref());
    }
    const every = Number(this.ctx.faults['sse.disconnect'] ?? 0);
    if (every > 0) this.timers.push(setInterval(() => this.dropAll(), every * 1000).unref());
  }

  override async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.closeAll();
    await super.stop();
  }

  /** Ends every open stream (gateway shutdown). */
  closeAll(): void {
    for (const s of this.byKey.values()) for (const res of s.clients) res.end();
  }

  /** Opens one client's stream on `key` (a user id, or the admin stream), replaying after Last-Event-ID. */
  open(kind: SseGatewayKind, userId: string, headers: Readonly<Record<string, string | string[] | undefined>>, res: ServerResponse): void {
    const key = kind === 'admin' ? ADMIN_KEY : userId;
    const stream = this.stream(key);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    let out = `retry: ${SSE_RETRY_MS}\n\n`;
    const raw = headers['last-event-id'];
    const last = Number.parseInt((Array.isArray(raw) ? raw[0] : raw) ?? '', 10);
    if (Number.isFinite(last)) {
      for (const b of stream.buffer) {
        if (b.id > last) {
          out += b.frame;
          this.stats.replayed += 1;
        }
      }
    } else {
      // A fresh client: its resume point, so that a drop before its first event loses nothing.
      out += `id: ${stream.seq}\nevent: ${SSE_POSITION_EVENT}\ndata: {"position":${stream.seq}}\n\n`;
    }
    res.write(out);
    stream.clients.add(res);
    res.on('close', () => stream.clients.delete(res));
  }

  /** Open client connections, by stream kind. */
  connections(): { user: number; admin: number } {
    let user = 0;
    for (const [k, s] of this.byKey) if (k !== ADMIN_KEY) user += s.clients.size;
    return { user, admin: this.byKey.get(ADMIN_KEY)?.clients.size ?? 0 };
  }

  private stream(key: string): Stream {
    return this.byKey.get(key) ?? this.byKey.set(key, new Stream()).get(key)!;
  }

  private async onEvent(event: QslEvent): Promise<void> {
    const data: StreamEventData = {
      eventId: event.eventId,
      type: event.type,
      runId: event.runId,
      correlationId: event.correlationId,
      occurredAt: event.occurredAt,
      payload: event.payload,
    };
    const json = JSON.stringify(data);
    this.write(ADMIN_KEY, event.type, json);
    for (const user of this.usersOf(event)) {
      if (this.drop.next()) {
        this.stats.dropped += 1;
        continue;
      }
      this.write(user, event.type, json);
    }
  }

  private usersOf(event: QslEvent): string[] {
    const users = namedUsers(event.type, event.payload);
    if (users.length || !USER_STREAM_TYPES.has(event.type) || !event.type.startsWith('Payment')) return users;
    // Payment events name the payment; its owner is the payer's user.
    try {
      const owner = this.registry.get<PaymentGatewayService>('payment').get(String(event.payload.paymentId))?.ownerId;
      return owner ? [owner] : [];
    } catch {
      return [];
    }
  }

  private write(key: string, type: string, json: string): void {
    const s = this.stream(key);
    s.seq += 1;
    const frame = `id: ${s.seq}\nevent: ${type}\ndata: ${json}\n\n`;
    s.buffer.push({ id: s.seq, frame });
    if (s.buffer.length > this.bufferSize) s.buffer.shift();
    if (key !== ADMIN_KEY) this.stats.published += 1;
    for (const res of s.clients) res.write(frame);
  }

  private heartbeat(): void {
    const line = `: heartbeat ${Date.now()}\n\n`;
    for (const s of this.byKey.values()) {
      for (const res of s.clients) {
        res.write(line);
        this.stats.heartbeats += 1;
      }
    }
  }

  private dropAll(): void {
    for (const s of this.byKey.values()) {
      for (const res of s.clients) {
        this.stats.disconnects += 1;
        res.end();
      }
    }
  }
}

const GATEWAY_NAMES: Record<SseGatewayKind, string> = { mobile: 'mobile-gateway', web: 'web-gateway', admin: 'admin-gateway' };

/** One of the three API gateways: its SSE route on the hub, up while the hub is. */
class SseGateway implements ServiceModule {
  readonly name: string;
  readonly streams: readonly StreamRoute[];
  constructor(
    kind: SseGatewayKind,
    private readonly hub: SseHub,
  ) {
    this.name = GATEWAY_NAMES[kind];
    this.streams = [
      {
        url: SSE_PATHS[kind],
        auth: true,
        open: (req, res) => hub.open(kind, req.userId, req.headers, res),
        closeAll: () => hub.closeAll(),
      },
    ];
  }
  health() {
    return this.hub.health();
  }
}

/** The hub, then the Mobile, Web and Admin gateways on it (start order). */
export function sseGatewayFactories(opts: SseHubOptions = {}): ServiceFactory[] {
  let hub: SseHub | undefined;
  const gateway =
    (kind: SseGatewayKind): ServiceFactory =>
    () =>
      new SseGateway(kind, hub!);
  return [(ctx, registry) => (hub = new SseHub(ctx, registry, opts)), gateway('mobile'), gateway('web'), gateway('admin')];
}
