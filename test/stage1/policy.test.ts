import { describe, expect, it } from 'vitest';
import { evaluateAccess, openStatements, parsePolicyDocument, type NamedPolicy } from '../../lib/stage1/index.js';

const ROLE = 'arn:aws:iam::123456789012:role/qsl-user-mvp';
const QUEUE = 'arn:aws:sqs:us-east-1:123456789012:qsl-user';
const OTHER = 'arn:aws:sqs:us-east-1:123456789012:qsl-ledger.fifo';
const BUS = 'arn:aws:events:us-east-1:123456789012:event-bus/qsl-core';
const RULE = 'arn:aws:events:us-east-1:123456789012:rule/qsl-core/qsl-user-rule';

const identity = (name: string, ...Statement: object[]): NamedPolicy => ({
  name,
  kind: 'identity',
  document: { Version: '2012-10-17', Statement } as never,
});
const resource = (name: string, ...Statement: object[]): NamedPolicy => ({
  name,
  kind: 'resource',
  document: { Version: '2012-10-17', Statement } as never,
});
const role = (action: string, res: string) => ({ action, resource: res, principal: { arn: ROLE } });

const leastPrivilege = identity(
  'managed qsl-user-mvp',
  { Sid: 'Put', Effect: 'Allow', Action: 'events:PutEvents', Resource: BUS },
  { Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], Resource: QUEUE },
);

describe("the harness's IAM policy evaluator (AWS's evaluation logic in one account)", () => {
  it('allows what a statement allows, implicitly denies the rest; actions match case-insensitively and with wildcards', () => {
    expect(evaluateAccess([leastPrivilege], role('events:PutEvents', BUS))).toEqual({
      decision: 'allowed',
      why: 'allowed by managed qsl-user-mvp (Put)',
    });
    expect(evaluateAccess([leastPrivilege], role('SQS:receivemessage', QUEUE)).decision).toBe('allowed');
    expect(evaluateAccess([leastPrivilege], role('sqs:ReceiveMessage', OTHER))).toEqual({
      decision: 'denied',
      why: 'no statement allows it (implicit deny)',
    });
    expect(evaluateAccess([leastPrivilege], role('events:PutEvents', BUS.replace('qsl-core', 'default'))).decision).toBe('denied');
    const wide = identity('inline wide', { Effect: 'Allow', Action: 'sqs:*', Resource: '*' });
    expect(evaluateAccess([wide], role('sqs:ReceiveMessage', OTHER)).decision).toBe('allowed');
    const q = identity('inline q', { Effect: 'Allow', Action: 'sqs:Receive?essage', Resource: 'arn:aws:sqs:*:123456789012:qsl-*' });
    expect(evaluateAccess([q], role('sqs:ReceiveMessage', OTHER)).decision).toBe('allowed');
  });

  it('an explicit Deny anywhere wins over any Allow; NotAction and NotResource invert', () => {
    const deny = identity('inline deny-put', { Effect: 'Deny', Action: 'events:*', Resource: '*' });
    expect(evaluateAccess([leastPrivilege, deny], role('events:PutEvents', BUS))).toEqual({
      decision: 'denied',
      why: 'explicit Deny in inline deny-put',
    });
    const allButSqs = identity('inline n', { Effect: 'Allow', NotAction: 'sqs:*', NotResource: QUEUE, Resource: undefined });
    expect(evaluateAccess([allButSqs], role('events:PutEvents', BUS)).decision).toBe('allowed');
    expect(evaluateAccess([allButSqs], role('sqs:ReceiveMessage', OTHER)).decision).toBe('denied');
  });

  it("a queue policy grants a role by ARN or to anyone; one naming the role's whole account delegates to its identity policies", () => {
    const open = resource('queue policy of qsl-ledger.fifo', { Effect: 'Allow', Principal: '*', Action: 'sqs:*', Resource: OTHER });
    expect(evaluateAccess([leastPrivilege, open], role('sqs:ReceiveMessage', OTHER)).decision).toBe('allowed');
    const byArn = resource('q', { Effect: 'Allow', Principal: { AWS: [ROLE] }, Action: 'sqs:ReceiveMessage', Resource: OTHER });
    expect(evaluateAccess([byArn], role('sqs:ReceiveMessage', OTHER)).decision).toBe('allowed');
    const account = resource('q', {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: 'sqs:*',
      Resource: OTHER,
    });
    expect(evaluateAccess([account], role('sqs:ReceiveMessage', OTHER)).decision).toBe('denied');
    const accountDeny = resource('q', { Effect: 'Deny', Principal: { AWS: '123456789012' }, Action: 'sqs:*', Resource: QUEUE });
    expect(evaluateAccess([leastPrivilege, accountDeny], role('sqs:ReceiveMessage', QUEUE)).decision).toBe('denied');
  });

  it('conditions: evaluated on the keys the request carries, otherwise the answer is unknown (never a pass)', () => {
    const rulesOnly = resource('queue policy of qsl-user', {
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: QUEUE,
      Condition: { ArnEquals: { 'aws:SourceArn': [RULE] } },
    });
    const events = (sourceArn?: string) => ({
      action: 'sqs:SendMessage',
      resource: QUEUE,
      principal: { service: 'events.amazonaws.com' },
      ...(sourceArn ? { context: { 'aws:SourceArn': sourceArn } } : {}),
    });
    expect(evaluateAccess([rulesOnly], events(RULE)).decision).toBe('allowed');
    expect(evaluateAccess([rulesOnly], events(RULE.replace('qsl-user-rule', 'other-rule'))).decision).toBe('denied');
    expect(evaluateAccess([rulesOnly], events()).decision).toBe('unknown');
    // An identity policy never speaks for a service principal.
    expect(evaluateAccess([identity('i', { Effect: 'Allow', Action: '*', Resource: '*' })], events(RULE)).decision).toBe('denied');
    const ip = identity('inline ip', {
      Effect: 'Allow',
      Action: 'sqs:*',
      Resource: '*',
      Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    });
    expect(evaluateAccess([ip], role('sqs:ReceiveMessage', OTHER))).toMatchObject({
      decision: 'unknown',
      why: expect.stringMatching(/aws:SourceIp/),
    });
  });

  it('openStatements: an Allow to * or {"AWS": "*"} without a condition; a conditioned or service principal is not open', () => {
    const doc = {
      Statement: [
        { Sid: 'a', Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage' },
        { Sid: 'b', Effect: 'Allow', Principal: { AWS: ['*'] }, Action: 'sqs:*' },
        { Sid: 'c', Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Condition: { ArnEquals: { 'aws:SourceArn': RULE } } },
        { Sid: 'd', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage' },
        { Sid: 'e', Effect: 'Deny', Principal: '*', Action: 'sqs:*' },
      ],
    };
    expect(openStatements(doc).map((s) => s.Sid)).toEqual(['a', 'b']);
  });

  it('parsePolicyDocument: JSON as SQS gives it, URL-encoded JSON as IAM gives it, nothing for anything else', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }] };
    expect(parsePolicyDocument(JSON.stringify(doc))).toEqual(doc);
    expect(parsePolicyDocument(encodeURIComponent(JSON.stringify(doc)))).toEqual(doc);
    expect(parsePolicyDocument("{'Version': '2012-10-17'}")).toBeUndefined();
    expect(parsePolicyDocument(undefined)).toBeUndefined();
  });
});
