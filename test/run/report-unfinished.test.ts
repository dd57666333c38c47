import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getMilestone } from '../../lib/milestones/index.js';
import { RunDir } from '../../lib/run/run-dir.js';
import { summarizeRunDir } from '../../lib/run/run-summary.js';
import { exitCodeOf } from '../../lib/verdict/index.js';
import { runMeta } from '../helpers/run-meta.js';

/** A run directory as a killed run leaves it: run.json written at the start, one scenario begun, no finishedAt. */
function runDir(finishedAt: string | null): string {
  const dir = new RunDir(join(mkdtempSync(join(tmpdir(), 'qsl-unfinished-')), 'run')).create();
  const meta = runMeta({
    runId: 'mvp1-killed',
    finishedAt,
    scenarios: [{ name: 'user-journey', status: 'not-run', k6ExitCode: null, requests: 0, errorRate: null, p95: null, durationMs: 0 }],
  });
  dir.writeMeta(meta);
  return dir.root;
}

describe('npm run report on a run directory', () => {
  it('is UNDECIDED (exit 2) for a run that never finished, saying so, not NO-GO', async () => {
    const dir = runDir(null);
    const s = await summarizeRunDir(dir, getMilestone);
    expect(s.verdict).toBe('UNDECIDED');
    expect(exitCodeOf(s)).toBe(2);
    expect(s.undecided).toMatch(/^the run never finished \(run\.json has no finishedAt/);
  });

  it('decides a finished run on what it measured (nothing here: NO-GO, exit 1)', async () => {
    const s = await summarizeRunDir(runDir('2026-12-06T12:01:00.000Z'), getMilestone);
    expect(s.verdict).toBe('NO-GO');
    expect(exitCodeOf(s)).toBe(1);
  });
});
