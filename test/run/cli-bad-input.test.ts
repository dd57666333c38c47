import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unreachableError } from '../../lib/run/unreachable.js';
import type { Target } from '../../lib/config/index.js';

// Bad input as a new user types it: exit 2 with a coded error naming the fix, before a run directory is written
// or anything is started (no k6: K6_BINARY points at a file that does not exist, so reaching k6 would fail differently).
const tmp = mkdtempSync(join(tmpdir(), 'qsl-bad-input-'));
function qsl(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/qsl.ts', ...args], {
    env: { ...process.env, K6_BINARY: join(tmp, 'no-k6-here') },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, err: r.stderr };
}

let busy: Server;
let busyPort = 0;
beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen({ host: '127.0.0.1', port: 0 }, resolve));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

describe('bad input exits 2 with a coded error naming the fix, before anything is written', () => {
  const cases: Array<[string, () => string[], RegExp]> = [
    ['an unknown flag', () => ['--bogus'], /QSL_USAGE_INVALID.*unknown option '--bogus'.*run --help/],
    ['an unknown profile', () => ['--profile', 'huge'], /QSL_USAGE_INVALID.*'huge' is invalid.*smoke, full/],
    ['a seed that is not a number', () => ['--seed', 'abc'], /QSL_USAGE_INVALID.*--seed must be a whole number.*"abc"/],
    ['a port base out of range', () => ['--port-base', '99999'], /QSL_USAGE_INVALID.*--port-base must be a whole number from 0 to 65532/],
    // The busy port is the sandbox's admin port (n+3).
    ['a port already in use', () => ['--port-base', String(busyPort - 3)], /QSL_PORT_IN_USE.*already in use.*another --port-base/],
  ];
  for (const [what, args, message] of cases) {
    it(what, () => {
      const out = join(tmp, what.replace(/\W+/g, '-'));
      const r = qsl(['run', 'mvp1', '--profile', 'smoke', '--out', out, ...args()]);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/this is a bug|K6_BINARY/);
      expect(r.code).toBe(2);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('the sandbox command too', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/qsl.ts', 'sandbox', '--port-base', String(busyPort - 3)], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toMatch(/QSL_PORT_IN_USE/);
    expect(r.status).toBe(2);
  });
});

describe('connection failures name the part of the target', () => {
  const target = (sqsPort: number): Target => ({
    name: 'staging',
    environment: 'staging',
    sandbox: false,
    gateway: `http://127.0.0.1:${busyPort}`,
    admin: `http://127.0.0.1:${busyPort}`,
    region: 'eu-west-1',
    sqsEndpoint: `http://127.0.0.1:${sqsPort}`,
    eventBus: 'b',
    serviceQueues: [],
    rollback: { command: 'true' },
  });

  it('a refused connection to the SQS endpoint', async () => {
    // A port that was free a moment ago: nothing listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const e = await fetch(`http://127.0.0.1:${port}/`).catch((x: unknown) => x);
    const coded = unreachableError(e, target(port));
    expect(coded?.code).toBe('QSL_TARGET_UNREACHABLE');
    expect(coded?.message).toContain(`the SQS endpoint of target "staging" at http://127.0.0.1:${port} did not answer (ECONNREFUSED`);
    expect(coded?.message).toContain('Check the SQS endpoint URL in the target file');
  });

  it('an error that is not a connection failure stays what it was', () => {
    expect(unreachableError(new Error('boom'), target(1))).toBeNull();
  });
});
