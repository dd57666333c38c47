/**
 * AWS JSON 1.1 front door: `POST /` with `X-Amz-Target: AWSEvents.<Action>`. The only place
 * that turns typed errors into HTTP responses; unknown errors are rethrown (Fastify answers 500).
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { createEventBus } from './actions/create-event-bus.js';
import { deleteEventBus } from './actions/delete-event-bus.js';
import { deleteRule } from './actions/delete-rule.js';
import { describeEventBus } from './actions/describe-event-bus.js';
import { describeRule } from './actions/describe-rule.js';
import { disableRule } from './actions/disable-rule.js';
import { enableRule } from './actions/enable-rule.js';
import { listEventBuses } from './actions/list-event-buses.js';
import { listRules } from './actions/list-rules.js';
import { listTargetsByRule } from './actions/list-targets-by-rule.js';
import { putEvents } from './actions/put-events.js';
import { putRule } from './actions/put-rule.js';
import { putTargets } from './actions/put-targets.js';
import { removeTargets } from './actions/remove-targets.js';
import { testEventPattern } from './actions/test-event-pattern.js';
import { EventBridgeError, UnknownOperationError, serializeError } from './errors.js';
import type { Action, ActionContext, ActionInput } from './types.js';

const ACTIONS: Readonly<Record<string, Action>> = Object.freeze({
  CreateEventBus: createEventBus,
  DescribeEventBus: describeEventBus,
  ListEventBuses: listEventBuses,
  DeleteEventBus: deleteEventBus,
  PutRule: putRule,
  DescribeRule: describeRule,
  ListRules: listRules,
  EnableRule: enableRule,
  DisableRule: disableRule,
  DeleteRule: deleteRule,
  PutTargets: putTargets,
  RemoveTargets: removeTargets,
  ListTargetsByRule: listTargetsByRule,
  PutEvents: putEvents,
  TestEventPattern: testEventPattern,
});

const PREFIX = 'AWSEvents.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

class SerializationError extends EventBridgeError {
  constructor(reason: string) {
    super('SerializationException', `Request body is not valid JSON: ${reason}`);
  }
}

/** Builds (does not start) the HTTP app; `ctx` holds the store and the delivery engine. */
export function buildEventBridgeApp(ctx: ActionContext): FastifyInstance {
  // Above PutEvents' 256 KB so oversized batches get AWS's ValidationException, not a 413.
  const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024, forceCloseConnections: true });
  app.removeAllContentTypeParsers();
  // The SDK sends application/x-amz-json-1.1; accept any type, the body is always JSON.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(null, new SerializationError((err as Error).message));
    }
  });

  app.post('/', async (req, reply) => {
    reply.header('x-amzn-requestid', randomUUID());
    try {
      const target = String(req.headers['x-amz-target'] ?? '');
      const name = target.startsWith(PREFIX) ? target.slice(PREFIX.length) : '';
      const action = Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
      if (!action) throw new UnknownOperationError(target);
      const body: unknown = req.body ?? {};
      if (body instanceof SerializationError) throw body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new SerializationError('expected a JSON object');
      const result = await action(body as ActionInput, ctx);
      return reply
        .code(200)
        .header('content-type', CONTENT_TYPE)
        .send(JSON.stringify(result ?? {}));
    } catch (err) {
      if (!(err instanceof EventBridgeError)) throw err;
      const { statusCode, headers, body } = serializeError(err);
      return reply.code(statusCode).headers(headers).send(body);
    }
  });
  return app;
}
