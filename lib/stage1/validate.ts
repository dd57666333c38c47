/**
 * Stage 1 validation (`npm run stage1`): the seed's "Infrastructure Only" stage checked through the AWS
 * APIs, before any service is migrated. Every line of the table is one check with what was found:
 * - the bus;
 * - each queue: it exists, FIFO where the topology needs ordering (QuantumLedger.Hub), its DLQ exists (FIFO
 *   like its queue) and the RedrivePolicy points at it with the topology's maxReceiveCount;
 * - each rule: it exists, is enabled and targets its queue (with a MessageGroupId for a FIFO queue);
 * - each rule's deployed pattern, through TestEventPattern against a sample event of every event type,
 *   gives the verdict the designed pattern gives;
 * - a canary round trip per rule: one canary event per event type is put on the bus and must reach
 *   exactly the queues the topology routes it to, and no other.
 * Canaries are marked (`detail.canary`, `metadata.delivery: "validation"`) and deleted where they land;
 * anything else met on a queue is released at once (visibility 0). Stage 1 has no consumers yet; on an
 * environment where services already consume the queues, a canary they take shows as not arrived.
 */
import {
  DescribeEventBusCommand,
  DescribeRuleCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  TestEventPatternCommand,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { randomBytes } from 'node:crypto';
import { dlqName, EVENT_CATALOGUE, matchesPattern, type Topology } from '../sandbox/index.js';
import { evaluateAccess, parsePolicyDocument } from './policy.js';
import { errorText } from './aws-error.js';

export interface Stage1Row {
  check: 'stack' | 'bus' | 'queue' | 'dlq' | 'rule' | 'pattern' | 'canary' | 'permissions' | 'security';
  subject: string;
  pass: boolean;
  detail: string;
  /** Not checked (e.g. the stack and permission lines without --stack): shown as SKIP, left out of the verdict. */
  skipped?: boolean;
}

export interface Stage1Result {
  verdict: 'GO' | 'NO-GO';
  rows: Stage1Row[];
}

/** What the checks read, for the permission and security lines that follow them. */
export interface QueueFacts {
  name: string;
  arn?: string;
  attributes: Record<string, string>;
}

export interface Stage1Inventory {
  bus?: { arn?: string; policy?: string };
  queues: QueueFacts[];
  /** By the name of the queue they serve. */
  dlqs: Map<string, QueueFacts>;
}

export interface Stage1Options {
  topology: Topology;
  /**
   * Also check each queue's policy lets the topology's rules for it send (`sqs:SendMessage` from
   * events.amazonaws.com with their rule ARN as aws:SourceArn): on with --stack, whose template defines the policies.
   */
  queuePolicies?: boolean;
  eventBridge: EventBridgeClient;
  sqs: SQSClient;
  account?: string;
  region: string;
  /** How long to wait for canaries to land (default 10 s). */
  canaryTimeoutMs?: number;
  /** false: no canary round trip (one SKIP line), for tests of the other lines on an emulator where it is slow. */
  canaries?: boolean;
  log?: (line: string) => void;
}

/** A sample EventBridge event of `type`, as the platform's publisher puts it on the bus. */
function sampleEvent(type: string, source: string, region: string, detail: Record<string, unknown>): Record<string, unknown> {
  return {
    version: '0',
    id: `stage1-${randomBytes(8).toString('hex')}`,
    'detail-type': type,
    source,
    account: '000000000000',
    time: new Date().toISOString(),
    region,
    resources: [],
    detail,
  };
}

/** Detail values satisfying the simple parts of a pattern's `detail` (exact values, prefix, suffix...), so a rule keyed on detail fields is exercised too. */
function exampleFor(pattern: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!pattern || typeof pattern !== 'object' || Array.isArray(pattern)) return out;
  for (const [key, value] of Object.entries(pattern)) {
    if (key === '$or') {
      if (Array.isArray(value) && value[0]) Object.assign(out, exampleFor(value[0]));
    } else if (Array.isArray(value)) {
      for (const m of value) {
        if (m === null || ['string', 'number', 'boolean'].includes(typeof m)) {
          out[key] = m;
          break;
        }
        const op = m && typeof m === 'object' ? (m as Record<string, unknown>) : {};
        if (typeof op.prefix === 'string') out[key] = `${op.prefix}x`;
        else if (typeof op.suffix === 'string') out[key] = `x${op.suffix}`;
        else if (typeof op['equals-ignore-case'] === 'string') out[key] = op['equals-ignore-case'];
        else if (typeof op.wildcard === 'string') out[key] = op.wildcard.replace(/\\?\*/g, (x) => (x === '*' ? 'x' : '*'));
        else if (op.exists === true) out[key] = 'x';
        if (key in out) break;
      }
    } else out[key] = exampleFor(value);
  }
  return out;
}

