import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectCleanGo, expectNoGoOn, expectRerenderSame, explain, runCli, runWithFaults } from './run-cli.js';

// The proof that MVP 2's verdict is honest: a clean smoke run is GO with every criterion measured (performance
// degradation against its own legacy-path phase), each fault knob turns its criterion into NO-GO, and a baseline from
// the clean run catches a 150 ms slowdown as performance degradation.
const smoke = ['run', 'mvp2', '--profile', 'smoke'];
const TIMEOUT = 240_000;

describe('mvp2 smoke against the sandbox', () => {
  let baseline = '';

  it('clean run: GO, exit 0, every criterion measured, report re-renders to the same verdict', { timeout: TIMEOUT }, async () => {
    const r = await runCli(smoke, { outName: 'clean' });
    expectCleanGo(r, 'mvp2');
    expect(r.summary!.criteria.map((c) => c.id)).toEqual([
      'ledger-consistency',
      'saga-compensation',
      'payment-latency',
      'parallel-validation',
      'error-rate',
      'performance-degradation',
      'target-restored',
    ]);
    // Without --baseline the run measures its own: the same payment load on the legacy path first, side by side.
    const degradation = r.criterion('performance-degradation');
    expect(degradation.skipped).toBeFalsy();
    expect(degradation.measured).toEqual(expect.any(Number));
    const [legacy, migrated] = r.summary!.phases!;
    expect(legacy).toMatchObject({ name: 'legacy-baseline', scenario: 'payment-flow', runId: `${r.summary!.runId}-legacy`, errorRate: 0 });
    expect(migrated).toMatchObject({ name: 'migrated', scenario: 'payment-flow', runId: r.summary!.runId, errorRate: 0 });
    expect(legacy.requests).toBeGreaterThanOrEqual(200);
    expect(migrated.requests).toBeGreaterThanOrEqual(200);
    expect(r.criterion('target-restored').measured).toBe(1);
    const probes = r.summary!.probes;
    // The smoke sizes: 100 + 200 payments confirmed and reconciled, 15 forced failures (5 per step) compensated.
    expect(probes['ledger-consistency'].details?.payments).toBe(315);
    expect(probes['saga-compensation'].details?.byStep).toEqual({
      validate: { forced: 5, compensated: 5 },
      settle: { forced: 5, compensated: 5 },
      confirm: { forced: 5, compensated: 5 },
    });
    expect(probes['parallel-validation'].details?.compared).toBeGreaterThanOrEqual(310);
    expect(probes['services-healthy'].value).toBe(1);
    // Forced-failure requests are tagged and left out of error-rate: the saga's 422s do not count.
    const sagaPost = r.summary!.requests.find((x) => x.scenario === 'saga' && x.name === 'POST /api/payments');
    expect(sagaPost?.errorRate).toBeGreaterThan(0);
    expect(r.criterion('error-rate').measured).toBe(0);

    expectRerenderSame(r);
    baseline = join(r.dir, 'summary.json');
  });

  const faults: Array<[string, string]> = [
    ['ledger.skew=3', 'ledger-consistency'],
    ['payment.compensation=broken', 'saga-compensation'],
    ['payment.latency=400ms', 'payment-latency'],
    ['eventbridge.drop=0.01', 'parallel-validation'],
    // Only the EventBridge path slows down: the legacy-path phase does not, the migrated one does.
    ['eventbridge.latency=30ms', 'performance-degradation'],
  ];
  for (const [fault, criterion] of faults) {
    it(`--fault ${fault}: NO-GO on ${criterion}`, { timeout: TIMEOUT }, async () => {
      const r = await runWithFaults(smoke, [fault]);
      expectNoGoOn(r, criterion);
      expect(r.criterion(criterion).measured).not.toBeNull();
    });
  }

  it('--baseline <clean run> --fault payment.latency=150ms: NO-GO on performance-degradation', { timeout: TIMEOUT }, async () => {
    expect(baseline, 'the clean run must have produced a baseline').not.toBe('');
    const r = await runWithFaults(smoke, ['payment.latency=150ms'], ['--baseline', baseline]);
    expect(r.code, explain(r)).toBe(1);
    const c = r.criterion('performance-degradation');
    expect(c.skipped).toBeFalsy();
    expect(c.pass).toBe(false);
    expect(c.measured).toBeGreaterThan(0.2);
    // Compared with the given summary, not measured again: no legacy phase ran.
    expect(c.rule).toMatch(/against baseline run/);
    expect(r.summary!.phases).toBeUndefined();
    expect(r.stdout).toMatch(/FAIL\s+performance-degradation/);
  });
});
