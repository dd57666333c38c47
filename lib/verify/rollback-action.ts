import { spawn } from 'node:child_process';
import type { Target } from '../config/index.js';
import { fetchJson } from './http-json.js';

/** Performs the target's rollback action: the sandbox's admin call, an HTTP call, or a command. */
export async function performRollback(target: Target, timeoutMs = 120_000): Promise<string> {
  const action = target.rollback;
  if ('sandbox' in action) {
    await fetchJson(`${target.admin}/admin/rollback`, { method: 'POST', timeoutMs });
    return `POST ${target.admin}/admin/rollback`;
  }
  if ('http' in action) {
    const { method, url, headers, body } = action.http;
    // A JSON content type only with a body: servers reject an empty body declared as JSON.
    await fetchJson(url, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs,
    });
    return `${method} ${url}`;
  }
  const command = action.command;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-2000)));
    child.stderr.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-2000)));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`"${command}" exited ${code}: ${out.trim()}`))));
  });
  return command;
}
