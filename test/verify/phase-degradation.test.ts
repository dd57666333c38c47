import { describe, expect, it } from 'vitest';
import type { PhaseStats } from '../../lib/verdict/index.js';
import { phaseDegradation } from '../../lib/verify/index.js';

const phase = (name: string, p95: number, errorRate = 0): PhaseStats => ({
  name,
  configuration: name,
  scenario: 'payment-flow',
  runId: `run-${name}`,
  requests: 500,
  p95,
  p99: p95 * 1.5,
  errorRate,
});

describe('phaseDegradation (MVP 2: migrated against the legacy path, same load)', () => {
  it('on a real target, 100 ms legacy to 130 ms migrated is +30%: over the seed’s 20%', () => {
    const r = phaseDegradation(phase('legacy', 100), phase('migrated', 130), { p95FloorMs: 10 });
    expect(r.value).toBeCloseTo(0.3, 9);
  });

  it('a legacy p95 under the floor divides as the floor: 4 ms to 6 ms is +2 ms of 10 ms (+20%), not +50%', () => {
    expect(phaseDegradation(phase('legacy', 4), phase('migrated', 6), { p95FloorMs: 10 }).value).toBeCloseTo(0.2, 9);
    // The sandbox's floor (its 300 ms budget): its in-process legacy path is no yardstick.
    expect(phaseDegradation(phase('legacy', 4.5), phase('migrated', 22.9), { p95FloorMs: 300 }).value).toBeLessThan(0.2);
  });

  it('the worse of p95 and error rate; a failed restore vetoes; no legacy phase is unmeasured', () => {
    const r = phaseDegradation(phase('legacy', 100, 0.01), phase('migrated', 100, 0.02), { p95FloorMs: 10, restoreError: 'flags differ' });
    expect(r.value).toBeCloseTo(1, 9);
    expect(r.veto).toMatch(/not restored: flags differ/);
    expect(phaseDegradation(null, phase('migrated', 100), { p95FloorMs: 10 }).value).toBeNull();
  });
});
