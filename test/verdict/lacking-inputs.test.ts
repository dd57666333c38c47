import { describe, expect, it } from 'vitest';
import { validateSummary } from '../../lib/report/index.js';
import type { RunResults } from '../../lib/results/index.js';
import { exitCodeOf, summarize, type Criterion, type ProbeResult } from '../../lib/verdict/index.js';
import { journalCapture, targetFileLacks, type EventTap } from '../../lib/verify/index.js';
import { mvp2Criteria } from '../../thresholds/mvp2.js';
import { mvp3Criteria } from '../../thresholds/mvp3.js';
import { mvp4Criteria } from '../../thresholds/mvp4.js';
import { runMeta } from '../helpers/run-meta.js';

// The rows of docs/real-environments.md ("UNDECIDED or NO-GO") about target files: a part the harness was not given
// is UNDECIDED (exit 2) naming it; a criterion the platform failed beside it is still NO-GO (exit 1).

/** A results boundary where every metric criterion passes on a full sample; `zero` counters read 0. */
function passingResults(zero: string[] = []): RunResults {
  return {
    rate: (metric: string) => ({ passes: metric === 'http_req_failed' ? 0 : 1e6, total: 1e6, rate: metric === 'http_req_failed' ? 0 : 1 }),
    trend: () => ({ count: 1e6, min: 1, max: 2, mean: 1, p50: 1, p90: 1, p95: 1, p99: 1 }),
    counter: (metric: string, tags: Record<string, string> = {}) =>
      zero.includes(`${metric}{${tags.scenario ?? ''}}`) || metric === 'dropped_iterations' ? 0 : 1e6,
    series: () => [],
    buckets: () => [],
    timeSeries: () => [],
    latencyDistribution: () => [],
  } as unknown as RunResults;
}

const meta = (milestone: string) =>
  runMeta({ milestone, runId: `${milestone}-test`, target: { name: 'staging', environment: 'staging', sandbox: false } });

function decide(milestone: string, criteria: Criterion[], probes: Record<string, ProbeResult>, results: RunResults | null) {
  const s = summarize({ meta: meta(milestone), results, probes, criteria });
  expect(validateSummary(JSON.parse(JSON.stringify(s)))).toEqual({ ok: true });
  return { summary: s, exit: exitCodeOf(s) };
}

const forcedFailureLacking = () => targetFileLacks('forcedFailure', 'add the hook');
const mvp2Probes = (ledger: number) => ({
  'ledger-consistency': { value: ledger },
  'saga-compensation': forcedFailureLacking(),
  'parallel-validation': { value: 0 },
  'performance-degradation': { value: 0.05 },
  'target-restored': { value: 1 },
});

describe('a target file without a part the harness needs', () => {
  it('MVP 2 without the forcedFailure hook: UNDECIDED (exit 2) naming the hook, not NO-GO', () => {
    const { summary, exit } = decide('mvp2', mvp2Criteria, mvp2Probes(1), passingResults(['iterations{saga}']));
    expect(summary.verdict).toBe('UNDECIDED');
    expect(exit).toBe(2);
    expect(summary.undecided).toMatch(
      /^the harness lacks what it needs to decide: saga-compensation not measured: the target file has no `forcedFailure`/,
    );
    expect(summary.criteria.filter((c) => !c.pass).map((c) => c.id)).toEqual(['saga-compensation']);
  });

  it('MVP 2 without the hook but with an inconsistent ledger: NO-GO (exit 1), the platform failed; the note still names the hook', () => {
    const { summary, exit } = decide('mvp2', mvp2Criteria, mvp2Probes(0.98), passingResults(['iterations{saga}']));
    expect(summary.verdict).toBe('NO-GO');
    expect(exit).toBe(1);
    expect(summary.undecided).toBeUndefined();
    expect(summary.criteria.filter((c) => !c.pass).map((c) => c.id)).toEqual(['ledger-consistency', 'saga-compensation']);
    expect(summary.criteria.find((c) => c.id === 'saga-compensation')!.note).toMatch(/the target file has no `forcedFailure`/);
  });

  it('MVP 3 without journal.url: UNDECIDED (exit 2) naming journal.url', async () => {
    const journal = await journalCapture({} as EventTap, 'mvp3-test', null, { timeoutMs: 0, stallMs: 0 });
    const probes = { 'network-success': { value: 1 }, 'journal-capture': journal, 'token-supply': { value: 1 } };
    const { summary, exit } = decide('mvp3', mvp3Criteria, probes, passingResults());
    expect(exit).toBe(2);
    expect(summary.undecided).toMatch(/journal-capture not measured: the target file has no `journal.url`/);
  });

  it('MVP 4 without the cost section: UNDECIDED (exit 2) naming cost', () => {
    const probes = {
      'features-operational': { value: 1 },
      'sse-stability': { value: 1 },
      'cost-targets': targetFileLacks('cost', 'add the section'),
    };
    const { summary, exit } = decide('mvp4', mvp4Criteria, probes, passingResults());
    expect(exit).toBe(2);
    expect(summary.undecided).toMatch(/cost-targets not measured: the target file has no `cost`/);
  });

  it('a probe that could not be measured for another reason is still NO-GO: only a missing input is UNDECIDED', () => {
    const probes = { ...mvp2Probes(1), 'saga-compensation': { value: null, note: 'probe failed: admin API answered 500' } };
    const { summary, exit } = decide('mvp2', mvp2Criteria, probes, passingResults());
    expect(summary.verdict).toBe('NO-GO');
    expect(exit).toBe(1);
  });
});
