/**
 * The `stack` line (`--stack NAME`): the plan's CloudFormation stack exists and is complete, every resource of the
 * template is in it (DescribeStackResources), and drift where the endpoint offers detection. The stack's physical
 * ids (queue URLs, rule names, role names) and its BusName parameter become the names the other lines check, and a
 * template resource missing from the stack fails the line of the thing it is part of (see template.ts).
 */
import {
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
  type CloudFormationClient,
  type StackResource,
} from '@aws-sdk/client-cloudformation';
import type { Topology } from '../sandbox/index.js';
import { logicalIds, roleName, serviceRoles, templateResources } from './template.js';
import type { Stage1Row } from './validate.js';
import { errorText } from './aws-error.js';

const COMPLETE = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'IMPORT_COMPLETE']);

/** A service's role as deployed. */
export interface DeployedRole {
  subject: string;
  roleName: string;
  queue?: string;
}

export interface StackReading {
  row: Stage1Row;
  /** The topology under the stack's names (bus from BusName, queues and rules from their physical ids). */
  topology: Topology;
  roles: DeployedRole[];
  /** By line (`dlq qsl-user`): what is wrong with its template resources (missing, not complete). */
  problems: Map<string, string[]>;
  /** By line: resources not listed for a documented reason (the target's cloudformationUnsupported types). */
  notes: Map<string, string[]>;
}

export interface StackOptions {
  cloudformation: CloudFormationClient;
  stackName: string;
  topology: Topology;
  /** The bus the target file names (eventBus): the stack's BusName must be it. */
  expectedBus: string;
  /** Resource types this endpoint's CloudFormation does not create (an emulator): not required in the listing. */
  unsupportedTypes?: readonly string[];
  /** How long to wait for drift detection (default 60 s). */
  driftTimeoutMs?: number;
}

const mapOr = (id: string | undefined, f: (id: string) => string, fallback: string) => (id ? f(id) : fallback);
const add = (m: Map<string, string[]>, key: string, text: string) => (m.get(key) ?? m.set(key, []).get(key)!).push(text);

/** Reads the stack; never throws for what the stack lacks (that is what the lines report). */
export async function readStack(opts: StackOptions): Promise<StackReading> {
  const { cloudformation, stackName, topology } = opts;
  const problems = new Map<string, string[]>();
  const notes = new Map<string, string[]>();
  const designedRoles = serviceRoles(topology);
  const fail = (detail: string): StackReading => {
    // Without the stack nothing of it can be checked: every line a resource of it belongs to says so.
    for (const r of templateResources(topology)) {
      const key = `${r.check} ${r.subject}`;
      if (!problems.has(key)) add(problems, key, `stack ${stackName} not readable`);
    }
    return {
      row: { check: 'stack', subject: stackName, pass: false, detail },
      topology,
      roles: designedRoles.map((r) => ({ subject: r.subject, roleName: '', ...(r.queue ? { queue: r.queue } : {}) })),
      problems,
      notes,
    };
  };

  let status: string;
  let parameters: Record<string, string>;
  try {
    const stack = (await cloudformation.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
    if (!stack) return fail(`no stack named ${stackName}`);
    status = stack.StackStatus ?? 'unknown';
    parameters = Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? '']));
  } catch (e) {
    const message = (e as Error).message ?? '';
    return fail(/does not exist/i.test(message) ? `no stack named ${stackName}` : `DescribeStacks: ${errorText(e)}`);
  }

  let listed: StackResource[];
  try {
    listed = (await cloudformation.send(new DescribeStackResourcesCommand({ StackName: stackName }))).StackResources ?? [];
  } catch (e) {
    return fail(`${status}; DescribeStackResources: ${errorText(e)}`);
  }
  const byLogicalId = new Map(listed.filter((r) => r.LogicalResourceId).map((r) => [r.LogicalResourceId!, r]));
  const expected = templateResources(topology);
  const physical = new Map<string, string>();
  const unsupported = new Set(opts.unsupportedTypes ?? []);
  let present = 0;
  for (const r of expected) {
    const key = `${r.check} ${r.subject}`;
    const found = byLogicalId.get(r.logicalId);
    if (!found) {
      if (unsupported.has(r.type))
        add(
          notes,
          key,
          `${r.logicalId} (${r.type}) not listed: this endpoint's CloudFormation does not implement ${r.type} (target aws.cloudformationUnsupported), its effect is checked instead`,
        );
      else add(problems, key, `${r.logicalId} (${r.type}) is not in stack ${stackName}`);
      continue;
    }
    present += 1;
    if (found.ResourceType && found.ResourceType !== r.type)
      add(problems, key, `${r.logicalId} is a ${found.ResourceType} in the stack, expected ${r.type}`);
    if (!COMPLETE.has(found.ResourceStatus ?? ''))
      add(
        problems,
        key,
        `${r.logicalId} is ${found.ResourceStatus}${found.ResourceStatusReason ? ` (${found.ResourceStatusReason})` : ''}`,
      );
    if (found.PhysicalResourceId) physical.set(r.logicalId, found.PhysicalResourceId);
  }

  // The names the other lines check: the stack's, where it has them.
  const queueName = (url: string) => url.slice(url.lastIndexOf('/') + 1);
  // AWS gives a rule on a custom bus the physical id `bus|rule`; moto gives the rule name.
  const ruleName = (id: string) => id.slice(id.lastIndexOf('|') + 1);
  const queues = new Map(topology.queues.map((q) => [q.name, mapOr(physical.get(logicalIds.queue(q.name)), queueName, q.name)]));
  const busName = parameters.BusName ?? topology.busName;
  const stackTopology: Topology = {
    busName,
    queues: topology.queues.map((q) => ({ ...q, name: queues.get(q.name)! })),
    rules: topology.rules.map((r) => ({
      ...r,
      name: mapOr(physical.get(logicalIds.rule(r.name)), ruleName, r.name),
      queue: queues.get(r.queue)!,
    })),
  };
  const environment = parameters.Environment ?? '';
  const roles = designedRoles.map((r) => ({
    subject: r.subject,
    roleName: physical.get(logicalIds.role(r.service)) ?? roleName(r, environment),
    ...(r.queue ? { queue: queues.get(r.queue)! } : {}),
  }));

  const parts = [`${status}`, `${present} of ${expected.length} template resources listed`];
  if (unsupported.size) {
    const skipped = expected.filter((r) => unsupported.has(r.type) && !byLogicalId.has(r.logicalId)).length;
    if (skipped) parts.push(`${skipped} not listed, of types this endpoint does not implement (${[...unsupported].join(', ')})`);
  }
  let pass = COMPLETE.has(status);
  if (busName !== opts.expectedBus) {
    pass = false;
    parts.push(`BusName ${busName}, but the target's eventBus is ${opts.expectedBus}`);
  }
  const drift = await detectDrift(cloudformation, stackName, opts.driftTimeoutMs ?? 60_000);
  if (!drift.ok) pass = false;
  parts.push(drift.text);
  return { row: { check: 'stack', subject: stackName, pass, detail: parts.join('; ') }, topology: stackTopology, roles, problems, notes };
}

