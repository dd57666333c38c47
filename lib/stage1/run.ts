import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EventBridgeClient, ListEventBusesCommand } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { loadTargetFile } from '../config/index.js';
import { createError } from '../errors/index.js';
import {
  applyTopology,
  MVP1_TOPOLOGY,
  MVP2_TOPOLOGY,
  MVP3_TOPOLOGY,
  MVP4_TOPOLOGY,
  parseFaults,
  startAwsSide,
  topologyWithFaults,
  withConsumers,
  type Topology,
} from '../sandbox/index.js';
import { checkPermissions } from './permissions.js';
import { securityRows } from './security.js';
import { readStack, type StackReading } from './stack.js';
import { formatStage1, validateStage1, verdictOf, type Stage1Result, type Stage1Row } from './validate.js';

/** The seed's Stage 1 infrastructure: every queue and rule the milestones' services need, once. */
export const STAGE1_TOPOLOGY: Topology = (() => {
  const queues = new Map<string, Topology['queues'][number]>();
  const rules = new Map<string, Topology['rules'][number]>();
  for (const t of [MVP1_TOPOLOGY, MVP2_TOPOLOGY, MVP3_TOPOLOGY, MVP4_TOPOLOGY]) {
    for (const q of t.queues) if (!queues.has(q.name)) queues.set(q.name, q);
    for (const r of t.rules) if (!rules.has(r.name)) rules.set(r.name, r);
  }
  return withConsumers({ busName: MVP1_TOPOLOGY.busName, queues: [...queues.values()], rules: [...rules.values()] });
})();

export interface Stage1RunOptions {
  targetFile?: string;
  /** The plan's CloudFormation stack (`qsl-eventbridge-mvp`): adds the stack and permission lines. Needs a target. */
  stackName?: string;
  /** false: skip the canary round trip (tests of the other lines; moto delivers an event to SQS in about 0.25 s). */
  canaries?: boolean;
  /** Sandbox only: `topology.<rule>.missing`, `topology.<queue>.no-dlq`. */
  faults: string[];
  log: (line: string) => void;
}

/**
 * `npm run stage1`: validates a target's Stage 1 infrastructure, or (no --target) the sandbox's, started
 * as Stage 1 has it: EventBridge and SQS with the topology and no services. Exit 0 GO, 1 NO-GO, 2 could not decide.
 */
