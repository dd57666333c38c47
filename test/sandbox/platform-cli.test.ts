import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('npm run sandbox (qsl sandbox)', () => {
  it('prints the endpoints as its first stdout line, serves, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/qsl.ts', 'sandbox', '--fault', 'gateway.latency=1ms'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const lines = createInterface({ input: child.stdout! });
      const [first] = (await once(lines, 'line')) as [string];
      const endpoints = JSON.parse(first);
      expect(Object.keys(endpoints).sort()).toEqual(['admin', 'eventbridge', 'gateway', 'region', 'sqs']);
      const health = await fetch(`${endpoints.gateway}/health`);
      expect(health.status).toBe(200);
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
      await expect(fetch(`${endpoints.admin}/admin/health`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses an unknown fault knob with exit code 2 and the list of knobs', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/qsl.ts', 'sandbox', '--fault', 'nope=1'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += String(d)));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(stderr).toContain('unknown fault knob `nope`');
    expect(stderr).toContain('notification.drop');
  });
});
