import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('docs/benchmarks.md', () => {
  it('lists every benchmark bench/run.ts can run, with its last line', () => {
    const benches = readdirSync(join(root, 'bench'))
      .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
      .map((f) => f.slice(0, -3));
    const doc = readFileSync(join(root, 'docs', 'benchmarks.md'), 'utf8');
    const rows = new Map([...doc.matchAll(/^\| `([a-z0-9-]+)` \|.*\| `([^`]+)` \|$/gm)].map((m) => [m[1]!, m[2]!]));
    for (const b of benches) {
      expect(rows.has(b), `bench ${b} has no row in docs/benchmarks.md`).toBe(true);
      expect(rows.get(b)!.startsWith(`${b} `), `the last line of ${b} starts with its name`).toBe(true);
    }
  });
});
