import { describe, expect, it } from 'vitest';
import { InvalidEventPatternError, matchesPattern, parsePattern } from '../../lib/sandbox/eventbridge/index.js';

/** An EC2 state-change event, the running example of the AWS "event patterns" pages. */
const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

const withDetail = (detail: Record<string, unknown>) => ({ ...ec2Event, detail });

function expectMatch(pattern: object, event: object, expected: boolean): void {
  expect(matchesPattern(pattern, event), `${JSON.stringify(pattern)} vs ${JSON.stringify(event)}`).toBe(expected);
}

describe('exact values and lists', () => {
  it('matches the AWS doc EC2 example and rejects other sources', () => {
    const pattern = { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } };
    expectMatch(pattern, ec2Event, true);
    expectMatch(pattern, { ...ec2Event, source: 'aws.s3' }, false);
    expectMatch(pattern, withDetail({ state: 'running' }), false);
  });

  it('treats a value list as OR and fields as AND', () => {
    const pattern = { source: ['aws.ec2', 'aws.fargate'], detail: { state: ['pending', 'terminated'] } };
    expectMatch(pattern, ec2Event, true);
    expectMatch(pattern, { ...ec2Event, source: 'aws.fargate' }, true);
    expectMatch(pattern, { ...ec2Event, source: 'aws.lambda' }, false);
  });

  it('is case sensitive and type strict', () => {
    expectMatch({ detail: { state: ['Terminated'] } }, ec2Event, false);
    expectMatch({ detail: { n: ['5'] } }, withDetail({ n: 5 }), false);
    expectMatch({ detail: { n: [5] } }, withDetail({ n: '5' }), false);
    expectMatch({ detail: { b: [true] } }, withDetail({ b: true }), true);
    expectMatch({ detail: { b: [true] } }, withDetail({ b: 'true' }), false);
  });

  it('compares numbers by value', () => {
    expectMatch({ detail: { n: [300] } }, withDetail({ n: 300.0 }), true);
    expectMatch({ detail: { n: [300] } }, JSON.parse('{"detail":{"n":300.0}}'), true);
    expectMatch({ detail: { n: [3.0e2] } }, withDetail({ n: 300 }), true);
    expectMatch({ detail: { n: [300] } }, withDetail({ n: 300.5 }), false);
  });

  it('matches a field missing from the event as no match', () => {
    expectMatch({ detail: { missing: ['x'] } }, ec2Event, false);
    expectMatch({ nothere: { deeper: ['x'] } }, ec2Event, false);
  });
});

describe('arrays in events', () => {
  it('matches when any element matches (AWS resources example)', () => {
    const pattern = {
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f'],
    };
    const event = {
      ...ec2Event,
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'],
    };
    expectMatch(pattern, event, true);
    expectMatch(pattern, { ...ec2Event, resources: ['arn:aws:ec2:us-east-1:999999999999:instance/x'] }, false);
    expectMatch(pattern, { ...ec2Event, resources: [] }, false);
  });

  it('applies operators to each element', () => {
    expectMatch({ detail: { tags: [{ prefix: 'team-' }] } }, withDetail({ tags: ['env-prod', 'team-a'] }), true);
    expectMatch({ detail: { nums: [{ numeric: ['>', 10] }] } }, withDetail({ nums: [1, 2, 30] }), true);
    expectMatch({ detail: { nums: [{ numeric: ['>', 100] }] } }, withDetail({ nums: [1, 2, 30] }), false);
  });

  it('matches nested patterns against arrays of objects, one element at a time', () => {
    const event = withDetail({
      items: [
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 5 },
      ],
    });
    expectMatch({ detail: { items: { sku: ['b'] } } }, event, true);
    expectMatch({ detail: { items: { sku: ['b'], qty: [5] } } }, event, true);
    expectMatch({ detail: { items: { sku: ['a'], qty: [5] } } }, event, false);
  });
});

