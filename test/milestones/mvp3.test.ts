import { describe, expect, it } from 'vitest';
import { expectCleanGo, expectVector, explain, runCli, runWithFaults } from './run-cli.js';

// The proof that MVP 3's verdict is honest: a clean smoke run is GO with every criterion measured, one network
// down is still GO (5 of 6), and each fault gives NO-GO with the whole criteria vector asserted: its criterion
// fails, every other passes unless named here with the reason the fault must break it too.
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
    // Every criterion passes: a down network is judged by network-success alone (its token operations are refused
    // with 503 NETWORK_UNAVAILABLE, not counted as failed checks), and 50 of 60 token cycles is the 5-of-6 share.
    for (const x of r.summary!.criteria) expect(x.pass, x.id).toBe(true);
    expect(r.criterion('token-supply').sample).toEqual({ text: '50 of 50 completed token cycles', ok: true });
  });

  const faults: Array<[string[], Record<string, string>]> = [
    [
      ['network.polygon.down', 'network.solana.down'],
      {
        'network-success': 'every broadcast reaches only 4 of 6 networks',
        'functional-checks': 'each broadcast is checked for the 5-of-6 quorum',
        'token-supply': 'two down networks leave 40 of 60 token cycles, short of the 5-of-6 share the sample needs',
      },
    ],
    [['signature.latency=8ms'], { 'pqc-latency': 'the knob adds 8 ms inside each validation' }],
    [
      ['signature.accept-invalid'],
      {
        'pqc-correctness': 'invalid signatures are accepted',
        'functional-checks': 'each validation is checked for the expected answer',
      },
    ],
    [['journal.drop=0.01'], { 'journal-capture': 'the knob loses 1% of the journal writes' }],
    [['token.supply-skew=7'], { 'token-supply': 'the supply report overstates minted and supply by 7 on every network' }],
    [
      ['signature.throttle=1000ms'],
      {
        'pqc-latency': 'the throttled service validates fewer signatures than the 1,000 the sample needs',
        'pqc-correctness': 'same sample as pqc-latency: the validations',
      },
    ],
  ];
  for (const [knobs, failing] of faults) {
    it(`--fault ${knobs.join(' --fault ')}: NO-GO on ${Object.keys(failing)[0]}, the whole vector`, { timeout: TIMEOUT }, async () => {
      const r = await runWithFaults(smoke, knobs);
      expectVector(r, failing);
      if (knobs[0] === 'signature.throttle=1000ms')
        expect(r.criterion('pqc-latency').note).toMatch(/sample short: [\d,]+ of 1,000 validations/);
    });
  }
});