interface Sample {
  /** `UserSignedUp`, or `LedgerPostingRequested[qsl-ledger-accounts-2-rule]` for a variant aimed at one rule's detail fields. */
  key: string;
  type: string;
  source: string;
  detail: Record<string, unknown>;
}

/** One sample per event type, plus one aimed at each rule that filters on detail fields. */
function samplesFor(topology: Topology, region: string): Sample[] {
  const samples: Sample[] = [];
  for (const [type, { source }] of Object.entries(EVENT_CATALOGUE) as Array<[string, { source: string }]>) {
    samples.push({ key: type, type, source, detail: { type } });
    for (const r of topology.rules) {
      const pattern = r.eventPattern as { detail?: unknown };
      if (!pattern.detail) continue;
      const detail = { ...exampleFor(pattern.detail), type };
      if (matchesPattern(r.eventPattern, sampleEvent(type, source, region, detail)))
        samples.push({ key: `${type}[${r.name}]`, type, source, detail });
    }
  }
  return samples;
}

export async function validateStage1(opts: Stage1Options): Promise<Stage1Result & { inventory: Stage1Inventory }> {
  const { topology, eventBridge, sqs } = opts;
  const rows: Stage1Row[] = [];
  const row = (check: Stage1Row['check'], subject: string, pass: boolean, detail: string) => rows.push({ check, subject, pass, detail });
  const inventory: Stage1Inventory = { queues: [], dlqs: new Map() };

  try {
    const bus = await eventBridge.send(new DescribeEventBusCommand({ Name: topology.busName }));
    inventory.bus = { ...(bus.Arn ? { arn: bus.Arn } : {}), ...(bus.Policy ? { policy: bus.Policy } : {}) };
    row('bus', topology.busName, true, bus.Arn ?? 'exists');
  } catch (e) {
    row('bus', topology.busName, false, `DescribeEventBus: ${errorText(e)}`);
  }

  // Queues and their DLQs.
  const queueUrls = new Map<string, string>();
  const queueArns = new Map<string, string>();
  for (const q of topology.queues) {
    const fifo = q.name.endsWith('.fifo');
    let attrs: Record<string, string>;
    try {
      const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: q.name }))).QueueUrl!;
      attrs = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes ?? {};
      queueUrls.set(q.name, url);
      if (attrs.QueueArn) queueArns.set(q.name, attrs.QueueArn);
      inventory.queues.push({ name: q.name, ...(attrs.QueueArn ? { arn: attrs.QueueArn } : {}), attributes: attrs });
    } catch (e) {
      row('queue', q.name, false, `missing (${errorText(e)})`);
      row('dlq', q.name, false, 'queue missing');
      continue;
    }
    const isFifo = attrs.FifoQueue === 'true';
    row(
      'queue',
      q.name,
      isFifo === fifo,
      fifo
        ? isFifo
          ? 'FIFO, as ordering needs'
          : 'not FIFO: ordering needs a FIFO queue'
        : isFifo
          ? 'FIFO, expected standard'
          : 'standard',
    );
    if (!attrs.RedrivePolicy) {
      row(
        'dlq',
        q.name,
        false,
        `no RedrivePolicy: failed messages have no dead-letter queue (expected ${dlqName(q.name)}, maxReceiveCount ${q.maxReceiveCount})`,
      );
      continue;
    }
    let policy: { deadLetterTargetArn?: string; maxReceiveCount?: number | string };
    try {
      policy = JSON.parse(attrs.RedrivePolicy) as typeof policy;
    } catch {
      row('dlq', q.name, false, `RedrivePolicy is not JSON: ${attrs.RedrivePolicy}`);
      continue;
    }
    const problems: string[] = [];
    if (Number(policy.maxReceiveCount) !== q.maxReceiveCount)
      problems.push(`maxReceiveCount ${policy.maxReceiveCount}, expected ${q.maxReceiveCount}`);
    const dlqArnName = policy.deadLetterTargetArn?.slice(policy.deadLetterTargetArn.lastIndexOf(':') + 1);
    if (!dlqArnName) problems.push('RedrivePolicy names no deadLetterTargetArn');
    else {
      try {
        const dlqUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: dlqArnName }))).QueueUrl!;
        const dlqAttrs = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['All'] }))).Attributes ?? {};
        inventory.dlqs.set(q.name, { name: dlqArnName, ...(dlqAttrs.QueueArn ? { arn: dlqAttrs.QueueArn } : {}), attributes: dlqAttrs });
        if ((dlqAttrs.FifoQueue === 'true') !== fifo)
          problems.push(`DLQ ${dlqArnName} is ${fifo ? 'not FIFO' : 'FIFO'} while its queue is ${fifo ? 'FIFO' : 'standard'}`);
      } catch (e) {
        problems.push(`DLQ ${dlqArnName} does not exist (${errorText(e)})`);
      }
    }
    row(
      'dlq',
      q.name,
      problems.length === 0,
      problems.length ? problems.join('; ') : `${dlqArnName}, maxReceiveCount ${policy.maxReceiveCount}`,
    );
  }

  // Rules, their targets and their deployed patterns.
  const deployedPatterns = new Map<string, string>();
  const ruleArns = new Map<string, string>();
  for (const r of topology.rules) {
    try {
      const d = await eventBridge.send(new DescribeRuleCommand({ Name: r.name, EventBusName: topology.busName }));
      if (d.EventPattern) deployedPatterns.set(r.name, d.EventPattern);
      if (d.Arn) ruleArns.set(r.name, d.Arn);
      const targets =
        (await eventBridge.send(new ListTargetsByRuleCommand({ Rule: r.name, EventBusName: topology.busName }))).Targets ?? [];
      const want = queueArns.get(r.queue);
      const target = targets.find((t) => want !== undefined && t.Arn === want);
      const problems: string[] = [];
      if (d.State !== 'ENABLED') problems.push(`state ${d.State}`);
      if (!target) problems.push(`no target ${r.queue}${targets.length ? ` (targets: ${targets.map((t) => t.Arn).join(', ')})` : ''}`);
      if (target && r.queue.endsWith('.fifo') && !target.SqsParameters?.MessageGroupId) problems.push('FIFO target without MessageGroupId');
      row('rule', r.name, problems.length === 0, problems.length ? problems.join('; ') : `enabled, targets ${r.queue}`);
    } catch (e) {
      row('rule', r.name, false, `missing (${errorText(e)})`);
    }
  }

  if (opts.queuePolicies) checkQueuePolicies(topology, rows, inventory, ruleArns);

  const samples = samplesFor(topology, opts.region);
  // Set at the first TestEventPattern answered without a Result (moto 5.2's TestEventPattern is a stub answering an
  // empty 200). AWS always returns Result, so no Result means "not evaluated", never "does not match"; from then on
  // the harness's matcher evaluates the deployed patterns, and the line says so.
  let unanswered: string | undefined;
  for (const r of topology.rules) {
    const deployed = deployedPatterns.get(r.name);
    if (!deployed) {
      row('pattern', r.name, false, 'rule missing or has no event pattern');
      continue;
    }
    const wrong: string[] = [];
    let matched = 0;
    try {
      for (const sample of samples) {
        const event = sampleEvent(sample.type, sample.source, opts.region, {
          ...sample.detail,
          eventId: `sample-${sample.key}`,
          runId: 'stage1-sample',
        });
        const expected = matchesPattern(r.eventPattern, event);
        let result: boolean | undefined;
        if (!unanswered) {
          result = (await eventBridge.send(new TestEventPatternCommand({ EventPattern: deployed, Event: JSON.stringify(event) }))).Result;
          if (typeof result !== 'boolean') unanswered = `TestEventPattern answered without a Result (at ${r.name}, ${sample.key})`;
        }
        if (typeof result !== 'boolean') result = matchesPattern(JSON.parse(deployed) as Record<string, unknown>, event);
        if (result) matched += 1;
        if (result !== expected) wrong.push(`${sample.key} ${result ? 'matches' : 'does not match'}`);
      }
      const how = unanswered
        ? ` (evaluator: the harness's pattern matcher on the deployed pattern, as ${unanswered}; the canary line proves the routing)`
        : '';
      row(
        'pattern',
        r.name,
        wrong.length === 0,
        (wrong.length
          ? `differs from the design: ${wrong.join(', ')}`
          : `${matched} of ${samples.length} sample events match, as designed`) + how,
      );
    } catch (e) {
      row('pattern', r.name, false, `TestEventPattern: ${errorText(e)}`);
    }
  }

  if (opts.canaries === false)
    rows.push({ check: 'canary', subject: '(all rules)', pass: false, skipped: true, detail: 'canary round trip not run' });
  else rows.push(...(await canaryRoundTrip(opts, samples, queueUrls)));
  return { verdict: verdictOf(rows), rows, inventory };
}

