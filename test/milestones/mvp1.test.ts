import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { validateSummary } from '../../lib/report/index.js';
import { explain, runCli } from './run-cli.js';

// The proof that MVP 1's verdict is honest: a clean smoke run is GO with every criterion measured,
// and each fault knob turns exactly its criterion into NO-GO, naming the measured value.
const smoke = ['run', 'mvp1', '--profile', 'smoke'];
const TIMEOUT = 240_000;

describe('mvp1 smoke against the sandbox', () => {
  it('clean run: GO, exit 0, every criterion measured, report re-renders to the same verdict', { timeout: TIMEOUT }, async () => {
    const r = await runCli(smoke, { outName: 'clean' });
    expect(r.code, explain(r)).toBe(0);
    expect(r.summary!.verdict).toBe('GO');
    for (const c of r.summary!.criteria) {
      expect(c.measured, `${c.id} measured`).not.toBeNull();
      expect(c.pass, `${c.id} pass`).toBe(true);
    }
    expect(validateSummary(r.summary)).toEqual({ ok: true });
    expect(r.stdout).toMatch(/mvp1 verdict: GO/);
    expect(r.summary!.probes['shadow-divergence'].details?.compared).toBeGreaterThan(50);

    // summary.json and the reports are derived: delete them and re-render from the raw results.
    for (const f of ['summary.json', 'report.html', 'junit.xml']) rmSync(join(r.dir, f));
    const again = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/qsl.ts', 'report', r.dir], { encoding: 'utf8' });
    expect(again.status, again.stderr).toBe(0);
    const { readFileSync } = await import('node:fs');
    const rerendered = JSON.parse(readFileSync(join(r.dir, 'summary.json'), 'utf8'));
    expect(rerendered.verdict).toBe('GO');
    expect(rerendered.criteria.map((c: { id: string; measured: number }) => [c.id, c.measured])).toEqual(
      r.summary!.criteria.map((c) => [c.id, c.measured]),
    );
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
      const r = await runCli([...smoke, '--fault', fault], { outName: fault.replace(/[^a-z0-9]+/gi, '-') });
      expect(r.code, explain(r)).toBe(1);
      expect(r.summary!.verdict).toBe('NO-GO');
      const c = r.criterion(criterion);
      expect(c.pass).toBe(false);
      expect(r.stdout).toMatch(new RegExp(`FAIL\\s+${criterion}`));
      expect(r.stdout).toMatch(new RegExp(`failing: .*${criterion}`));
      // The other criteria keep their real, measured values.
      const services = r.criterion('services-healthy');
      expect(services.measured).toBe(1);
    });
  }
});
