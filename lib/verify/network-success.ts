import { PLAN_NETWORK_QUORUM, PLAN_NETWORKS } from '../contract/index.js';
import type { RunResults } from '../results/index.js';
import type { ProbeResult } from '../verdict/index.js';

/**
 * `network-success` from the network-broadcast scenario's k6 metrics: the value is the overall per-network
 * success ratio (submitted and confirmed / all network submissions). The plan's counts are the plan's: the target
 * must broadcast to the 6 networks the plan names, and a broadcast confirmed on fewer than 5 networks vetoes the
 * criterion whatever the ratio; neither count is scaled to the networks the target lists.
 */
export function networkSuccess(results: RunResults | null): ProbeResult {
  if (!results) return { value: null, note: 'no k6 results' };
  const overall = results.rate('network_tx_success');
  if (overall.total === 0 || overall.rate === null)
    return { value: null, note: 'the network-broadcast scenario recorded no network outcomes' };
  const networks = results.tagValues('network_tx_success', 'name').sort();
  const perNetwork: Record<string, { success: number | null; samples: number; confirmationP95Ms: number | null }> = {};
  for (const n of networks) {
    const r = results.rate('network_tx_success', { name: n });
    perNetwork[n] = { success: r.rate, samples: r.total, confirmationP95Ms: results.trend('confirmation_time', { name: n })?.p95 ?? null };
  }
  const q = results.rate('broadcast_quorum');
  const misses = q.total - q.passes;
  const failing = networks.filter((n) => (perNetwork[n].success ?? 0) < 0.5);
  // Submissions a network took but never confirmed in time count as failures on that network (value and quorum).
  const unconfirmed = results.counter('broadcast_unconfirmed');
  const vetoes: string[] = [];
  if (networks.length < PLAN_NETWORKS)
    vetoes.push(
      `the target broadcasts to ${networks.length} of the ${PLAN_NETWORKS} networks the plan names (${networks.join(', ')}): ` +
        `"Transaction to all ${PLAN_NETWORKS} networks", "${PLAN_NETWORK_QUORUM}/${PLAN_NETWORKS} networks minimum success"`,
    );
  if (q.total === 0) vetoes.push('no broadcast outcomes recorded');
  else if (misses > 0) vetoes.push(`${misses} of ${q.total} broadcasts succeeded on fewer than ${PLAN_NETWORK_QUORUM} networks`);
  return {
    value: overall.rate,
    ...(vetoes.length ? { veto: vetoes.join('; ') } : {}),
    note:
      `${q.passes}/${q.total} broadcasts reached >= ${PLAN_NETWORK_QUORUM} of the ${PLAN_NETWORKS} networks the plan names` +
      (networks.length !== PLAN_NETWORKS ? ` (the target lists ${networks.length})` : '') +
      (unconfirmed ? `; ${unconfirmed} network submissions never confirmed (counted as failures)` : '') +
      (failing.length ? `; mostly failing: ${failing.join(', ')}` : ''),
    details: {
      broadcasts: q.total,
      planNetworks: PLAN_NETWORKS,
      networks: networks.length,
      quorum: PLAN_NETWORK_QUORUM,
      quorumMisses: misses,
      unconfirmedSubmissions: unconfirmed,
      perNetwork,
    },
  };
}

/** The server-side ML-DSA-44 validation time beside the `pqc-latency` criterion: p99 as the value, the rest in details. */
export function pqcValidationTime(results: RunResults | null): ProbeResult {
  const t = results?.trend('pqc_validation_time') ?? null;
  if (!t) return { value: null, note: 'no pqc_validation_time samples (Server-Timing missing?)' };
  return {
    value: t.p99,
    note: `p99 ${t.p99.toFixed(2)} ms, p95 ${t.p95.toFixed(2)} ms over ${t.count} validations (server-side, Server-Timing)`,
    details: { count: t.count, p50: t.p50, p90: t.p90, p95: t.p95, p99: t.p99, max: t.max },
  };
}