/** GO when every line that was checked passes. */
export function verdictOf(rows: readonly Stage1Row[]): Stage1Result['verdict'] {
  return rows.every((r) => r.pass || r.skipped) ? 'GO' : 'NO-GO';
}

/** The queue line also says whether the queue's policy lets its rules (and only what the design needs) deliver. */
function checkQueuePolicies(topology: Topology, rows: Stage1Row[], inventory: Stage1Inventory, ruleArns: Map<string, string>): void {
  for (const facts of inventory.queues) {
    const line = rows.find((x) => x.check === 'queue' && x.subject === facts.name);
    if (!line || !facts.arn) continue;
    const rules = topology.rules.filter((r) => r.queue === facts.name);
    const document = parsePolicyDocument(facts.attributes.Policy);
    const problems: string[] = [];
    if (!document) problems.push(facts.attributes.Policy ? 'queue policy is not JSON' : 'no queue policy: its rules cannot deliver');
    else {
      const policy = { name: `queue policy of ${facts.name}`, document, kind: 'resource' as const };
      for (const r of rules) {
        const arn = ruleArns.get(r.name);
        if (!arn) continue; // the rule line says the rule is missing
        const d = evaluateAccess([policy], {
          action: 'sqs:SendMessage',
          resource: facts.arn,
          principal: { service: 'events.amazonaws.com' },
          context: { 'aws:SourceArn': arn },
        });
        if (d.decision !== 'allowed') problems.push(`rule ${r.name} may not send (${d.why})`);
      }
    }
    line.pass &&= problems.length === 0;
    line.detail += problems.length
      ? `; ${problems.join('; ')}`
      : `; its policy lets ${rules.length === 1 ? 'its rule' : `its ${rules.length} rules`} send`;
  }
}

