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
    expectRerenderSame(r);
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
