import type { RunResults } from '../results/index.js';
import type { ProbeResult } from '../verdict/index.js';

/** "5 of 6", scaled to the number of networks. */
export function quorumOf(networks: number): number {
  return Math.ceil((networks * 5) / 6);
}

/**
 * `network-success` from the network-broadcast scenario's k6 metrics: the value is the overall per-network
 * success ratio (submitted and confirmed / all network submissions); a broadcast that reached fewer than 5 of 6
 * networks vetoes the criterion whatever the ratio.
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
  const need = quorumOf(networks.length);
  const failing = networks.filter((n) => (perNetwork[n].success ?? 0) < 0.5);
  // Submissions a network took but never confirmed in time count as failures on that network (value and quorum).
  const unconfirmed = results.counter('broadcast_unconfirmed');
  return {
    value: overall.rate,
    ...(misses > 0 || q.total === 0
      ? {
          veto:
            q.total === 0
              ? 'no broadcast outcomes recorded'
              : `${misses} of ${q.total} broadcasts succeeded on fewer than ${need} of ${networks.length} networks`,
        }
      : {}),
    note: `${q.passes}/${q.total} broadcasts reached >= ${need} of ${networks.length} networks${unconfirmed ? `; ${unconfirmed} network submissions never confirmed (counted as failures)` : ''}${failing.length ? `; mostly failing: ${failing.join(', ')}` : ''}`,
    details: { broadcasts: q.total, quorum: need, quorumMisses: misses, unconfirmedSubmissions: unconfirmed, perNetwork },
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