async function canaryRoundTrip(opts: Stage1Options, samples: Sample[], queueUrls: Map<string, string>): Promise<Stage1Row[]> {
  const { topology, eventBridge, sqs } = opts;
  const canaryRun = `stage1-${randomBytes(4).toString('hex')}`;
  const canaryDetail = (s: Sample) => ({
    ...s.detail,
    eventId: `${canaryRun}-${s.key}`,
    runId: canaryRun,
    canary: s.key,
    metadata: { delivery: 'validation', producer: 'qsl-harness stage1' },
  });
  // Where each canary must land: the queues of the rules whose designed pattern matches it.
  const expected = new Map<string, Set<string>>();
  const expectedByRule = new Map<string, Set<string>>();
  for (const s of samples) {
    const event = sampleEvent(s.type, s.source, opts.region, canaryDetail(s));
    for (const r of topology.rules) {
      if (!matchesPattern(r.eventPattern, event)) continue;
      (expected.get(r.queue) ?? expected.set(r.queue, new Set()).get(r.queue)!).add(s.key);
      (expectedByRule.get(r.name) ?? expectedByRule.set(r.name, new Set()).get(r.name)!).add(s.key);
    }
  }
  const rowsFor = (arrived: Map<string, Set<string>>, note: string): Stage1Row[] =>
    topology.rules.map((r) => {
      // This rule's canaries must be at its queue; nothing may be there that no rule routes there.
      const want = expectedByRule.get(r.name) ?? new Set<string>();
      const routedHere = expected.get(r.queue) ?? new Set<string>();
      const got = arrived.get(r.queue) ?? new Set<string>();
      const missing = [...want].filter((t) => !got.has(t));
      const extra = [...got].filter((t) => !routedHere.has(t));
      const pass = queueUrls.has(r.queue) && missing.length === 0 && extra.length === 0;
      const detail = !queueUrls.has(r.queue)
        ? `queue ${r.queue} missing`
        : [
            missing.length ? `not arrived: ${missing.join(', ')}` : '',
            extra.length ? `arrived but not routed here: ${extra.join(', ')}` : '',
            note,
          ]
            .filter(Boolean)
            .join('; ') || `${want.size} canar${want.size === 1 ? 'y' : 'ies'} arrived at ${r.queue}, exactly as routed`;
      return { check: 'canary' as const, subject: r.name, pass, detail };
    });

  try {
    for (let i = 0; i < samples.length; i += 10) {
      const out = await eventBridge.send(
        new PutEventsCommand({
          Entries: samples.slice(i, i + 10).map((s) => ({
            EventBusName: topology.busName,
            Source: s.source,
            DetailType: s.type,
            Detail: JSON.stringify(canaryDetail(s)),
          })),
        }),
      );
      if ((out.FailedEntryCount ?? 0) > 0)
        throw new Error(`PutEvents rejected ${out.FailedEntryCount} canaries: ${JSON.stringify(out.Entries?.filter((e) => e.ErrorCode))}`);
    }
  } catch (e) {
    return rowsFor(new Map(), `canaries not sent: ${errorText(e)}`);
  }

  const arrived = new Map<string, Set<string>>();
  const total = [...expected.values()].reduce((n, s) => n + s.size, 0);
  const count = () => [...arrived.values()].reduce((n, s) => n + s.size, 0);
  const deadline = Date.now() + (opts.canaryTimeoutMs ?? 10_000);
  // Keep reading a little after everything expected arrived, to catch a canary routed where it must not go.
  let graceUntil: number | undefined;
  while (Date.now() < deadline && (graceUntil === undefined || Date.now() < graceUntil)) {
    await Promise.all(
      [...queueUrls].map(async ([name, url]) => {
        const r = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 5 }),
        );
        const mine: { Id: string; ReceiptHandle: string }[] = [];
        const others: { Id: string; ReceiptHandle: string; VisibilityTimeout: number }[] = [];
        for (const [i, m] of (r.Messages ?? []).entries()) {
          let detail: { canary?: unknown; runId?: string } | undefined;
          try {
            detail = (JSON.parse(m.Body ?? '{}') as { detail?: typeof detail }).detail;
          } catch {
            detail = undefined;
          }
          if (detail?.runId === canaryRun && typeof detail.canary === 'string') {
            (arrived.get(name) ?? arrived.set(name, new Set()).get(name)!).add(detail.canary);
            mine.push({ Id: String(i), ReceiptHandle: m.ReceiptHandle! });
          } else others.push({ Id: String(i), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 });
        }
        if (mine.length) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: mine }));
        if (others.length) await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: url, Entries: others }));
      }),
    );
    if (graceUntil === undefined && count() >= total) graceUntil = Date.now() + 1500;
  }
  opts.log?.(`  canaries: ${count()} of ${total} expected arrivals seen`);
  return rowsFor(arrived, '');
}

/** The table for the console: one line per check, then the verdict. */
export function formatStage1(result: Stage1Result): string {
  const w = Math.max(...result.rows.map((r) => r.subject.length), 7);
  const c = Math.max(...result.rows.map((r) => r.check.length), 7);
  const lines = result.rows.map(
    (r) => `${r.skipped ? 'SKIP' : r.pass ? 'PASS' : 'FAIL'}  ${r.check.padEnd(c)}  ${r.subject.padEnd(w)}  ${r.detail}`,
  );
  const failing = result.rows.filter((r) => !r.pass && !r.skipped);
  return [
    `      ${'check'.padEnd(c)}  ${'subject'.padEnd(w)}  found`,
    ...lines,
    '',
    `stage1 verdict: ${result.verdict}${failing.length ? ` (failing: ${failing.map((r) => `${r.check} ${r.subject}`).join(', ')})` : ''}`,
  ].join('\n');
}
