import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { faultMs, faultRatio, RatioGate, type FaultSet } from '../../faults.js';
import type { ServiceRegistry } from '../registry.js';
import { HttpError, type Authenticator, type HttpRoute, type ServiceModule, type StreamRoute } from '../types.js';

export interface GatewayOptions {
  registry: ServiceRegistry;
  authenticator: Authenticator;
  faults: FaultSet;
  log: (line: string) => void;
}

/** Per-service fault state: a deterministic 5xx gate and a fixed delay. */
interface ServiceFaults {
  error: RatioGate;
  latencyMs: number;
}

/**
 * The gateway: one fastify app exposing every registered module's routes plus GET /health.
 * `gateway.*` faults act on every request; `<service>.*` faults on the routes that service owns.
 */
export class Gateway implements ServiceModule {
  readonly name = 'gateway';
  readonly app: FastifyInstance;
  private listening = false;
  private readonly faultState = new Map<string, ServiceFaults>();

  constructor(private readonly opts: GatewayOptions) {
    this.app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
    // Accept `Content-Type: application/json` with an empty body (POST .../execute from clients that always set it).
    this.app.removeContentTypeParser('application/json');
    this.app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
      if (body === '') return done(null, undefined);
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(new HttpError(400, 'INVALID_JSON', 'request body is not valid JSON'), undefined);
      }
    });
    this.app.setErrorHandler((err, _req, reply) => this.sendError(reply, err));
    this.app.setNotFoundHandler((req, reply) =>
      reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url}` } }),
    );
    this.app.get('/health', (req, reply) => this.handle('gateway', req, reply, async () => this.healthResult()));
    for (const m of opts.registry.all()) {
      for (const route of m.routes ?? []) this.addRoute(m.name, route);
      for (const stream of m.streams ?? []) this.addStream(m.name, stream);
    }
  }

  health() {
    return this.listening ? ('up' as const) : ('down' as const);
  }

  async listen(host: string, port: number): Promise<string> {
    const address = await this.app.listen({ host, port });
    this.listening = true;
    return address.replace('localhost', '127.0.0.1');
  }

  async stop(): Promise<void> {
    this.listening = false;
    await this.app.close();
  }

  private healthResult() {
    const services = this.opts.registry.health();
    const ok = Object.values(services).every((s) => s === 'up');
    return { status: ok ? 200 : 503, body: { status: ok ? 'ok' : 'degraded', services } };
  }

  private faultsFor(service: string): ServiceFaults {
    let f = this.faultState.get(service);
    if (!f) {
      f = {
        error: new RatioGate(this.ownsFault(service, 'error') ? 0 : faultRatio(this.opts.faults, `${service}.error`)),
        latencyMs: this.ownsFault(service, 'latency') ? 0 : faultMs(this.opts.faults, `${service}.latency`),
      };
      this.faultState.set(service, f);
    }
    return f;
  }

  /** Whether the module named `service` applies its `<service>.<kind>` knob itself. */
  private ownsFault(service: string, kind: string): boolean {
    if (service === this.name) return false;
    return this.opts.registry.all().some((m) => m.name === service && (m.ownFaults ?? []).includes(kind));
  }

  private addRoute(service: string, route: HttpRoute): void {
    this.app.route({
      method: route.method,
      url: route.url,
      handler: (req, reply) =>
        this.handle(service, req, reply, async (trace) => {
          let userId = '';
          if (route.auth) {
            const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
            userId = (m && this.opts.authenticator.authenticate(m[1])) || '';
            if (!userId) throw new HttpError(401, 'UNAUTHORIZED', 'missing or unknown bearer token; log in first');
          }
          return route.handler({
            body: req.body,
            params: (req.params ?? {}) as Record<string, string>,
            query: (req.query ?? {}) as Record<string, string | undefined>,
            userId,
            trace,
            headers: req.headers,
          });
        }),
    });
  }

  /** A long-lived stream: auth and the owning service's faults as for any route, then the module takes the raw response. */
  private addStream(service: string, route: StreamRoute): void {
    // Open streams would keep app.close() waiting: end them first.
    this.app.addHook('preClose', (done) => {
      route.closeAll();
      done();
    });
    this.app.get(route.url, async (req, reply) => {
      let userId = '';
      if (route.auth) {
        const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
        userId = (m && this.opts.authenticator.authenticate(m[1])) || '';
        if (!userId)
          return reply.code(401).send({ error: { code: 'UNAUTHORIZED', message: 'missing or unknown bearer token; log in first' } });
      }
      for (const s of ['gateway', service]) {
        const f = this.faultsFor(s);
        if (f.latencyMs > 0) await sleep(f.latencyMs);
        if (f.error.next())
          return reply.code(503).send({ error: { code: 'FAULT_INJECTED', message: `fault ${s}.error answered this request` } });
      }
      reply.hijack();
      route.open({ userId, headers: req.headers }, reply.raw);
      return reply;
    });
  }

  /** Trace headers, gateway faults, the owning service's faults, then the handler. */
  private async handle(
    service: string,
    req: FastifyRequest,
    reply: FastifyReply,
    run: (trace: { runId: string; correlationId: string }) => Promise<{ status: number; body: unknown; headers?: Record<string, string> }>,
  ): Promise<FastifyReply> {
    const runId = header(req, 'x-run-id') ?? 'none';
    const correlationId = header(req, 'x-correlation-id') ?? randomUUID();
    reply.header('x-correlation-id', correlationId);
    for (const s of service === 'gateway' ? ['gateway'] : ['gateway', service]) {
      const f = this.faultsFor(s);
      if (f.latencyMs > 0) await sleep(f.latencyMs);
      if (f.error.next()) {
        return reply.code(503).send({ error: { code: 'FAULT_INJECTED', message: `fault ${s}.error answered this request` } });
      }
    }
    try {
      const result = await run({ runId, correlationId });
      if (result.headers) reply.headers(result.headers);
      return reply.code(result.status).send(result.body);
    } catch (err) {
      return this.sendError(reply, err);
    }
  }

  private sendError(reply: FastifyReply, err: unknown): FastifyReply {
    if (err instanceof HttpError) {
      return reply.code(err.status).send({ error: { code: err.code, message: err.message } });
    }
    const e = err as { statusCode?: number; code?: string; message?: string };
    if (typeof e.statusCode === 'number' && e.statusCode < 500) {
      return reply.code(e.statusCode).send({ error: { code: e.code ?? 'BAD_REQUEST', message: e.message ?? '' } });
    }
    this.opts.log(`gateway: unhandled error: ${e.message ?? String(err)}`);
    return reply.code(500).send({ error: { code: 'INTERNAL', message: e.message ?? 'internal error' } });
  }
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s && s.length > 0 ? s : undefined;
}
