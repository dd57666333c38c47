import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The lint step's dependency rules (.dependency-cruiser.cjs) on small made-up trees: each must fail the lint.
const root = resolve(import.meta.dirname, '../..');
const depcruise = join(root, 'node_modules/.bin/depcruise');

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'qsl-lint-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function lint(dir: string): { code: number | null; out: string } {
  const r = spawnSync(depcruise, ['lib', 'scenarios', '--config', join(root, '.dependency-cruiser.cjs'), '--output-type', 'err'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const clean = {
  'lib/contract/index.ts': 'export const QSL_ENV = { runId: "QSL_RUN_ID" } as const;\n',
  'lib/k6/env.ts': 'import { QSL_ENV } from "../contract/index.ts";\nexport const runId = QSL_ENV.runId;\n',
  'scenarios/mvp1/load.ts':
    'import http from "k6/http";\nimport { runId } from "../../lib/k6/env.ts";\nexport default () => http.get(runId);\n',
  'lib/verdict/index.ts': 'export const verdict = "GO";\n',
  'lib/report/index.ts': 'import { verdict } from "../verdict/index.ts";\nexport const html = verdict;\n',
};

describe('lint: boundaries', () => {
  it('passes a tree that keeps them', () => {
    const r = lint(tree(clean));
    expect(r.out).toContain('no dependency violations');
    expect(r.code).toBe(0);
  });

  it('fails on a k6-side import of Node code', () => {
    const r = lint(
      tree({ ...clean, 'scenarios/mvp1/load.ts': 'import { html } from "../../lib/report/index.ts";\nexport default () => html;\n' }),
    );
    expect(r.out).toMatch(/k6-side-imports-k6-only: scenarios\/mvp1\/load\.ts → lib\/report\/index\.ts/);
    expect(r.code).not.toBe(0);
  });

  it('fails on an import cycle', () => {
    const r = lint(
      tree({ ...clean, 'lib/verdict/index.ts': 'import { html } from "../report/index.ts";\nexport const verdict = html;\n' }),
    );
    expect(r.out).toMatch(/no-circular/);
    expect(r.out).toMatch(/one-way-verdict: lib\/verdict\/index\.ts → lib\/report\/index\.ts/);
    expect(r.code).not.toBe(0);
  });

  it("fails on an import past a folder's index.ts", () => {
    const r = lint(
      tree({
        ...clean,
        'lib/verdict/types.ts': 'export type V = string;\n',
        'lib/report/index.ts': 'import type { V } from "../verdict/types.ts";\nexport const html: V = "x";\n',
      }),
    );
    expect(r.out).toMatch(/folders-through-index: lib\/report\/index\.ts → lib\/verdict\/types\.ts/);
    expect(r.code).not.toBe(0);
  });
});