describe('nested objects', () => {
  it('follows nesting and does not treat an object as a leaf value', () => {
    const event = withDetail({ a: { b: { c: 'deep' } } });
    expectMatch({ detail: { a: { b: { c: ['deep'] } } } }, event, true);
    expectMatch({ detail: { a: { b: { c: ['shallow'] } } } }, event, false);
    expectMatch({ detail: { a: ['deep'] } }, event, false);
    expectMatch({ detail: { a: { b: ['x'] } } }, withDetail({ a: 'flat' }), false);
  });
});

describe('prefix and suffix', () => {
  it('prefix (AWS time example), strings only', () => {
    expectMatch({ time: [{ prefix: '2017-12-22' }] }, ec2Event, true);
    expectMatch({ time: [{ prefix: '2017-10-02' }] }, ec2Event, false);
    expectMatch({ detail: { n: [{ prefix: '12' }] } }, withDetail({ n: 123 }), false);
  });

  it('prefix with equals-ignore-case (AWS service example)', () => {
    const pattern = { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } };
    for (const service of ['EventBridge', 'EVENTBRIDGE', 'eventbus']) expectMatch(pattern, withDetail({ service }), true);
    expectMatch(pattern, withDetail({ service: 'SQS' }), false);
  });

  it('suffix (AWS FileName example), with and without equals-ignore-case', () => {
    expectMatch({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.png' }, true);
    expectMatch({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.PNG' }, false);
    expectMatch({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.jpg' }, false);
    const ci = { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } };
    expectMatch(ci, withDetail({ FileName: 'IMAGE.PNG' }), true);
    expectMatch(ci, withDetail({ FileName: 'image.gif' }), false);
    expectMatch({ n: [{ suffix: '3' }] }, { n: 123 }, false);
  });
});

describe('equals-ignore-case', () => {
  it('matches the AWS detail-type example regardless of case, strings only', () => {
    const pattern = { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] };
    expectMatch(pattern, ec2Event, true);
    expectMatch(pattern, { ...ec2Event, 'detail-type': 'EC2 Instance Launch' }, false);
    expectMatch({ v: [{ 'equals-ignore-case': 'true' }] }, { v: true }, false);
  });
});

describe('wildcard', () => {
  it('matches the AWS EventBusArn example', () => {
    const pattern = { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] };
    expectMatch(pattern, { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/orders' }, true);
    expectMatch(pattern, { EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/orders' }, false);
  });

  it('handles several stars, literal text and escapes', () => {
    expectMatch({ f: [{ wildcard: 'dir/*.png' }] }, { f: 'dir/a.png' }, true);
    expectMatch({ f: [{ wildcard: 'dir/*.png' }] }, { f: 'dir/a.pngx' }, false);
    expectMatch({ f: [{ wildcard: 'a.c' }] }, { f: 'abc' }, false);
    expectMatch({ f: [{ wildcard: '*' }] }, { f: '' }, true);
    expectMatch({ f: [{ wildcard: 'x\\*y' }] }, { f: 'x*y' }, true);
    expectMatch({ f: [{ wildcard: 'x\\*y' }] }, { f: 'xzy' }, false);
    expectMatch({ f: [{ wildcard: '*' }] }, { f: 5 }, false);
  });
});

describe('anything-but', () => {
  it('single string and number (AWS examples)', () => {
    expectMatch({ detail: { state: [{ 'anything-but': 'initializing' }] } }, withDetail({ state: 'running' }), true);
    expectMatch({ detail: { state: [{ 'anything-but': 'initializing' }] } }, withDetail({ state: 'initializing' }), false);
    expectMatch({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, withDetail({ 'x-limit': 456 }), true);
    expectMatch({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, withDetail({ 'x-limit': 123.0 }), false);
  });

  it('lists of strings and numbers', () => {
    const states = { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } };
    expectMatch(states, withDetail({ state: 'running' }), true);
    expectMatch(states, withDetail({ state: 'overloaded' }), false);
    const limits = { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } };
    expectMatch(limits, withDetail({ 'x-limit': 150 }), true);
    expectMatch(limits, withDetail({ 'x-limit': 200 }), false);
  });

  it('does not match a missing field but does match null', () => {
    const pattern = { detail: { state: [{ 'anything-but': 'initializing' }] } };
    expectMatch(pattern, withDetail({}), false);
    expectMatch(pattern, withDetail({ state: null }), true);
  });

  it('prefix and suffix', () => {
    const region = { detail: { Region: [{ 'anything-but': { prefix: 'us-' } }] } };
    expectMatch(region, withDetail({ Region: 'eu-west-1' }), true);
    expectMatch(region, withDetail({ Region: 'us-east-1' }), false);
    const file = { detail: { FileName: [{ 'anything-but': { suffix: '.png' } }] } };
    expectMatch(file, withDetail({ FileName: 'a.txt' }), true);
    expectMatch(file, withDetail({ FileName: 'a.png' }), false);
  });

  it('equals-ignore-case, single and list', () => {
    const one = { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] } };
    expectMatch(one, withDetail({ state: 'INITIALIZING' }), false);
    expectMatch(one, withDetail({ state: 'running' }), true);
    const list = { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] } };
    expectMatch(list, withDetail({ state: 'STOPPED' }), false);
    expectMatch(list, withDetail({ state: 'overloaded' }), false);
    expectMatch(list, withDetail({ state: 'running' }), true);
  });

  it('wildcard (AWS FilePath example), single and list', () => {
    const one = { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } };
    expectMatch(one, withDetail({ FilePath: '/usr/bin/node' }), true);
    expectMatch(one, withDetail({ FilePath: '/usr/lib/node' }), false);
    const list = { detail: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] } };
    expectMatch(list, withDetail({ FilePath: '/usr/bin/node' }), false);
    expectMatch(list, withDetail({ FilePath: '/home/me/x' }), true);
  });
});

