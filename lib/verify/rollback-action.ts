import { spawn } from 'node:child_process';
import { EMERGENCY_ROLLBACK_STAGES } from '../../thresholds/rollback-triggers.js';
import type { Target, TargetFile } from '../config/index.js';
import { fetchJson } from './http-json.js';

type Action = TargetFile['rollback'];

/** Runs an HTTP or command action; returns what it did, in words. */
async function runAction(action: Action, timeoutMs: number): Promise<string> {
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

/** Performs the target's rollback action: the sandbox's admin call, an HTTP call, or a command. */
export async function performRollback(target: Target, timeoutMs = 120_000): Promise<string> {
  const action = target.rollback;
  if ('sandbox' in action) {
    await fetchJson(`${target.admin}/admin/rollback`, { method: 'POST', timeoutMs });
    return `POST ${target.admin}/admin/rollback`;
  }
  return runAction(action, timeoutMs);
}

/** `{stage}` replaced in every string of an action (command, URL, header values, body strings). */
function withStage<T>(value: T, stage: string): T {
  if (typeof value === 'string') return value.replaceAll('{stage}', stage) as T;
  if (Array.isArray(value)) return value.map((v) => withStage(v, stage)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withStage(v, stage)])) as T;
  return value;
}

/**
 * The seed's `emergency-rollback.sh <stage>`: the target's action for this stage (`stageRollback`,
 * else `rollback` with `{stage}` filled in). The sandbox does what the script does: the stage's
 * services (every service for an unknown stage) set to EventBridge `false` through its flags API.
 */
export async function performStageRollback(target: Target, stage: string, timeoutMs = 120_000): Promise<string> {
  const action = target.stageRollback?.[stage] ?? target.stageRollback?.['*'] ?? target.rollback;
  if (!('sandbox' in action)) return runAction(withStage(action, stage), timeoutMs);
  const services = EMERGENCY_ROLLBACK_STAGES[stage] ?? EMERGENCY_ROLLBACK_STAGES['*'];
  const flags = await fetchJson<{ FeatureManagement: { EventBridge: Record<string, unknown> } }>(`${target.admin}/admin/flags`, { timeoutMs });
  const eb = { ...flags.FeatureManagement.EventBridge };
  for (const s of Object.keys(eb)) if (services === '*' || (services as readonly string[]).includes(s)) eb[s] = false;
  await fetchJson(`${target.admin}/admin/flags`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ FeatureManagement: { ...flags.FeatureManagement, EventBridge: eb } }),
    timeoutMs,
  });
  return `PUT ${target.admin}/admin/flags: ${services === '*' ? 'every service' : services.join(', ')} set to EventBridge false (emergency-rollback.sh ${stage})`;
}
