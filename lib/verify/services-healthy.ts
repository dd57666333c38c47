import type { ProbeResult } from '../verdict/index.js';
import { fetchJson } from './http-json.js';

export type HealthSnapshot = { at: string; services: Record<string, string> } | { at: string; error: string };

/** One health reading from the platform's admin API. */
export async function readHealth(adminUrl: string): Promise<HealthSnapshot> {
  const at = new Date().toISOString();
  try {
    const r = await fetchJson<{ services: Record<string, string> }>(`${adminUrl}/admin/health`, { timeoutMs: 5000 });
    return { at, services: r.services };
  } catch (e) {
    return { at, error: (e as Error).message };
  }
}

/** 1 when every expected service was up both before and after the run, else 0 with the culprits. */
export function servicesHealthy(expected: readonly string[], before: HealthSnapshot, after: HealthSnapshot | null): ProbeResult {
  const problems: string[] = [];
  for (const [when, snap] of [
    ['before', before],
    ['after', after],
  ] as const) {
    if (!snap) {
      problems.push(`${when}: not checked (run interrupted)`);
      continue;
    }
    if ('error' in snap) {
      problems.push(`${when}: health endpoint failed: ${snap.error}`);
      continue;
    }
    for (const s of expected) if (snap.services[s] !== 'up') problems.push(`${when}: ${s} is ${snap.services[s] ?? 'missing'}`);
  }
  if (!after) return { value: null, note: 'health after the run was not checked', details: { before, problems } };
  return {
    value: problems.length === 0 ? 1 : 0,
    ...(problems.length ? { note: problems.join('; ') } : {}),
    details: { expected, before, after },
  };
}