describe('numeric', () => {
  it('matches the AWS c-count / d-count / x-limit example', () => {
    const pattern = {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    };
    expectMatch(pattern, withDetail({ 'c-count': 5, 'd-count': 7, 'x-limit': 301.8 }), true);
    expectMatch(pattern, withDetail({ 'c-count': 0, 'd-count': 7, 'x-limit': 301.8 }), false);
    expectMatch(pattern, withDetail({ 'c-count': 5, 'd-count': 10, 'x-limit': 301.8 }), false);
    expectMatch(pattern, withDetail({ 'c-count': 5, 'd-count': 7, 'x-limit': 301.9 }), false);
  });

  it('honours every operator at its boundary', () => {
    const at = (op: string, bound: number, v: number) => matchesPattern({ n: [{ numeric: [op, bound] }] }, { n: v });
    expect([at('<', 5, 4), at('<', 5, 5), at('<=', 5, 5), at('<=', 5, 6)]).toEqual([true, false, true, false]);
    expect([at('>', 5, 6), at('>', 5, 5), at('>=', 5, 5), at('>=', 5, 4)]).toEqual([true, false, true, false]);
    expect([at('=', 5, 5.0), at('=', 5, 5.000001)]).toEqual([true, false]);
    expectMatch({ n: [{ numeric: ['>=', -10, '<', -1] }] }, { n: -5.5 }, true);
  });

  it('never matches strings, null or booleans', () => {
    const pattern = { n: [{ numeric: ['>', 0] }] };
    expectMatch(pattern, { n: '5' }, false);
    expectMatch(pattern, { n: null }, false);
    expectMatch(pattern, { n: true }, false);
    expectMatch(pattern, {}, false);
  });
});

describe('exists', () => {
  it('exists true/false on leaf fields (AWS examples)', () => {
    expectMatch({ detail: { state: [{ exists: true }] } }, ec2Event, true);
    expectMatch({ detail: { state: [{ exists: true }] } }, withDetail({}), false);
    expectMatch({ detail: { 'c-count': [{ exists: false }] } }, ec2Event, true);
    expectMatch({ detail: { 'c-count': [{ exists: false }] } }, withDetail({ 'c-count': 1 }), false);
  });

  it('applies to leaf fields only', () => {
    expectMatch({ detail: [{ exists: true }] }, ec2Event, false);
    expectMatch({ detail: { a: [{ exists: true }] } }, withDetail({ a: { b: 1 } }), false);
    expectMatch({ detail: { a: { b: [{ exists: true }] } } }, withDetail({ a: { b: 1 } }), true);
  });

  it('counts null and empty string as present, a missing parent as absent', () => {
    expectMatch({ detail: { v: [{ exists: true }] } }, withDetail({ v: null }), true);
    expectMatch({ detail: { v: [{ exists: true }] } }, withDetail({ v: '' }), true);
    expectMatch({ detail: { a: { b: [{ exists: false }] } } }, withDetail({}), true);
  });
});

