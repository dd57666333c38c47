/**
 * The harness's own IAM policy evaluator, for endpoints without IAM's policy simulator (an emulator: moto answers
 * SimulatePrincipalPolicy with 500). It follows AWS's evaluation logic for one account
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html): an explicit Deny in
 * any policy wins; otherwise an Allow in an identity policy or in the resource's policy allows; otherwise the
 * request is implicitly denied. Action, NotAction, Resource, NotResource and Principal take `*` and `?` wildcards
 * (actions case-insensitively). Conditions are evaluated only on the context keys the caller knows; a statement
 * whose condition needs anything else makes the answer `unknown`, so a check can neither pass nor be fooled by it.
 */

export interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: unknown;
  NotPrincipal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  Version?: string;
  Statement?: PolicyStatement | PolicyStatement[];
}

/** A policy and where it came from (`managed qsl-user-mvp`, `inline deny-put`, `queue policy of qsl-user`). */
export interface NamedPolicy {
  name: string;
  document: PolicyDocument;
  /** Resource policies name principals; identity policies apply to the role they are attached to. */
  kind: 'identity' | 'resource';
}

export interface AccessRequest {
  action: string;
  resource: string;
  /** Who asks: a role (its ARN) or an AWS service principal (`events.amazonaws.com`). */
  principal: { arn: string } | { service: string };
  /** Condition keys known for this request, e.g. `aws:SourceArn` for a rule delivering to a queue. */
  context?: Record<string, string>;
}

export interface Decision {
  decision: 'allowed' | 'denied' | 'unknown';
  /** Which policy and statement decided, or why no answer could be given. */
  why: string;
}

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const statements = (doc: PolicyDocument): PolicyStatement[] => list(doc.Statement) as PolicyStatement[];

/** `*` any run of characters, `?` exactly one, everything else literally. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, ignoreCase ? 'is' : 's').test(value);
}

function actionMatches(s: PolicyStatement, action: string): boolean {
  if (s.NotAction !== undefined) return !list(s.NotAction).some((a) => wildcardMatch(String(a), action, true));
  return list(s.Action).some((a) => wildcardMatch(String(a), action, true));
}

function resourceMatches(s: PolicyStatement, resource: string): boolean {
  if (s.NotResource !== undefined) return !list(s.NotResource).some((r) => wildcardMatch(String(r), resource));
  // An identity statement without Resource is invalid in IAM; a resource policy's statement may omit it (the resource itself).
  if (s.Resource === undefined) return true;
  return list(s.Resource).some((r) => wildcardMatch(String(r), resource));
}

const accountOf = (arn: string) => arn.split(':')[4] ?? '';

/**
 * Does a resource policy's principal name the requester? `account`: it names the requester's whole account, which in
 * AWS delegates to that account's identity policies (so it allows nothing by itself, but its Deny applies).
 */
function principalIn(value: unknown, who: AccessRequest['principal']): 'yes' | 'account' | 'no' {
  if (value === '*') return 'yes';
  if (!value || typeof value !== 'object') return 'no';
  const p = value as Record<string, unknown>;
  if (list(p.AWS).some((a) => String(a) === '*')) return 'yes';
  if (!('arn' in who)) return list(p.Service).some((sv) => String(sv) === who.service) ? 'yes' : 'no';
  let found: 'yes' | 'account' | 'no' = 'no';
  for (const a of list(p.AWS).map(String)) {
    const account = /^\d{12}$/.test(a) ? a : /^arn:aws[\w-]*:iam::(\d{12}):root$/.exec(a)?.[1];
    if (account !== undefined) {
      if (account === accountOf(who.arn) && found === 'no') found = 'account';
    } else if (wildcardMatch(a, who.arn)) return 'yes';
  }
  return found;
}

function principalMatches(s: PolicyStatement, who: AccessRequest['principal']): 'yes' | 'account' | 'no' {
  if (s.NotPrincipal !== undefined) return principalIn(s.NotPrincipal, who) === 'no' ? 'yes' : 'no';
  return principalIn(s.Principal, who);
}

