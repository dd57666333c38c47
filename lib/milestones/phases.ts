import type { RunResults } from '../results/index.js';
import type { PhaseStats } from '../verdict/index.js';

/** A phase's row for the side-by-side table: the scenario's own requests (set-up requests carry no scenario tag). */
export function phaseStats(
  p: { name: string; configuration: string; scenario: string; runId: string },
  results: RunResults | null,
): PhaseStats {
  const f = { scenario: p.scenario };
  const t = results?.trend('http_req_duration', f) ?? null;
  return {
    ...p,
    requests: results ? results.counter('http_reqs', f) : 0,
    errorRate: results ? results.rate('http_req_failed', f).rate : null,
    p95: t?.p95 ?? null,
    p99: t?.p99 ?? null,
  };
}