/** Drift detection where the endpoint offers it; an endpoint that does not is named, not failed. */
async function detectDrift(
  cloudformation: CloudFormationClient,
  stackName: string,
  timeoutMs: number,
): Promise<{ ok: boolean; text: string }> {
  let id: string | undefined;
  try {
    id = (await cloudformation.send(new DetectStackDriftCommand({ StackName: stackName }))).StackDriftDetectionId;
  } catch (e) {
    return { ok: true, text: `drift: not checked, DetectStackDrift unavailable here (${errorText(e)})` };
  }
  if (!id) return { ok: true, text: 'drift: not checked, DetectStackDrift returned no detection id' };
  const deadline = Date.now() + timeoutMs;
  try {
    return await waitForDrift(cloudformation, stackName, id, deadline, timeoutMs);
  } catch (e) {
    return { ok: true, text: `drift: not checked, reading the detection failed (${errorText(e)})` };
  }
}

async function waitForDrift(
  cloudformation: CloudFormationClient,
  stackName: string,
  id: string,
  deadline: number,
  timeoutMs: number,
): Promise<{ ok: boolean; text: string }> {
  for (;;) {
    const s = await cloudformation.send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: id }));
    if (s.DetectionStatus !== 'DETECTION_IN_PROGRESS') {
      if (s.StackDriftStatus === 'IN_SYNC') return { ok: true, text: 'drift: IN_SYNC' };
      if (s.StackDriftStatus === 'DRIFTED') {
        const drifts =
          (
            await cloudformation.send(
              new DescribeStackResourceDriftsCommand({ StackName: stackName, StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'] }),
            )
          ).StackResourceDrifts ?? [];
        return {
          ok: false,
          text: `drift: DRIFTED (${drifts.map((d) => `${d.LogicalResourceId} ${d.StackResourceDriftStatus}`).join(', ') || 'no resource named'})`,
        };
      }
      return {
        ok: true,
        text: `drift: ${s.StackDriftStatus ?? s.DetectionStatus}${s.DetectionStatusReason ? ` (${s.DetectionStatusReason})` : ''}`,
      };
    }
    if (Date.now() > deadline)
      return { ok: true, text: `drift: detection still running after ${Math.round(timeoutMs / 1000)} s, not waited for` };
    await new Promise((r) => setTimeout(r, 2000));
  }
}
