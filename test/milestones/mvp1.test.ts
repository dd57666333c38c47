import { describe, expect, it } from 'vitest';
import { expectCleanGo, expectNoGoOn, expectRerenderSame, runCli, runWithFaults } from './run-cli.js';

// The proof that MVP 1's verdict is honest: a clean smoke run is GO with every criterion measured,
// and each fault knob turns exactly its criterion into NO-GO, naming the measured value.
const smoke = ['run', 'mvp1', '--profile', 'smoke'];
const TIMEOUT = 240_000;

describe('mvp1 smoke against the sandbox', () => {
  it('clean run: GO, exit 0, every criterion measured, report re-renders to the same verdict', { timeout: TIMEOUT }, async () => {
    const r = await runCli(smoke, { outName: 'clean' });
    expectCleanGo(r, 'mvp1');
    expect(r.summary!.probes['shadow-divergence'].details?.compared).toBeGreaterThan(50);
    // The drill is a phase of its own after the load measurement, under its own run id, and is undone.
    const [load, drill] = r.summary!.phases!;
    expect(load).toMatchObject({ name: 'load', runId: r.summary!.runId, errorRate: 0 });
    expect(drill).toMatchObject({ name: 'rollback-drill', runId: `${r.summary!.runId}-drill`, errorRate: 0 });
    expect(drill.requests).toBeGreaterThan(50);
    const timeline = r.summary!.probes['rollback-drill'].details?.timeline as Array<{ at: string; what: string }>;
    const loadEnd = r.summary!.timeSeries.filter((b) => b.requests > 0).at(-1)!.t;
    expect(Date.parse(timeline.find((e) => e.what === 'rollback action started')!.at)).toBeGreaterThan(loadEnd);
    expect(timeline.map((e) => e.what)).toEqual(expect.arrayContaining([expect.stringMatching(/^cutover held to the end/), expect.stringMatching(/^events flow on EventBridge again/)]));
    expect(r.criterion('target-restored').measured).toBe(1);
    expectRerenderSame(r);
  });

  it('--fault restore=broken: NO-GO on target-restored, said loudly; the drill itself passes', { timeout: TIMEOUT }, async () => {
    const r = await runWithFaults(smoke, ['restore=broken']);
    expectNoGoOn(r, 'target-restored');
    expect(r.criterion('target-restored').note).toMatch(/the target was NOT restored: after "POST .*\/admin\/restore" the flags differ from the start of the run: .*FeatureManagement\.EventBridge\.OrchestrationService: false, was true/);
    expect(r.stderr).toMatch(/THE TARGET WAS NOT RESTORED/);
    expect(r.stdout).toMatch(/THE TARGET WAS NOT RESTORED/);
    expect(r.criterion('rollback-drill').pass).toBe(true);
    for (const c of r.summary!.criteria) if (c.id !== 'target-restored') expect(c.pass, c.id).toBe(true);
  });

  const faults: Array<[string, string]> = [
    ['notification.drop=0.05', 'notifications-delivered'],
    ['gateway.latency=300ms', 'p95-latency'],
    ['user.error=0.02', 'error-rate'],
    ['eventbridge.drop=0.01', 'shadow-divergence'],
    ['rollback=broken', 'rollback-drill'],
  ];
  for (const [fault, criterion] of faults) {
    it(`--fault ${fault}: NO-GO on ${criterion}`, { timeout: TIMEOUT }, async () => {
      const r = await runWithFaults(smoke, [fault]);
      expectNoGoOn(r, criterion);
      // The other criteria keep their real, measured values.
      const services = r.criterion('services-healthy');
      expect(services.measured).toBe(1);
    });
  }
});
