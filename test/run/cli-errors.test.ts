import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSummary } from '../report/fixtures/build-summary.js';

// The real CLI in a child process: exit codes and messages as a user sees them.
function qsl(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/qsl.ts', ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const tmp = mkdtempSync(join(tmpdir(), 'qsl-cli-'));

describe('CLI errors exit 2 with a message that says what to do', () => {
  it('--help lists milestones and flags', () => {
    const r = qsl(['run', '--help']);
    expect(r.code).toBe(0);
    for (const f of ['--profile', '--target', '--fault', '--out', '--baseline', 'mvp1', 'notification.drop']) expect(r.out).toContain(f);
  });

  it('unknown milestone', () => {
    const r = qsl(['run', 'mvp9']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/QSL_UNKNOWN_MILESTONE.*unknown milestone "mvp9".*Known milestones: mvp1/);
  });

  it('malformed target file', () => {
    const f = join(tmp, 'bad.json');
    writeFileSync(f, JSON.stringify({ name: 'x', environment: 'staging', gateway: 'nope' }));
    const r = qsl(['run', 'mvp1', '--target', f]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/QSL_CONFIG_INVALID/);
    expect(r.err).toMatch(/gateway: expected an absolute URL/);
    expect(r.err).toMatch(/rollback/);
  });

  it('unknown fault knob lists the known ones', () => {
    const r = qsl(['run', 'mvp1', '--fault', 'gateway.explode=1']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/gateway\.explode/);
    expect(r.err).toMatch(/notification\.drop/);
  });

  it('unreachable target', () => {
    const f = join(tmp, 'down.json');
    writeFileSync(
      f,
      JSON.stringify({
        name: 'down',
        environment: 'staging',
        gateway: 'http://127.0.0.1:9',
        admin: 'http://127.0.0.1:9',
        aws: { region: 'eu-west-1' },
        rollback: { command: 'true' },
      }),
    );
    const r = qsl(['run', 'mvp1', '--profile', 'smoke', '--target', f, '--out', join(tmp, 'down-run')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/QSL_TARGET_UNREACHABLE.*did not answer at http:\/\/127\.0\.0\.1:9\/health/);
  });

  it('production target without the explicit flag', () => {
    const f = join(tmp, 'prod.json');
    writeFileSync(
      f,
      JSON.stringify({
        name: 'prod',
        environment: 'production',
        gateway: 'http://127.0.0.1:9',
        admin: 'http://127.0.0.1:9',
        aws: { region: 'eu-west-1' },
        rollback: { command: 'true' },
      }),
    );
    const r = qsl(['run', 'mvp1', '--target', f]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/QSL_PRODUCTION_GUARD.*--i-know-this-is-production/);
  });

  it('missing k6 with no Go to build it', () => {
    const env = { HOME: tmp, XDG_CACHE_HOME: join(tmp, 'empty-cache'), PATH: '' };
    const r = qsl(['run', 'mvp1', '--profile', 'smoke'], env);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/QSL_K6_MISSING.*no Go toolchain.*K6_BINARY/s);
  });

  it('a baseline that is not a summary, or of another milestone', () => {
    const notSummary = join(tmp, 'not-summary.json');
    writeFileSync(notSummary, JSON.stringify({ hello: 'world' }));
    const r1 = qsl(['run', 'mvp1', '--baseline', notSummary]);
    expect(r1.code).toBe(2);
    expect(r1.err).toMatch(/QSL_CONFIG_INVALID.*is not a harness summary\.json/s);

    const other = join(tmp, 'mvp2-summary.json');
    writeFileSync(other, JSON.stringify({ ...buildSummary(), milestone: 'mvp2' }));
    const r2 = qsl(['run', 'mvp1', '--baseline', other]);
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/is a mvp2 run; this is mvp1/);
  });

  it('K6_BINARY pointing at something that is not k6', () => {
    const r = qsl(['run', 'mvp1'], { ...process.env, K6_BINARY: '/bin/false' });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/K6_BINARY points at \/bin\/false/);
  });
});