/** true / false, or a reason the condition cannot be decided with the known context. */
function conditionHolds(s: PolicyStatement, context: Record<string, string>): boolean | string {
  if (!s.Condition) return true;
  const known = new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  for (const [rawOp, block] of Object.entries(s.Condition)) {
    if (rawOp.includes(':')) return `condition operator ${rawOp} not evaluated by the harness`;
    const ifExists = rawOp.endsWith('IfExists');
    const op = ifExists ? rawOp.slice(0, -'IfExists'.length) : rawOp;
    for (const [key, expected] of Object.entries(block)) {
      const value = known.get(key.toLowerCase());
      if (value === undefined) {
        if (ifExists) continue;
        return `condition on ${key}, which the harness does not know for this request`;
      }
      const wanted = list(expected).map(String);
      let ok: boolean;
      switch (op) {
        case 'StringEquals':
        case 'ArnEquals':
          ok = wanted.includes(value);
          break;
        case 'StringNotEquals':
        case 'ArnNotEquals':
          ok = !wanted.includes(value);
          break;
        case 'StringEqualsIgnoreCase':
          ok = wanted.some((w) => w.toLowerCase() === value.toLowerCase());
          break;
        case 'StringLike':
        case 'ArnLike':
          ok = wanted.some((w) => wildcardMatch(w, value));
          break;
        case 'StringNotLike':
        case 'ArnNotLike':
          ok = !wanted.some((w) => wildcardMatch(w, value));
          break;
        case 'Bool':
          ok = wanted.some((w) => w.toLowerCase() === value.toLowerCase());
          break;
        default:
          return `condition operator ${rawOp} not evaluated by the harness`;
      }
      if (!ok) return false;
    }
  }
  return true;
}

const label = (p: NamedPolicy, s: PolicyStatement) => `${p.name}${s.Sid ? ` (${s.Sid})` : ''}`;

/** AWS's decision for one request over the given policies (identity policies of the principal, the resource's policy). */
export function evaluateAccess(policies: readonly NamedPolicy[], req: AccessRequest): Decision {
  const context = req.context ?? {};
  let allow: string | undefined;
  const unknown: string[] = [];
  for (const p of policies) {
    // An identity policy speaks only for the role it is attached to.
    if (p.kind === 'identity' && !('arn' in req.principal)) continue;
    for (const s of statements(p.document)) {
      if (!actionMatches(s, req.action) || !resourceMatches(s, req.resource)) continue;
      const deny = String(s.Effect).toLowerCase() === 'deny';
      if (p.kind === 'resource') {
        const named = principalMatches(s, req.principal);
        if (named === 'no' || (named === 'account' && !deny)) continue;
      }
      const holds = conditionHolds(s, context);
      if (holds === false) continue;
      if (holds !== true) {
        unknown.push(`${deny ? 'Deny' : 'Allow'} in ${label(p, s)}: ${holds}`);
        continue;
      }
      if (deny) return { decision: 'denied', why: `explicit Deny in ${label(p, s)}` };
      allow ??= `allowed by ${label(p, s)}`;
    }
  }
  if (unknown.length) return { decision: 'unknown', why: unknown.join('; ') };
  if (allow) return { decision: 'allowed', why: allow };
  return { decision: 'denied', why: 'no statement allows it (implicit deny)' };
}

/**
 * Statements of a resource policy (queue or bus) that allow anyone (`"*"` or `{"AWS": "*"}`) without a condition: the
 * security line's "open to *" finding.
 */
export function openStatements(doc: PolicyDocument): PolicyStatement[] {
  return statements(doc).filter((s) => {
    if (String(s.Effect).toLowerCase() !== 'allow' || s.Condition) return false;
    if (s.NotPrincipal !== undefined) return true;
    const p = s.Principal;
    return p === '*' || (!!p && typeof p === 'object' && list((p as Record<string, unknown>).AWS).some((a) => String(a) === '*'));
  });
}

/**
 * A policy document as IAM's and SQS's APIs hand it over: JSON, URL-encoded JSON (IAM's GetPolicyVersion and
 * GetRolePolicy on AWS). Anything else is reported as unreadable, never guessed at.
 */
export function parsePolicyDocument(text: string | undefined): PolicyDocument | undefined {
  if (!text) return undefined;
  for (const candidate of [text, safeDecode(text)]) {
    if (candidate === undefined) continue;
    try {
      const doc = JSON.parse(candidate) as unknown;
      if (doc && typeof doc === 'object') return doc as PolicyDocument;
    } catch {
      // try the next form
    }
  }
  return undefined;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
