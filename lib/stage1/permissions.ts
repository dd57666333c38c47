/**
 * The `permissions` line per service role (the plan's "IAM Roles: permission testing"): the role may PutEvents to
 * the bus and receive from its own queue, and may not receive from another service's queue nor put to another bus
 * (the account's `default` bus stands for "another bus"). Decided by IAM's policy simulator
 * (SimulatePrincipalPolicy) where the endpoint offers it, otherwise by the harness's evaluator (policy.ts) over the
 * role's attached and inline policies; either way the queues' own policies are evaluated too (in one account, an
 * Allow in either grants), and the line says which evaluator decided. Also reports which roles may read each DLQ,
 * for the security line.
 */
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  SimulatePrincipalPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { evaluateAccess, parsePolicyDocument, type Decision, type NamedPolicy } from './policy.js';
import type { DeployedRole } from './stack.js';
import type { Stage1Inventory, Stage1Row } from './validate.js';
import { errorText } from './aws-error.js';

export interface PermissionsOptions {
  iam: IAMClient;
  roles: readonly DeployedRole[];
  inventory: Stage1Inventory;
  busName: string;
}

export interface PermissionsOutcome {
  rows: Stage1Row[];
  /** DLQ name -> the roles of other services that may receive from it. */
  dlqReaders: Map<string, string[]>;
}

interface Question {
  action: string;
  resource: string;
  /** What the line needs: allowed, or denied. */
  want: 'allowed' | 'denied';
  text: string;
  /** The resource's own policy (a queue's), evaluated beside the role's. */
  resourcePolicy?: NamedPolicy;
}

/** The role's identity policies: attached managed policies (default version) and inline policies. */
async function rolePolicies(iam: IAMClient, name: string): Promise<{ policies: NamedPolicy[]; unreadable: string[] }> {
  const policies: NamedPolicy[] = [];
  const unreadable: string[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name, ...(marker ? { Marker: marker } : {}) }));
    for (const a of page.AttachedPolicies ?? []) {
      const p = (await iam.send(new GetPolicyCommand({ PolicyArn: a.PolicyArn }))).Policy;
      const v = await iam.send(new GetPolicyVersionCommand({ PolicyArn: a.PolicyArn, VersionId: p?.DefaultVersionId }));
      const document = parsePolicyDocument(v.PolicyVersion?.Document);
      if (document) policies.push({ name: `managed ${a.PolicyName}`, document, kind: 'identity' });
      else unreadable.push(`managed ${a.PolicyName}`);
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  do {
    const page = await iam.send(new ListRolePoliciesCommand({ RoleName: name, ...(marker ? { Marker: marker } : {}) }));
    for (const policyName of page.PolicyNames ?? []) {
      const p = await iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: policyName }));
      const document = parsePolicyDocument(p.PolicyDocument);
      if (document) policies.push({ name: `inline ${policyName}`, document, kind: 'identity' });
      else unreadable.push(`inline ${policyName}`);
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return { policies, unreadable };
}

/** IAM's simulator's answer for the role's own policies, one call per action. Throws when the endpoint has no simulator. */
async function simulate(iam: IAMClient, roleArn: string, questions: readonly Question[]): Promise<Map<string, Decision>> {
  const out = new Map<string, Decision>();
  for (const action of new Set(questions.map((q) => q.action))) {
    const resources = [...new Set(questions.filter((q) => q.action === action).map((q) => q.resource))];
    const r = await iam.send(
      new SimulatePrincipalPolicyCommand({ PolicySourceArn: roleArn, ActionNames: [action], ResourceArns: resources }),
    );
    for (const e of r.EvaluationResults ?? []) {
      const decision = e.EvalDecision === 'allowed' ? 'allowed' : 'denied';
      const why = e.EvalDecision === 'explicitDeny' ? 'explicit Deny (IAM simulator)' : `${e.EvalDecision} (IAM simulator)`;
      out.set(`${e.EvalActionName} ${e.EvalResourceName}`, { decision, why });
    }
  }
  return out;
}

/** The union AWS applies in one account: an explicit Deny anywhere denies, an Allow in either grants. */
function combine(identity: Decision, resource: Decision | undefined): Decision {
  if (!resource) return identity;
  for (const d of [identity, resource]) if (d.decision === 'denied' && d.why.startsWith('explicit')) return d;
  if (identity.decision === 'unknown' || resource.decision === 'unknown')
    return identity.decision === 'allowed' || resource.decision === 'allowed'
      ? {
          decision: 'unknown',
          why: [identity, resource]
            .filter((d) => d.decision === 'unknown')
            .map((d) => d.why)
            .join('; '),
        }
      : identity.decision === 'unknown'
        ? identity
        : resource;
  return identity.decision === 'allowed' ? identity : resource;
}

