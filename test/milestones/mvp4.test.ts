import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Summary } from '../../lib/verdict/types.js';
import { type CliRun, expectCleanGo, expectNoGoOn, expectRerenderSame, explain, runCli, runWithFaults } from './run-cli.js';

// MVP 4's verdict is honest: a clean smoke run (60 s soak, 50 SSE clients) is GO with every criterion measured; each
// MVP 4 fault knob fails exactly its criterion (the whole vector asserted); a soak killed with SIGKILL still reports
// from its checkpoints. Fault runs use a shorter soak (--soak-duration) that still measures each condition.
const smoke = ['run', 'mvp4', '--profile', 'smoke'];
const TIMEOUT = 240_000;

/** NO-GO on `criterion` alone: every other criterion measured and passing. */
function expectOnly(r: CliRun, criterion: string): void {
  expectNoGoOn(r, criterion);
  for (const c of r.summary!.criteria) {
    if (c.id === criterion || c.skipped) continue;
    expect(c.measured, `${c.id} measured (${explain(r)})`).not.toBeNull();
    expect(c.pass, `${c.id} passes with only ${criterion} broken: ${c.note ?? ''}`).toBe(true);
  }
}

const failedChecks = (r: CliRun): string[] =>
  ((r.summary!.probes['sse-stability'].details?.checks ?? []) as Array<{ check: string; pass: boolean }>)
    .filter((c) => !c.pass)
    .map((c) => c.check);

describe('mvp4 smoke against the sandbox', () => {
  it('clean run: GO, exit 0, every criterion measured, report re-renders to the same verdict', { timeout: TIMEOUT }, async () => {
    const r = await runCli(smoke, { outName: 'clean' });
    expectCleanGo(r, 'mvp4');
    expect(r.summary!.criteria.map((c) => c.id)).toEqual(expect.arrayContaining(['features-operational', 'sse-stability', 'cost-targets']));
    const p = r.summary!.probes;
    const soak = p['sse-stability'].details as Record<string, any>;
    expect(soak.clients).toBe(50);
    expect(soak.plannedMs).toBe(60_000);
    expect(soak.counters.expected).toBeGreaterThanOrEqual(50);
    expect(soak.counters.received).toBeGreaterThanOrEqual(soak.counters.expected);
    expect(soak.counters.heartbeats).toBeGreaterThanOrEqual(50 * 3);
    expect(existsSync(join(r.dir, 'data', 'soak', 'checkpoint.json'))).toBe(true);
    const fo = p['features-operational'].details as Record<string, any>;
    for (const s of ['user-lifecycle', 'marketplace', 'compliance', 'sse-soak']) expect(fo.checks[s].total, s).toBeGreaterThan(0);
    expect(fo.dualValidation.compared).toBeGreaterThan(20);
    const cost = p['cost-targets'].details as Record<string, any>;
    expect(Object.keys(cost.perService.eventBridge)).toEqual(expect.arrayContaining(['qsl.marketplace', 'qsl.compliance', 'qsl.user']));
    expect(cost.perOperationType.map((o: { operationType: string }) => o.operationType)).toEqual([
      'user-lifecycle',
      'marketplace',
      'compliance',
      'sse-soak',
    ]);
    expect(cost.projection.monthlyUsd).toBeGreaterThan(0);
    expectRerenderSame(r);
  });

  // Short soaks keep the CI budget: each still checks at least one event per client and every condition it names.
  const brief = ['--soak-duration', '8s', '--soak-clients', '20'];
  const faults: Array<[string, string, string[]]> = [
    ['sse.disconnect=3', 'sse-stability', ['--soak-duration', '10s', '--soak-clients', '20']],
    ['sse.drop=0.05', 'sse-stability', ['--soak-duration', '10s', '--soak-clients', '20']],
    // Heartbeats come every 15 s: a soak longer than twice that shows the gap.
    ['sse.heartbeat=off', 'sse-stability', ['--soak-duration', '32s', '--soak-clients', '20']],
    ['marketplace.error=0.2', 'features-operational', brief],
    ['compliance.mismatch=0.1', 'features-operational', brief],
    ['aireview.latency=2000ms', 'features-operational', brief],
  ];
  const soakCheck: Record<string, string> = {
    'sse.disconnect=3': 'no stream dropped (disconnects)',
    'sse.drop=0.05': 'missed events (bus vs stream, after reconnects)',
    'sse.heartbeat=off': 'largest heartbeat gap (ms)',
  };
  for (const [fault, criterion, extra] of faults) {
    it(`--fault ${fault}: NO-GO on ${criterion} alone`, { timeout: TIMEOUT }, async () => {
      const r = await runWithFaults(smoke, [fault], extra);
      expectOnly(r, criterion);
      if (soakCheck[fault]) expect(failedChecks(r)).toContain(soakCheck[fault]);
      if (fault.startsWith('compliance'))
        expect(r.summary!.probes['features-operational'].details?.dualValidation).toMatchObject({ mismatched: expect.any(Number) });
    });
  }

  it('a soak killed with SIGKILL after 40 s still reports from its checkpoints: partial, never GO', { timeout: TIMEOUT }, async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'qsl-it-')), 'killed-soak');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/qsl.ts', 'soak', '--profile', 'smoke', '--duration', '90s', '--clients', '20', '--out', dir],
      {
        env: { ...process.env, CI: 'true' },
        stdio: ['ignore', 'ignore', 'ignore'],
      },
    );
    await new Promise((r) => setTimeout(r, 40_000));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    expect(existsSync(join(dir, 'summary.json'))).toBe(false);
    const rep = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/qsl.ts', 'report', dir], { encoding: 'utf8' });
    expect([1, 2]).toContain(rep.status);
    const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;
    expect(s.verdict).not.toBe('GO');
    const c = s.criteria.find((x) => x.id === 'sse-stability')!;
    expect(c.pass).toBe(false);
    expect(c.note ?? '').toMatch(/partial soak: the last checkpoint .* covers \d+(\.\d+)?% of the planned 90 s/);
    const d = s.probes['sse-stability'].details as Record<string, any>;
    expect(d.coverage).toBeGreaterThan(0.1);
    expect(d.coverage).toBeLessThan(0.6);
    expect(d.counters.received).toBeGreaterThan(0);
    expect(rep.stdout).toMatch(/FAIL\s+sse-stability/);
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
  });
});
