import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import Fastify, { type FastifyInstance } from 'fastify';
import { rolledBack } from '../../config/index.js';
import { isHarnessError } from '../../errors/index.js';
import type { BillingMeter } from '../billing.js';
import { faultIs, type FaultSet } from '../faults.js';
import type { FlagStore } from '../flag-store.js';
import type { LegacyTap } from '../legacy-bus/index.js';
import type { NotificationService } from '../services/notification/index.js';
import type { ServiceRegistry } from '../services/registry.js';
import { HttpError } from '../services/types.js';
import type { UserService } from '../services/user/index.js';
import type { AppliedTopology } from '../topology.js';

export interface AdminOptions {
  registry: ServiceRegistry;
  flags: FlagStore;
  faults: FaultSet;
  tap: LegacyTap;
  sqs: SQSClient;
  topology: AppliedTopology;
  /** AWS billing units counted on the wire (absent: GET /admin/billing answers 404). */
  billing?: BillingMeter;
  log: (line: string) => void;
}

/** The admin API (its own port): health, live flags, rollback, legacy tap, notification ledger, queue depths. */
export function buildAdminApp(opts: AdminOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  const { registry, flags } = opts;

  app.get('/admin/health', async (_req, reply) => {
    const services = registry.health();
    const ok = Object.values(services).every((s) => s === 'up');
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', services });
  });

  app.get('/admin/flags', async () => flags.get());

  app.get('/admin/billing', async (_req, reply) => {
    if (!opts.billing) return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'this sandbox does not meter AWS usage' } });
    return opts.billing.snapshot(opts.topology.queueUrls);
  });

  app.put('/admin/flags', async (req, reply) => {
    try {
      const next = flags.set(req.body, 'PUT /admin/flags body');
      opts.log(`admin: flags replaced: ${JSON.stringify(next.FeatureManagement.EventBridge)}`);
      return next;
    } catch (err) {
      if (isHarnessError(err, 'QSL_FLAGS_INVALID')) {
        return reply.code(400).send({ error: { code: err.code, message: err.message, issues: err.details } });
      }
      throw err;
    }
  });

  app.post('/admin/rollback', async () => {
    if (faultIs(opts.faults, 'rollback', 'broken')) {
      opts.log('admin: rollback requested; fault rollback=broken: answering 200 and changing nothing');
      return { flags: flags.get() };
    }
    const next = flags.set(rolledBack(flags.get()), 'rollback');
    opts.log('admin: rollback: every EventBridge flag set to false');
    return { flags: next };
  });

  app.get('/admin/legacy/events', async (req) => {
    const q = req.query as Record<string, string | undefined>;
    return opts.tap.query({
      runId: q.runId,
      after: intOr(q.after, 0),
      limit: intOr(q.limit, 1000),
    });
  });

  app.get('/admin/notifications', async (req) => {
    const runId = (req.query as Record<string, string | undefined>).runId;
    const user = registry.get<UserService>('user');
    const notification = registry.get<NotificationService>('notification');
    return {
      expected: user.emittedEvents(runId).map(({ eventId, userId, type }) => ({ eventId, userId, type })),
      delivered: notification
        .delivered(runId)
        .map(({ eventId, userId, type, createdAt }) => ({ eventId, userId, type, deliveredAt: createdAt })),
    };
  });

  app.get('/admin/queues', async () => {
    const depth = async (url: string) => {
      const out = await opts.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return {
        visible: Number(out.Attributes?.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
      };
    };
    const names = Object.keys(opts.topology.queueUrls);
    const queues = await Promise.all(
      names.map(async (name) => {
        const dlqUrl = opts.topology.dlqUrls[name];
        const [main, dlq] = await Promise.all([depth(opts.topology.queueUrls[name]), dlqUrl ? depth(dlqUrl) : { visible: 0, inFlight: 0 }]);
        return {
          name,
          approximateMessages: main.visible,
          inFlightMessages: main.inFlight,
          dlqMessages: dlq.visible + dlq.inFlight,
        };
      }),
    );
    return { queues };
  });

  // Read routes contributed by service modules (MVP 2: payments, ledger books, accounts).
  for (const m of registry.all()) {
    for (const route of m.adminRoutes ?? []) {
      app.route({
        method: route.method,
        url: route.url,
        handler: async (req, reply) => {
          try {
            const r = await route.handler({
              body: req.body,
              params: (req.params ?? {}) as Record<string, string>,
              query: (req.query ?? {}) as Record<string, string | undefined>,
              userId: '',
              trace: { runId: 'none', correlationId: '' },
            });
            return reply.code(r.status).send(r.body);
          } catch (err) {
            if (err instanceof HttpError) return reply.code(err.status).send({ error: { code: err.code, message: err.message } });
            throw err;
          }
        },
      });
    }
  }

  return app;
}

function intOr(v: string | undefined, fallback: number): number {
  const n = v === undefined ? NaN : Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : fallback;
}