export async function checkPermissions(opts: PermissionsOptions): Promise<PermissionsOutcome> {
  const { iam, inventory } = opts;
  const rows: Stage1Row[] = [];
  const dlqReaders = new Map<string, string[]>();
  const busArn = inventory.bus?.arn;
  // No simulator on this endpoint: decided once, at the first role, and named on every line.
  let simulator: 'untried' | 'offered' | string = 'untried';

  const queuePolicy = (name: string, policy: string | undefined): NamedPolicy | undefined => {
    const document = parsePolicyDocument(policy);
    return document ? { name: `queue policy of ${name}`, document, kind: 'resource' } : undefined;
  };

  for (const role of opts.roles) {
    if (!busArn) {
      rows.push({
        check: 'permissions',
        subject: role.subject,
        pass: false,
        detail: `bus ${opts.busName} missing: nothing to test against`,
      });
      continue;
    }
    if (!role.roleName) {
      rows.push({ check: 'permissions', subject: role.subject, pass: false, detail: 'role name unknown' });
      continue;
    }
    let roleArn: string;
    try {
      roleArn = (await iam.send(new GetRoleCommand({ RoleName: role.roleName }))).Role!.Arn!;
    } catch (e) {
      rows.push({
        check: 'permissions',
        subject: role.subject,
        pass: false,
        detail: `role ${role.roleName || '(unknown)'} missing (${errorText(e)})`,
      });
      continue;
    }
    const otherBus = busArn.replace(/event-bus\/.*$/, 'event-bus/default');
    const questions: Question[] = [
      { action: 'events:PutEvents', resource: busArn, want: 'allowed', text: `PutEvents to ${opts.busName}` },
      { action: 'events:PutEvents', resource: otherBus, want: 'denied', text: 'PutEvents to another bus (default)' },
    ];
    for (const q of inventory.queues) {
      if (!q.arn) continue;
      const own = q.name === role.queue;
      const resourcePolicy = queuePolicy(q.name, q.attributes.Policy);
      questions.push({
        action: 'sqs:ReceiveMessage',
        resource: q.arn,
        want: own ? 'allowed' : 'denied',
        text: `receive from ${q.name}`,
        ...(resourcePolicy ? { resourcePolicy } : {}),
      });
      if (own)
        questions.push({
          action: 'sqs:DeleteMessage',
          resource: q.arn,
          want: 'allowed',
          text: `delete from ${q.name}`,
          ...(resourcePolicy ? { resourcePolicy } : {}),
        });
    }
    const dlqQuestions: Array<Question & { dlq: string; own: boolean }> = [];
    for (const [queue, d] of inventory.dlqs) {
      if (!d.arn) continue;
      const resourcePolicy = queuePolicy(d.name, d.attributes.Policy);
      dlqQuestions.push({
        action: 'sqs:ReceiveMessage',
        resource: d.arn,
        want: 'denied',
        text: `receive from ${d.name}`,
        dlq: d.name,
        own: queue === role.queue,
        ...(resourcePolicy ? { resourcePolicy } : {}),
      });
    }

    let identity: (q: Question) => Decision;
    const { policies, unreadable } = await rolePolicies(iam, role.roleName).catch((e: unknown) => ({
      policies: [] as NamedPolicy[],
      unreadable: [`the role's policies (${errorText(e)})`],
    }));
    const harness = (q: Question) =>
      unreadable.length
        ? { decision: 'unknown' as const, why: `unreadable policies: ${unreadable.join(', ')}` }
        : evaluateAccess(policies, { action: q.action, resource: q.resource, principal: { arn: roleArn } });
    if (simulator === 'untried' || simulator === 'offered') {
      try {
        const answers = await simulate(iam, roleArn, [...questions, ...dlqQuestions]);
        simulator = 'offered';
        identity = (q) => answers.get(`${q.action} ${q.resource}`) ?? { decision: 'unknown', why: 'IAM simulator gave no answer' };
      } catch (e) {
        simulator = `SimulatePrincipalPolicy unavailable here: ${errorText(e)}`;
        identity = harness;
      }
    } else identity = harness;
    const evaluator =
      simulator === 'offered'
        ? "evaluator: IAM's policy simulator for the role's policies, the harness for the queues' policies"
        : `evaluator: the harness's policy evaluator over ${policies.length} attached and inline polic${policies.length === 1 ? 'y' : 'ies'} (${simulator})`;

    const decide = (q: Question) =>
      combine(
        identity(q),
        q.resourcePolicy
          ? evaluateAccess([q.resourcePolicy], { action: q.action, resource: q.resource, principal: { arn: roleArn } })
          : undefined,
      );
    const wrong: string[] = [];
    const granted: string[] = [];
    let refused = 0;
    for (const q of questions) {
      const d = decide(q);
      if (d.decision !== q.want)
        wrong.push(`${q.want === 'allowed' ? 'may not' : 'may'} ${q.text}${d.decision === 'unknown' ? ' (undecided)' : ''}: ${d.why}`);
      else if (q.want === 'allowed') granted.push(q.text);
      else refused += 1;
    }
    for (const q of dlqQuestions) {
      const d = decide(q);
      if (!q.own && d.decision !== 'denied')
        dlqReaders.set(q.dlq, [...(dlqReaders.get(q.dlq) ?? []), `${role.roleName}${d.decision === 'unknown' ? ' (undecided)' : ''}`]);
    }
    rows.push({
      check: 'permissions',
      subject: role.subject,
      pass: wrong.length === 0,
      detail: `${role.roleName}: ${wrong.length ? wrong.join('; ') : `may ${granted.join(', ')}; may not the other ${refused}`}; ${evaluator}`,
    });
  }
  return { rows, dlqReaders };
}