describe('null and empty string', () => {
  it('matches the AWS eventVersion / responseElements example', () => {
    const pattern = { detail: { eventVersion: [''], responseElements: [null] } };
    expectMatch(pattern, withDetail({ eventVersion: '', responseElements: null }), true);
    expectMatch(pattern, withDetail({ eventVersion: '1.0', responseElements: null }), false);
    expectMatch(pattern, withDetail({ eventVersion: '' }), false);
    expectMatch({ detail: { v: [null] } }, withDetail({ v: '' }), false);
    expectMatch({ detail: { v: [''] } }, withDetail({ v: null }), false);
  });
});

describe('cidr', () => {
  it('IPv4 (AWS sourceIPAddress example)', () => {
    const pattern = { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } };
    expectMatch(pattern, withDetail({ sourceIPAddress: '10.0.0.255' }), true);
    expectMatch(pattern, withDetail({ sourceIPAddress: '10.0.1.1' }), false);
    expectMatch(pattern, withDetail({ sourceIPAddress: 'not-an-ip' }), false);
    expectMatch(pattern, withDetail({ sourceIPAddress: 167772161 }), false);
    expectMatch({ ip: [{ cidr: '0.0.0.0/0' }] }, { ip: '8.8.8.8' }, true);
    expectMatch({ ip: [{ cidr: '192.168.1.7/32' }] }, { ip: '192.168.1.7' }, true);
    expectMatch({ ip: [{ cidr: '192.168.1.7/32' }] }, { ip: '192.168.1.8' }, false);
  });

  it('IPv6, including compressed forms, and no cross-family match', () => {
    const pattern = { ip: [{ cidr: '2001:db8::/64' }] };
    expectMatch(pattern, { ip: '2001:db8::1' }, true);
    expectMatch(pattern, { ip: '2001:0db8:0000:0000:ffff:ffff:ffff:ffff' }, true);
    expectMatch(pattern, { ip: '2001:db8:0:1::1' }, false);
    expectMatch(pattern, { ip: '10.0.0.1' }, false);
    expectMatch({ ip: [{ cidr: '10.0.0.0/8' }] }, { ip: '::ffff:10.0.0.1' }, false);
  });
});

describe('$or', () => {
  it('matches the AWS c-count / d-count / x-limit $or example', () => {
    const pattern = {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    };
    expectMatch(pattern, withDetail({ 'c-count': 3 }), true);
    expectMatch(pattern, withDetail({ 'd-count': 1 }), true);
    expectMatch(pattern, withDetail({ 'x-limit': 301.8 }), true);
    expectMatch(pattern, withDetail({ 'c-count': 9, 'd-count': 11 }), false);
  });

  it('combines with other fields at the same level (AWS CloudWatch example)', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    };
    expectMatch(pattern, { source: 'aws.cloudwatch', metricName: 'ReadLatency' }, true);
    expectMatch(pattern, { source: 'aws.cloudwatch', namespace: 'AWS/ES' }, true);
    expectMatch(pattern, { source: 'aws.cloudwatch', namespace: 'AWS/RDS' }, false);
    expectMatch(pattern, { source: 'aws.ec2', metricName: 'ReadLatency' }, false);
  });

  it('nests alternatives that contain objects', () => {
    const pattern = { $or: [{ detail: { state: ['terminated'] } }, { source: ['aws.s3'] }] };
    expectMatch(pattern, ec2Event, true);
    expectMatch(pattern, { ...ec2Event, source: 'aws.s3', detail: {} }, true);
    expectMatch(pattern, withDetail({ state: 'running' }), false);
  });
});

