import { fetchJson } from '../verify/index.js';
import type { SoakUser } from './clients.js';

/**
 * Signs up and logs in the soak's users through the platform's own API (the run's X-Run-Id; correlation ids
 * `<runId>-soak-setup-<i>`), in parallel batches.
 */
export async function signUpSoakUsers(gateway: string, runId: string, count: number, signal?: AbortSignal): Promise<SoakUser[]> {
  const users: SoakUser[] = [];
  for (let from = 0; from < count && !signal?.aborted; from += 20) {
    const batch = Array.from({ length: Math.min(20, count - from) }, async (_, k) => {
      const i = from + k;
      const email = `soak-${i}+${runId}@example.test`;
      const password = `pw-${runId}-${i}`;
      const headers = { 'content-type': 'application/json', 'x-run-id': runId, 'x-correlation-id': `${runId}-soak-setup-${i}` };
      const s = await fetchJson<{ userId: string }>(`${gateway}/api/users/signup`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ email, name: `Soak ${i}`, password }),
      });
      const l = await fetchJson<{ token: string }>(`${gateway}/api/users/login`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ email, password }),
      });
      return { userId: s.userId, token: l.token };
    });
    users.push(...(await Promise.all(batch)));
  }
  return users;
}
