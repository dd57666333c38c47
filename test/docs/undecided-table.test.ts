import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('docs/real-environments.md, "UNDECIDED or NO-GO"', () => {
  const doc = readFileSync('docs/real-environments.md', 'utf8');
  const start = doc.indexOf('## UNDECIDED or NO-GO');
  const section = doc.slice(start, doc.indexOf('\n## ', start + 3));
  const rows = [...section.matchAll(/^\| (?!Situation|-)(.+?) \| (UNDECIDED|NO-GO|no verdict) +\| ([12]) +\| (.+?) +\|$/gm)];

  it('gives each situation its exit code (UNDECIDED and a refused input 2, NO-GO 1) and names the test of each row', () => {
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const [, situation, verdict, exit, tests] of rows) {
      expect(exit, situation).toBe(verdict === 'NO-GO' ? '1' : '2');
      const files = [...tests!.matchAll(/`(test\/[^`]+\.test\.ts)`/g)].map((m) => m[1]!);
      expect(files.length, `${situation}: names no test file`).toBeGreaterThan(0);
      for (const f of files) expect(existsSync(f), `${situation}: ${f} does not exist`).toBe(true);
    }
  });
});
