import { describe, expect, it } from 'vitest';
import { parseFlaggerPayload } from '../../lib/gate/index.js';
import { parseDuration } from '../../lib/watch/index.js';

const flagger = { name: 'eventbridge-migration', namespace: 'qsl', phase: 'Progressing', checksum: '6d9c8c8f5', metadata: { stage: '1' } };

describe("Flagger's webhook payload", () => {
  it('accepts what Flagger sends and takes the stage from metadata', () => {
    expect(parseFlaggerPayload(flagger)).toEqual({ ok: true, payload: flagger, stage: '1' });
    // Older Flagger versions send no checksum.
    const { checksum: _, ...old } = flagger;
    expect(parseFlaggerPayload(old)).toMatchObject({ ok: true, stage: '1' });
  });

  it.each([
    [{ ...flagger, name: '' }, /name: the canary name is required/],
    [{ ...flagger, namespace: undefined }, /namespace/],
    [{ ...flagger, phase: 'Rolling' }, /phase: expected one of Flagger's canary phases/],
    [{ ...flagger, checksum: 42 }, /checksum/],
    [{ ...flagger, metadata: { stage: 1 } }, /metadata/],
    [{ ...flagger, metadata: {} }, /metadata.stage is missing: add `metadata: \{ stage: "1" \}`/],
    [{ ...flagger, metadata: { stage: 'one' } }, /metadata.stage "one" is not a stage/],
    ['not json', /invalid Flagger webhook payload/],
  ])('rejects %j naming the field', (body, message) => {
    const r = parseFlaggerPayload(body);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(message);
  });
});

describe('watch durations', () => {
  it('reads 2h, 90m, 45s, 1h30m and rejects anything else with the fix', () => {
    expect([parseDuration('2h'), parseDuration('90m'), parseDuration('45s'), parseDuration('1h30m')]).toEqual([7200, 5400, 45, 5400]);
    expect(() => parseDuration('2 hours')).toThrow(/write it like 2h, 90m, 45s or 1h30m/);
    expect(() => parseDuration('0s')).toThrow(/--duration/);
  });
});
