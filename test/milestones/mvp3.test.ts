import { describe, expect, it } from 'vitest';
import { expectCleanGo, expectNoGoOn, explain, runCli, runWithFaults } from './run-cli.js';

// The proof that MVP 3's verdict is honest: a clean smoke run is GO with every criterion measured, one network
// down is still GO (5 of 6), and each fault turns exactly its criterion into NO-GO.
const smoke = ['run', 'mvp3', '--profile', 'smoke'];
const TIMEOUT = 240_000;

describe('mvp3 smoke against the sandbox', () => {
  it('clean run: GO, exit 0, every criterion measured', { timeout: TIMEOUT }, async () => {
    const r = await runCli(smoke, { outName: 'clean' });
    expectCleanGo(r, 'mvp3');
    expect(r.criterion('network-success').measured).toBe(1);
    expect(r.summary!.probes['pqc-validation-time'].value).toBeGreaterThan(0); // p99 beside the p95 criterion
    expect(r.summary!.probes['journal-capture'].details?.expected).toMatchObject({ eventbridge: expect.any(Number) });
    expect((r.summary!.probes['journal-capture'].details?.expected as { eventbridge: number }).eventbridge).toBeGreaterThan(1000);
  });

  it('--fault network.polygon.down: still GO, 5 of 6 networks', { timeout: TIMEOUT }, async () => {
    const r = await runWithFaults(smoke, ['network.polygon.down']);
    expect(r.code, explain(r)).toBe(0);
    const c = r.criterion('network-success');
    expect(c.pass).toBe(true);
    expect(c.measured).toBeCloseTo(5 / 6, 5);
    expect(r.criterion('token-supply').pass).toBe(true);
  });

  const faults: Array<[string[], string]> = [
    [['network.polygon.down', 'network.solana.down'], 'network-success'],
    [['signature.latency=8ms'], 'pqc-latency'],
    [['signature.accept-invalid'], 'pqc-correctness'],
    [['journal.drop=0.01'], 'journal-capture'],
  ];
  for (const [knobs, criterion] of faults) {
    it(`--fault ${knobs.join(' --fault ')}: NO-GO on ${criterion}`, { timeout: TIMEOUT }, async () => {
      const r = await runWithFaults(smoke, knobs);
      expectNoGoOn(r, criterion);
      expect(r.criterion(criterion).measured, `${criterion} measured`).not.toBeNull();
      // The other criteria keep their real, measured values.
      expect(r.criterion('token-supply').measured).toBe(1);
    });
  }
});