describe('parsePattern validation', () => {
  const invalid: Array<[string, unknown]> = [
    ['not JSON', '{source: [aws.ec2]}'],
    ['not an object', '["aws.ec2"]'],
    ['a scalar leaf', { source: 'aws.ec2' }],
    ['an empty leaf array', { source: [] }],
    ['an empty nested object', { detail: {} }],
    ['an unknown operator', { source: [{ contains: 'ec2' }] }],
    ['two operators in one object', { source: [{ prefix: 'a', suffix: 'b' }] }],
    ['a nested array', { source: [['aws.ec2']] }],
    ['a non-boolean exists', { source: [{ exists: 'yes' }] }],
    ['a non-string prefix', { source: [{ prefix: 5 }] }],
    ['a numeric with an unknown operator', { n: [{ numeric: ['!=', 5] }] }],
    ['a numeric with a string bound', { n: [{ numeric: ['>', '5'] }] }],
    ['a numeric range with reversed bounds', { n: [{ numeric: ['<', 5, '>', 0] }] }],
    ['a numeric range that is empty', { n: [{ numeric: ['>', 5, '<', 1] }] }],
    ['a numeric of odd length', { n: [{ numeric: ['>', 5, '<'] }] }],
    ['a numeric beyond 5e9', { n: [{ numeric: ['>', 6e9] }] }],
    ['a malformed cidr', { ip: [{ cidr: '10.0.0.0' }] }],
    ['a cidr with too many bits', { ip: [{ cidr: '10.0.0.0/33' }] }],
    ['consecutive wildcards', { f: [{ wildcard: 'a**b' }] }],
    ['a bad wildcard escape', { f: [{ wildcard: 'a\\b' }] }],
    ['an anything-but with a mixed list', { s: [{ 'anything-but': ['a', 1] }] }],
    ['an anything-but with an empty list', { s: [{ 'anything-but': [] }] }],
    ['an anything-but with an unknown operator', { s: [{ 'anything-but': { numeric: ['>', 1] } }] }],
    ['an equals-ignore-case on a number', { s: [{ 'equals-ignore-case': 5 }] }],
    ['an $or with one alternative', { $or: [{ source: ['a'] }] }],
    ['an $or that is not an array', { $or: { source: ['a'] } }],
  ];
  it.each(invalid)('rejects %s with InvalidEventPatternException', (_name, pattern) => {
    let caught: unknown;
    try {
      parsePattern(pattern as string | object);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidEventPatternError);
    expect((caught as InvalidEventPatternError).code).toBe('InvalidEventPatternException');
  });

  it('accepts the JSON text of a valid pattern and matchesPattern reuses a parsed one', () => {
    const parsed = parsePattern('{"source":["aws.ec2"],"detail":{"state":[{"anything-but":"running"}]}}');
    expect(matchesPattern(parsed, ec2Event)).toBe(true);
    expect(() => matchesPattern({ source: [] }, ec2Event)).toThrow(InvalidEventPatternError);
  });
});

/**
 * Cases where a staging rule could behave differently from the sandbox, each with the verdict AWS
 * documents or was observed to give (TestEventPattern / PutRule against the real service).
 */
