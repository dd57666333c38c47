/**
 * The harness's own taps on a target's buses, scoped to one run, so that nothing shared is consumed:
 * - EventBridge: a rule matching only this run's events (runId in the detail) and a queue it feeds,
 *   both named `qsl-harness-<runId>`, deleted at the end of the run;
 * - leftovers of a run that could not clean up (killed, crashed) are deleted by the next run, by name
 *   prefix and the start time the name carries, once older than {@link LEFTOVER_AGE_MS}.
 */
import {
  DeleteRuleCommand,
  EventBridgeClient,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Target } from '../config/index.js';

export const HARNESS_PREFIX = 'qsl-harness-';
/** A harness tap older than this belongs to a run that is over: the longest run (MVP 4's 24-hour soak) plus a margin. */
export const LEFTOVER_AGE_MS = 30 * 60 * 60 * 1000;

/** `qsl-harness-mvp1-20261130T091500Z-a1b2c3`: fits both the rule (64) and the queue (80) name limits. */
export function tapName(runId: string, suffix = ''): string {
  const name = `${HARNESS_PREFIX}${runId}${suffix}`.replace(/[^A-Za-z0-9_-]/g, '-');
  return name.slice(0, 64);
}

/** The run's start time from a tap name, or undefined when the name carries none. */
export function tapStartedAt(name: string): number | undefined {
  const m = /-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-/.exec(name);
  if (!m) return undefined;
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return Number.isFinite(t) ? t : undefined;
}

/** An EventBridge client for the target (the SDK's standard credential chain; dummy ones for the sandbox). */
export function eventBridgeClientFor(target: Target): EventBridgeClient {
  return new EventBridgeClient({
    region: target.region,
    ...(target.eventbridgeEndpoint ? { endpoint: target.eventbridgeEndpoint } : {}),
    ...(target.sandbox ? { credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' } } : {}),
    maxAttempts: 3,
  });
}

export interface RunQueue {
  name: string;
  queueUrl: string;
  /** Deletes the rule (targets first) and the queue; safe to call twice. Returns what could not be deleted. */
  remove(): Promise<string[]>;
}

/** Creates this run's rule and queue on the target's bus. On a failure part-way, removes what it made. */
export async function createRunQueue(opts: {
  runId: string;
  bus: string;
  sqs: SQSClient;
  eventBridge: EventBridgeClient;
  /** Tells apart two taps of one run (`-sse`). */
  suffix?: string;
}): Promise<RunQueue> {
  const { sqs, eventBridge, bus } = opts;
  const name = tapName(opts.runId, opts.suffix);
  let queueUrl: string | undefined;
  let ruleMade = false;
  const remove = async (): Promise<string[]> => {
    const failed: string[] = [];
    if (ruleMade) {
      try {
        await eventBridge.send(new RemoveTargetsCommand({ Rule: name, EventBusName: bus, Ids: ['harness'] }));
        await eventBridge.send(new DeleteRuleCommand({ Name: name, EventBusName: bus }));
        ruleMade = false;
      } catch (e) {
        if (!isNotFound(e)) failed.push(`rule ${name} on bus ${bus}: ${(e as Error).message}`);
        else ruleMade = false;
      }
    }
    if (queueUrl) {
      try {
        await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
        queueUrl = undefined;
      } catch (e) {
        if (!isNotFound(e)) failed.push(`queue ${name}: ${(e as Error).message}`);
        else queueUrl = undefined;
      }
    }
    return failed;
  };
  try {
    const created = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { MessageRetentionPeriod: '86400' } }));
    queueUrl = created.QueueUrl;
    if (!queueUrl) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    const queueArn = attrs.Attributes?.QueueArn;
    if (!queueArn) throw new Error(`GetQueueAttributes ${name} returned no QueueArn`);
    const rule = await eventBridge.send(
      new PutRuleCommand({
        Name: name,
        EventBusName: bus,
        EventPattern: JSON.stringify({ source: [{ prefix: 'qsl.' }], detail: { runId: [opts.runId] } }),
        State: 'ENABLED',
        Description: `qsl-harness tap of run ${opts.runId}; deleted when the run ends`,
      }),
    );
    ruleMade = true;
    // On AWS the queue must let this rule send to it.
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: queueArn,
          Condition: { ArnEquals: { 'aws:SourceArn': rule.RuleArn } },
        },
      ],
    };
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: JSON.stringify(policy) } }));
    const out = await eventBridge.send(
      new PutTargetsCommand({ Rule: name, EventBusName: bus, Targets: [{ Id: 'harness', Arn: queueArn }] }),
    );
    if ((out.FailedEntryCount ?? 0) > 0) throw new Error(`PutTargets ${name}: ${JSON.stringify(out.FailedEntries)}`);
    return { name, queueUrl, remove };
  } catch (e) {
    await remove().catch(() => []);
    throw e;
  }
}

/**
 * Deletes harness rules and queues of runs that ended without cleaning up: name prefix `qsl-harness-`
 * and a start time older than `maxAgeMs`. Never touches anything else. Returns the names deleted.
 */
export async function removeLeftoverTaps(opts: {
  bus: string;
  sqs: SQSClient;
  eventBridge: EventBridgeClient;
  now?: number;
  maxAgeMs?: number;
}): Promise<string[]> {
  const now = opts.now ?? Date.now();
  const maxAge = opts.maxAgeMs ?? LEFTOVER_AGE_MS;
  const old = (name: string) => {
    const t = tapStartedAt(name);
    return t !== undefined && now - t > maxAge;
  };
  const removed: string[] = [];
  let next: string | undefined;
  do {
    const page = await opts.eventBridge.send(new ListRulesCommand({ EventBusName: opts.bus, NamePrefix: HARNESS_PREFIX, NextToken: next }));
    for (const r of page.Rules ?? []) {
      const rule = r.Name;
      if (!rule || !old(rule)) continue;
      const gone = await goneAlready(async () => {
        const targets = await opts.eventBridge.send(new ListTargetsByRuleCommand({ Rule: rule, EventBusName: opts.bus }));
        const ids = (targets.Targets ?? []).map((t) => t.Id!).filter(Boolean);
        if (ids.length) await opts.eventBridge.send(new RemoveTargetsCommand({ Rule: rule, EventBusName: opts.bus, Ids: ids }));
        await opts.eventBridge.send(new DeleteRuleCommand({ Name: rule, EventBusName: opts.bus }));
      });
      if (!gone) removed.push(`rule ${rule}`);
    }
    next = page.NextToken;
  } while (next);
  const queues = await opts.sqs.send(new ListQueuesCommand({ QueueNamePrefix: HARNESS_PREFIX }));
  for (const url of queues.QueueUrls ?? []) {
    const name = url.slice(url.lastIndexOf('/') + 1);
    if (!name.startsWith(HARNESS_PREFIX) || !old(name)) continue;
    if (!(await goneAlready(() => opts.sqs.send(new DeleteQueueCommand({ QueueUrl: url }))))) removed.push(`queue ${name}`);
  }
  return removed;
}

/**
 * Runs a deletion; true when what it deletes was already gone: another run starting at the same time cleans the same
 * leftovers, and losing that race is no failure.
 */
async function goneAlready(remove: () => Promise<unknown>): Promise<boolean> {
  try {
    await remove();
    return false;
  } catch (e) {
    if (isNotFound(e)) return true;
    throw e;
  }
}

function isNotFound(e: unknown): boolean {
  const name = (e as { name?: string }).name ?? '';
  return name === 'ResourceNotFoundException' || name === 'QueueDoesNotExist' || name === 'AWS.SimpleQueueService.NonExistentQueue';
}
