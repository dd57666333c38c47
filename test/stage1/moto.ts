/**
 * moto's server (the open-source AWS emulator; `pip install "moto[server]"`) for the Stage 1 tests: the one in
 * QSL_TEST_MOTO_URL (`.ci/run` starts it), or one started here on a free loopback port. A machine without it fails
 * the tests with what to install: the CloudFormation, IAM and security checks are proven only through it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Moto {
  url: string;
  /** Empties every emulated service (moto's own API), so each test starts from nothing. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startMoto(): Promise<Moto> {
  const given = process.env.QSL_TEST_MOTO_URL;
  const reset = (url: string) => async () => {
    const r = await fetch(`${url}/moto-api/reset`, { method: 'POST' });
    if (!r.ok) throw new Error(`moto reset at ${url} answered ${r.status}`);
  };
  if (given) return { url: given.replace(/\/$/, ''), reset: reset(given.replace(/\/$/, '')), stop: async () => {} };
  if (spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).error)
    throw new Error(
      'moto_server is not on PATH: the Stage 1 stack, permission and security checks are tested against moto\'s server. Install it (pip install "moto[server]") or set QSL_TEST_MOTO_URL to a running one.',
    );
  // Its log goes to a file, not a pipe: a pipe nobody drains while a test blocks in spawnSync would stall moto.
  const log = join(mkdtempSync(join(tmpdir(), 'qsl-moto-')), 'moto.log');
  const fd = openSync(log, 'w');
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', '0'], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const deadline = Date.now() + 30_000;
  let url: string | undefined;
  while (!url) {
    const seen = readFileSync(log, 'utf8');
    url = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen)?.[1];
    if (url) break;
    if (exited !== undefined) throw new Error(`moto_server exited (${exited}) before listening:\n${seen}`);
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`moto_server did not report its port within 30 s:\n${seen}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    reset: reset(url),
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited !== undefined || child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