describe('AWS current behaviour', () => {
  const rejects = (pattern: object, reason: RegExp) => {
    expect(() => parsePattern(pattern)).toThrow(InvalidEventPatternError);
    expect(() => parsePattern(pattern)).toThrow(reason);
  };

  it('anything-but with a list of prefixes matches values starting with none of them', () => {
    const pattern = { detail: { Region: [{ 'anything-but': { prefix: ['us-', 'eu-'] } }] } };
    expectMatch(pattern, withDetail({ Region: 'ap-south-1' }), true);
    expectMatch(pattern, withDetail({ Region: 'us-east-1' }), false);
    expectMatch(pattern, withDetail({ Region: 'eu-west-1' }), false);
    expectMatch(pattern, withDetail({}), false);
  });

  it('anything-but with a list of suffixes matches values ending with none of them', () => {
    const pattern = { detail: { FileName: [{ 'anything-but': { suffix: ['.png', '.jpg'] } }] } };
    expectMatch(pattern, withDetail({ FileName: 'notes.txt' }), true);
    expectMatch(pattern, withDetail({ FileName: 'photo.jpg' }), false);
    expectMatch(pattern, withDetail({ FileName: 'image.png' }), false);
  });

  it('anything-but with a list of wildcards matches values fitting none of them', () => {
    const pattern = { detail: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*.tmp'] } }] } };
    expectMatch(pattern, withDetail({ FilePath: '/home/me/report.pdf' }), true);
    expectMatch(pattern, withDetail({ FilePath: '/usr/lib/libc.so' }), false);
    expectMatch(pattern, withDetail({ FilePath: '/home/me/x.tmp' }), false);
  });

  it('rejects an empty prefix or suffix inside anything-but, alone or in a list', () => {
    rejects({ s: [{ 'anything-but': { prefix: '' } }] }, /anything-but prefix cannot be empty/);
    rejects({ s: [{ 'anything-but': { suffix: '' } }] }, /anything-but suffix cannot be empty/);
    rejects({ s: [{ 'anything-but': { prefix: ['us-', ''] } }] }, /anything-but prefix cannot be empty/);
    rejects({ s: [{ 'anything-but': { prefix: [] } }] }, /must be a string or a list of strings/);
    rejects({ s: [{ 'anything-but': { suffix: [1] } }] }, /must be a string or a list of strings/);
    rejects({ s: [{ 'anything-but': { wildcard: [] } }] }, /must be a string or a list of strings/);
  });

  it('rejects wildcard values AWS calls too complex (four *:stack/<name>/* on one field), accepts three', () => {
    const stacks = (names: string[]) => ({ detail: { 'stack-id': names.map((n) => ({ wildcard: `*:stack/${n}/*` })) } });
    expect(() => parsePattern(stacks(['Api', 'Data', 'Auth']))).not.toThrow();
    rejects(stacks(['Api', 'Data', 'Auth', 'Monitoring']), /Rule is too complex/);
    // anything-but wildcard values count the same way
    rejects({ f: [{ 'anything-but': { wildcard: ['*:stack/A/*', '*:stack/B/*', '*:stack/C/*', '*:stack/D/*'] } }] }, /Rule is too complex/);
    // values of one field count together across $or alternatives
    rejects(
      {
        $or: [
          { f: [{ wildcard: '*:stack/A/*' }, { wildcard: '*:stack/B/*' }] },
          { f: [{ wildcard: '*:stack/C/*' }, { wildcard: '*:stack/D/*' }] },
        ],
      },
      /Rule is too complex/,
    );
  });

  it('accepts the wildcard forms AWS recommends for lower complexity', () => {
    for (const wildcard of ['arn:aws:events:us-east-1:*:event-bus/*', '/Users/*/doc.txt']) {
      expect(() => parsePattern({ EventBusArn: [{ wildcard }] }), wildcard).not.toThrow();
    }
  });

  it('treats a dotted pattern key as the nested path (AWS compiles both to one rule)', () => {
    const event = { ...ec2Event, detail: { name: 'x', state: { status: 'running' } } };
    expectMatch({ 'detail.name': ['x'] }, event, true);
    expectMatch({ 'detail.name': ['y'] }, event, false);
    expectMatch({ detail: { 'state.status': ['running'] } }, event, true);
    expectMatch({ detail: { 'state.status': ['stopped'] } }, event, false);
    expectMatch({ 'detail.state': { status: [{ prefix: 'run' }] } }, event, true);
  });

  it('sees an event key containing dots at the same path as the nested form', () => {
    const event = { ...ec2Event, detail: { 'a.b': 1 } };
    expectMatch({ detail: { a: { b: [1] } } }, event, true);
    expectMatch({ detail: { 'a.b': [1] } }, event, true);
    expectMatch({ detail: { a: { b: [2] } } }, event, false);
    expectMatch({ detail: { a: { c: [{ exists: false }] } } }, event, true);
  });
});
