import type { RunResults } from '../results/index.js';
import type { ProbeResult } from '../verdict/index.js';
import { fetchJson } from './http-json.js';

/**
 * The fields this probe reads from the public supply report. Declared here rather than imported from the sandbox's
 * TokenService: the probe also runs against staging, so the public API is its contract, not the sandbox's code.
 */
interface SupplyReport {
  network: string;
  token: string;
  supply: number;
  minted: number;
  burned: number;
  transferred: number;
  balancesTotal: number;
}

/** The token the token-lifecycle scenario mints for a run (lib/k6/chain-api.ts `runToken`). */
export function runToken(runId: string): string {
  return `QSLT-${runId}`;
}

/**
 * `token-supply`: per network, the TokenService's supply report (public API) must satisfy minted - burned =
 * supply = sum of balances, and its minted / burned / transferred must equal what the run's successful
 * operations did (k6 counters, tag `name` = network). 1 when every network holds, else 0 with the differences.
 */
export async function tokenSupply(gateway: string, runId: string, results: RunResults | null): Promise<ProbeResult> {
  if (!results) return { value: null, note: 'no k6 results' };
  const networks = results.tagValues('token_cycle_complete', 'name').sort();
  if (networks.length === 0) return { value: null, note: 'the token-lifecycle scenario recorded no cycles' };
  const token = runToken(runId);
  const problems: string[] = [];
  const perNetwork: Record<string, unknown> = {};
  for (const n of networks) {
    const did = {
      minted: results.counter('token_minted', { name: n }),
      burned: results.counter('token_burned', { name: n }),
      transferred: results.counter('token_transferred', { name: n }),
    };
    let r: SupplyReport;
    try {
      r = await fetchJson<SupplyReport>(`${gateway}/api/tokens/${encodeURIComponent(n)}/${encodeURIComponent(token)}/supply`, {
        headers: { 'X-Run-Id': runId },
      });
    } catch (e) {
      problems.push(`${n}: supply report unavailable (${(e as Error).message})`);
      continue;
    }
    perNetwork[n] = { service: r, run: did };
    if (r.minted - r.burned !== r.supply) problems.push(`${n}: minted ${r.minted} - burned ${r.burned} != supply ${r.supply}`);
    if (r.balancesTotal !== r.supply) problems.push(`${n}: balances add up to ${r.balancesTotal}, supply is ${r.supply}`);
    if (r.minted !== did.minted) problems.push(`${n}: service minted ${r.minted}, the run's successful mints total ${did.minted}`);
    if (r.burned !== did.burned) problems.push(`${n}: service burned ${r.burned}, the run's successful burns total ${did.burned}`);
    if (r.transferred !== did.transferred)
      problems.push(`${n}: service transferred ${r.transferred}, the run's successful transfers total ${did.transferred}`);
  }
  return {
    value: problems.length === 0 ? 1 : 0,
    note: problems.length ? problems.slice(0, 5).join('; ') : `${networks.length} networks consistent for token ${token}`,
    details: { token, perNetwork, problems },
  };
}
