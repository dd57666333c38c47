import { spawn } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
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

/** One of the target's actions: the sandbox's admin call (`sandboxPath` on its admin API), an HTTP call, or a command. */
async function performAction(target: Target, action: Action | { sandbox: true }, sandboxPath: string, timeoutMs: number): Promise<string> {
  if ('sandbox' in action) {
    await fetchJson(`${target.admin}${sandboxPath}`, { method: 'POST', timeoutMs });
    return `POST ${target.admin}${sandboxPath}`;
  }
  return runAction(action, timeoutMs);
}

/** Performs the target's rollback action: the sandbox's admin call, an HTTP call, or a command. */
export function performRollback(target: Target, timeoutMs = 120_000): Promise<string> {
  return performAction(target, target.rollback, '/admin/rollback', timeoutMs);
}

/** What restoring the target's flags did, and whether the flags read back equal the ones found at the start. */
export interface RestoreOutcome {
  action: string;
  at: number;
  ok: boolean;
  /** Why the target is not restored (the action failed, or the flags read back differ). */
  error?: string;
  /** Flag paths whose value differs from the start of the run (`FeatureManagement.EventBridge.UserService: false, was true`). */
  differences?: string[];
}

/** `a.b.c: now, was before` for every leaf that differs. */
export function flagDifferences(found: unknown, now: unknown, path = ''): string[] {
  if (isDeepStrictEqual(found, now)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (isObj(found) && isObj(now)) {
    const keys = [...new Set([...Object.keys(found), ...Object.keys(now)])].sort();
    return keys.flatMap((k) => flagDifferences(found[k], now[k], path ? `${path}.${k}` : k));
  }
  return [`${path || '(flags)'}: ${JSON.stringify(now)}, was ${JSON.stringify(found)}`];
}

/**
 * Puts back the flags the run found at its start: the target's `restore` action, or without one PUT {admin}/admin/flags
 * with those flags. Then reads the flags back: restored only when they equal what was found.
 */
export async function restoreFlags(target: Target, found: Record<string, unknown> | null, timeoutMs = 120_000): Promise<RestoreOutcome> {
  const at = Date.now();
  let action: string;
  try {
    if (target.restore) action = await performAction(target, target.restore, '/admin/restore', timeoutMs);
    else if (found) {
      await fetchJson(`${target.admin}/admin/flags`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(found),
        timeoutMs,
      });
      action = `PUT ${target.admin}/admin/flags (the flags found at the start; the target file has no restore action)`;
    } else {
      return {
        action: 'none',
        at,
        ok: false,
        error: 'the target file has no restore action and the flags could not be read at the start of the run: nothing to put back',
      };
    }
  } catch (e) {
    return {
      action: target.restore ? 'restore action' : 'PUT /admin/flags',
      at,
      ok: false,
      error: `restore action failed: ${(e as Error).message}`,
    };
  }
  if (!found) return { action, at, ok: true };
  let now: unknown;
  try {
    now = await fetchJson<unknown>(`${target.admin}/admin/flags`, { timeoutMs: 10_000 });
  } catch (e) {
    return { action, at, ok: false, error: `could not read the flags back after "${action}": ${(e as Error).message}` };
  }
  const differences = flagDifferences(found, now);
  if (differences.length) {
    return {
      action,
      at,
      ok: false,
      error: `after "${action}" the flags differ from the start of the run: ${differences.slice(0, 5).join('; ')}`,
      differences,
    };
  }
  return { action, at, ok: true };
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
  const flags = await fetchJson<{ FeatureManagement: { EventBridge: Record<string, unknown> } }>(`${target.admin}/admin/flags`, {
    timeoutMs,
  });
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
