import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleScenarios, type ScenarioBundle } from '../../lib/run/bundle.js';
import { ensureK6, type K6Binary } from '../../lib/run/k6-binary.js';

// Real k6 inspects every bundle with an empty environment, as k6-operator's initializer does.
let k6: K6Binary;
let bundles: ScenarioBundle[];
beforeAll(async () => {
  k6 = await ensureK6({ projectRoot: process.cwd(), build: false });
  bundles = await bundleScenarios(process.cwd());
});

describe('scenario bundles', () => {
  it('bundles every scenario', () => {
    expect(bundles.length).toBeGreaterThanOrEqual(3);
    expect(bundles.map((b) => `${b.milestone}/${b.scenario}`)).toEqual(
      expect.arrayContaining(['mvp1/user-journey', 'mvp1/workflow', 'mvp1/load']),
    );
  });

  it('keeps k6 modules external, Node modules out, and links a source map file beside it', () => {
    for (const b of bundles) {
      const js = readFileSync(b.bundle, 'utf8');
      expect(js).toMatch(/from ?"k6\/http"|from ?"k6"/);
      expect(js).not.toMatch(/from "node:|require\(/);
      expect(js).not.toMatch(/sourceMappingURL=data:/);
      expect(js.trimEnd().endsWith(`//# sourceMappingURL=${b.scenario}.js.map`)).toBe(true);
      const map = JSON.parse(readFileSync(`${b.bundle}.map`, 'utf8')) as { sources: string[] };
      expect(map.sources.some((s) => s.endsWith(`scenarios/${b.milestone}/${b.scenario}.ts`))).toBe(true);
    }
  });

  it('passes `k6 inspect` with no environment variables set', () => {
    for (const b of bundles) {
      const r = spawnSync(k6.path, ['inspect', b.bundle], { env: {}, encoding: 'utf8' });
      expect(r.status, `${b.scenario}: ${r.stderr}`).toBe(0);
      const opts = JSON.parse(r.stdout) as { scenarios: Record<string, { executor: string }> };
      expect(Object.keys(opts.scenarios).length).toBe(1);
    }
  });

  it("gives the load test the seed's shape: 1000 requests/minute from 100 VUs", () => {
    const load = bundles.find((b) => b.scenario === 'load')!;
    const r = spawnSync(k6.path, ['inspect', load.bundle], { env: {}, encoding: 'utf8' });
    const s = (JSON.parse(r.stdout) as { scenarios: { load: Record<string, unknown> } }).scenarios.load;
    expect(s).toMatchObject({ executor: 'constant-arrival-rate', rate: 1000, timeUnit: '1m0s', preAllocatedVUs: 100, maxVUs: 100 });
  });
});