export async function runStage1(opts: Stage1RunOptions): Promise<{ result: Stage1Result; text: string; exitCode: 0 | 1 }> {
  const faults = parseFaults(opts.faults);
  if (opts.targetFile && opts.faults.length) {
    throw createError('QSL_CONFIG_INVALID', '--fault works only against the embedded sandbox; drop --fault or drop --target.');
  }
  if (opts.stackName && !opts.targetFile) {
    throw createError(
      'QSL_CONFIG_INVALID',
      '--stack needs --target: the embedded sandbox has no CloudFormation. Pass --target FILE for the environment the stack is deployed to, or drop --stack.',
    );
  }
  let stop = async () => {};
  let eventBridge: EventBridgeClient;
  let sqs: SQSClient;
  let stackClients: { cloudformation: CloudFormationClient; iam: IAMClient; unsupported: string[] } | undefined;
  let region: string;
  let topology = STAGE1_TOPOLOGY;
  let where: string;
  if (opts.targetFile) {
    const target = loadTargetFile(opts.targetFile);
    region = target.region;
    eventBridge = new EventBridgeClient({
      region,
      ...(target.eventbridgeEndpoint ? { endpoint: target.eventbridgeEndpoint } : {}),
      maxAttempts: 2,
    });
    sqs = new SQSClient({ region, ...(target.sqsEndpoint ? { endpoint: target.sqsEndpoint } : {}), maxAttempts: 2 });
    if (opts.stackName)
      stackClients = {
        cloudformation: new CloudFormationClient({
          region,
          ...(target.cloudformationEndpoint ? { endpoint: target.cloudformationEndpoint } : {}),
          maxAttempts: 2,
        }),
        iam: new IAMClient({ region, ...(target.iamEndpoint ? { endpoint: target.iamEndpoint } : {}), maxAttempts: 2 }),
        unsupported: target.cloudformationUnsupported ?? [],
      };
    topology = { ...STAGE1_TOPOLOGY, busName: target.eventBus };
    where = `target "${target.name}" (${target.environment})`;
  } else {
    region = 'us-east-1';
    // Bad knobs stop here, before anything listens.
    const broken = topologyWithFaults(STAGE1_TOPOLOGY, faults);
    const aws = await startAwsSide({ host: '127.0.0.1', sqsPort: 0, eventBridgePort: 0, region, dropRatio: 0 });
    const credentials = { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' };
    eventBridge = new EventBridgeClient({ region, endpoint: aws.eventBridgeUrl, credentials, maxAttempts: 2 });
    sqs = new SQSClient({ region, endpoint: aws.sqsUrl, credentials, maxAttempts: 2 });
    stop = () => aws.stop();
    try {
      await applyTopology(broken.topology, { sqs, eventBridge }, { withoutDlq: broken.withoutDlq });
    } catch (e) {
      eventBridge.destroy();
      sqs.destroy();
      await stop();
      throw e;
    }
    where = `the embedded sandbox${opts.faults.length ? ` (faults: ${opts.faults.join(', ')})` : ''}`;
  }
  try {
    await reachable('EventBridge', () => eventBridge.send(new ListEventBusesCommand({ Limit: 1 })));
    await reachable('SQS', () => sqs.send(new ListQueuesCommand({ MaxResults: 1 })));
    let stack: StackReading | undefined;
    if (stackClients && opts.stackName) {
      stack = await readStack({
        cloudformation: stackClients.cloudformation,
        stackName: opts.stackName,
        topology,
        expectedBus: topology.busName,
        unsupportedTypes: stackClients.unsupported,
      });
      topology = stack.topology;
    }
    opts.log(
      `Stage 1 infrastructure of ${where}: bus ${topology.busName}, ${topology.queues.length} queues, ${topology.rules.length} rules${opts.stackName ? `, stack ${opts.stackName}` : ''}`,
    );
    const validated = await validateStage1({
      topology,
      eventBridge,
      sqs,
      region,
      log: opts.log,
      queuePolicies: !!stack,
      ...(opts.canaries === false ? { canaries: false } : {}),
    });
    const noStack = `no stack named: pass --stack NAME (the plan's: qsl-eventbridge-mvp) with --target to check it`;
    const rows: Stage1Row[] = [
      stack?.row ?? { check: 'stack', subject: '(none)', pass: false, skipped: true, detail: noStack },
      ...validated.rows,
    ];
    let dlqReaders: Map<string, string[]> | undefined;
    if (stack && stackClients) {
      const permissions = await checkPermissions({
        iam: stackClients.iam,
        roles: stack.roles,
        inventory: validated.inventory,
        busName: topology.busName,
      });
      rows.push(...permissions.rows);
      dlqReaders = permissions.dlqReaders;
    } else
      rows.push({
        check: 'permissions',
        subject: 'service roles',
        pass: false,
        skipped: true,
        detail: `${noStack} (the roles are the stack's)`,
      });
    rows.push(
      ...securityRows({
        inventory: validated.inventory,
        busName: topology.busName,
        ...(dlqReaders ? { dlqReaders } : {}),
        encryption: !!opts.targetFile,
      }),
    );
    if (stack) mergeStackFindings(rows, stack);
    const result: Stage1Result = { verdict: verdictOf(rows), rows };
    return { result, text: formatStage1(result), exitCode: result.verdict === 'GO' ? 0 : 1 };
  } finally {
    eventBridge.destroy();
    sqs.destroy();
    stackClients?.cloudformation.destroy();
    stackClients?.iam.destroy();
    await stop();
  }
}

/** A template resource missing from the stack fails the line of the thing it is part of; a documented gap is a note. */
function mergeStackFindings(rows: Stage1Row[], stack: StackReading): void {
  for (const [findings, fails] of [
    [stack.problems, true],
    [stack.notes, false],
  ] as const) {
    for (const [key, texts] of findings) {
      const line = rows.find((r) => `${r.check} ${r.subject}` === key);
      if (!line) {
        const [check, ...subject] = key.split(' ');
        rows.push({ check: check as Stage1Row['check'], subject: subject.join(' '), pass: !fails, detail: texts.join('; ') });
        continue;
      }
      if (fails) line.pass = false;
      line.detail = fails ? `${texts.join('; ')}; ${line.detail}` : `${line.detail}; ${texts.join('; ')}`;
    }
  }
}

async function reachable(part: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (e) {
    throw createError(
      'QSL_TARGET_UNREACHABLE',
      `${part} did not answer: ${(e as Error).message}. Check the aws section of the target file (region, endpoints) and the AWS credentials in the environment.`,
      { cause: e },
    );
  }
}
