import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SUMMARY_SCHEMA_PATH, validateSummary } from '../../lib/report/index.js';
import { compareWithBaseline, type Summary } from '../../lib/verdict/index.js';
import { buildSummary } from './fixtures/build-summary.js';

/** Every top-level Summary key; the Record type makes the compiler flag a key added to Summary but not here. */
const SUMMARY_KEYS: Record<keyof Summary, true> = {
  schemaVersion: true,
  milestone: true,
  verdict: true,
  undecided: true,
  profile: true,
  target: true,
  runId: true,
  startedAt: true,
  finishedAt: true,
  interrupted: true,
  versions: true,
  flags: true,
  faults: true,
  criteria: true,
  scenarios: true,
  requests: true,
  timeSeries: true,
  latencyDistribution: true,
  overall: true,
  probes: true,
  phases: true,
  baseline: true,
  comparisonSample: true,
};

describe('summary schema', () => {
  it('lists exactly the Summary fields at top level and rejects unknown ones', () => {
    const schema = JSON.parse(readFileSync(SUMMARY_SCHEMA_PATH, 'utf8')) as { properties: object; additionalProperties: boolean };
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(SUMMARY_KEYS).sort());
    expect(schema.additionalProperties).toBe(false);
  });

  it('accepts a sample summary, with and without baseline data', () => {
    const s = buildSummary({ hostile: true });
    expect(validateSummary(JSON.parse(JSON.stringify(s)))).toEqual({ ok: true });
    const cmp = compareWithBaseline(s, buildSummary(), { file: 'x.json' });
    expect(
      validateSummary(
        JSON.parse(JSON.stringify({ ...s, requests: cmp.requests, baseline: cmp.baseline, verdict: 'UNDECIDED', undecided: 'x' })),
      ),
    ).toEqual({ ok: true });
  });

  it('names the bad field', () => {
    const s = buildSummary() as unknown as Record<string, unknown>;
    const broken = structuredClone(s);
    (broken.criteria as Array<Record<string, unknown>>)[1]!.measured = 'high';
    broken.schemaVersion = 2;
    broken.colour = 'blue';
    delete broken.runId;
    const res = validateSummary(broken);
    expect(res.ok).toBe(false);
    const errors = res.ok ? [] : res.errors;
    expect(errors).toContain('/criteria/1/measured: must be number,null');
    expect(errors).toContain('/schemaVersion: must be 1');
    expect(errors).toContain('(root): unknown field `colour`');
    expect(errors).toContain('(root): missing required field `runId`');
  });

  it("checks a rate criterion's interval: whole counts, bounds within 0..1, Wilson", () => {
    const s = JSON.parse(JSON.stringify(buildSummary())) as Summary;
    const interval = s.criteria[1]!.interval!;
    expect(interval).toMatchObject({ count: 234, total: 10_000, method: 'wilson' });
    const broken = structuredClone(s);
    Object.assign(broken.criteria[1]!.interval!, { count: 2.5, upper: 1.2, method: 'wald' });
    const res = validateSummary(broken);
    const errors = res.ok ? [] : res.errors;
    expect(errors).toContain('/criteria/1/interval/count: must be integer');
    expect(errors).toContain('/criteria/1/interval/upper: must be <= 1');
    expect(errors).toContain('/criteria/1/interval/method: must be "wilson"');
  });

  it('allows UNDECIDED exactly beside an undecided reason', () => {
    const s = JSON.parse(JSON.stringify(buildSummary()));
    expect(validateSummary({ ...s, verdict: 'UNDECIDED', undecided: 'k6 script error' })).toEqual({ ok: true });
    expect(validateSummary({ ...s, verdict: 'UNDECIDED' }).ok).toBe(false);
    expect(validateSummary({ ...s, verdict: 'GO', undecided: 'interrupted' }).ok).toBe(false);
  });

  it('rejects a wrong verdict and a bad timestamp', () => {
    const res = validateSummary({ ...buildSummary(), verdict: 'MAYBE', startedAt: 'yesterday' });
    expect(res.ok).toBe(false);
    const text = res.ok ? '' : res.errors.join('\n');
    expect(text).toContain('/verdict');
    expect(text).toContain('/startedAt');
  });
});
