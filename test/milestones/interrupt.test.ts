import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explain, runCli } from './run-cli.js';

describe('Ctrl-C during a run', () => {
  it('stops k6 gracefully and still leaves raw results, run metadata and a partial summary (exit 2)', { timeout: 180_000 }, async () => {
    let sent = false;
    const r = await runCli(['run', 'mvp1', '--profile', 'smoke'], {
      outName: 'interrupted',
      onOutput(chunk, child) {
        // Interrupt once the load test is under way, as an operator would.
        if (!sent && /load: 0:10/.test(chunk)) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(sent, explain(r)).toBe(true);
    expect(r.code, explain(r)).toBe(2);
    expect(r.stderr).toMatch(/interrupted: stopping k6 gracefully/);

    const raw = join(r.dir, 'raw', 'load.ndjson');
    expect(existsSync(raw)).toBe(true);
    expect(statSync(raw).size).toBeGreaterThan(1000);
    const meta = JSON.parse(readFileSync(join(r.dir, 'run.json'), 'utf8'));
    expect(meta.interrupted).toBe(true);
    expect(meta.scenarios.find((s: { name: string }) => s.name === 'load').status).toBe('interrupted');

    expect(r.summary).not.toBeNull();
    expect(r.summary!.interrupted).toBe(true);
    expect(r.summary!.undecided).toMatch(/interrupted/);
    expect(r.summary!.verdict).toBe('UNDECIDED');
    // What was measured before the interruption is still in the summary.
    expect(r.summary!.requests.length).toBeGreaterThan(0);
    expect(existsSync(join(r.dir, 'report.html'))).toBe(true);
    expect(existsSync(join(r.dir, 'junit.xml'))).toBe(true);
  });
});
