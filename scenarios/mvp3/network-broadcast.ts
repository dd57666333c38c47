// MVP 3, scenario 1 (seed): "Multi-Network Broadcast: Transaction to all 6 networks".
// Each iteration broadcasts one transaction to every network, then follows it until each network that took it
// reaches its confirmation depth. A network counts as a success for the transaction only once confirmed.
import { check } from 'k6';
import exec from 'k6/execution';
import { Counter, Rate, Trend } from 'k6/metrics';
import { PLAN_NETWORK_QUORUM, PLAN_NETWORKS } from '../../lib/contract/index.ts';
import { profile, runId } from '../../lib/k6/env.ts';
import { jsonBody } from '../../lib/k6/platform-api.ts';
import { scenarioOptions, sharedIterations } from '../../lib/k6/options.ts';
import { pollUntil } from '../../lib/k6/poll.ts';
import {
  broadcast,
  getTransaction,
  listNetworks,
  SIGNATURE_METRICS,
  thresholdsWithout,
  type TransactionView,
} from '../../lib/k6/chain-api.ts';

/** One sample per (transaction, network): 1 when submitted and confirmed. Tag `name` = network id. */
const networkSuccess = new Rate('network_tx_success');
/** One sample per transaction: 1 when at least 5 networks confirmed it (the plan's 5 of 6, whatever the target lists). */
const quorum = new Rate('broadcast_quorum');
/** Broadcast request to confirmation seen by the client, per network (tag `name`). */
const confirmationTime = new Trend('confirmation_time', true);
const unconfirmed = new Counter('broadcast_unconfirmed');

const sizes = {
  smoke: { vus: 6, iterations: 60, maxDuration: '90s', confirmTimeoutMs: 10_000 },
  full: { vus: 20, iterations: 1200, maxDuration: '15m', confirmTimeoutMs: 30_000 },
}[profile];

export const options = scenarioOptions(
  'network-broadcast',
  () => sharedIterations(sizes),
  () => thresholdsWithout(SIGNATURE_METRICS),
);

export function setup(): { networks: string[] } {
  const networks = listNetworks();
  if (networks.length === 0) throw new Error('the platform lists no networks (GET /api/networks); is the InfrastructureService deployed?');
  return { networks };
}

export default function networkBroadcast(data: { networks: string[] }): void {
  const networks = data.networks;
  const started = Date.now();
  const res = broadcast(networks, { kind: 'transfer', runId, seq: exec.scenario.iterationInTest });
  const tx = jsonBody<TransactionView>(res);
  if (!check(res, { 'broadcast 202': (r) => r.status === 202 && !!tx?.txId }) || !tx) {
    for (const n of networks) networkSuccess.add(0, { name: n });
    quorum.add(0);
    return;
  }

  const confirmed = new Set<string>();
  const pending = new Set(tx.networks.filter((n) => n.status !== 'failed').map((n) => n.network));
  pollUntil(
    () => {
      const view = jsonBody<TransactionView>(getTransaction(tx.txId));
      for (const n of view?.networks ?? []) {
        if (n.status === 'confirmed' && pending.has(n.network)) {
          pending.delete(n.network);
          confirmed.add(n.network);
          confirmationTime.add(Date.now() - started, { name: n.network });
        }
      }
      return pending.size === 0;
    },
    sizes.confirmTimeoutMs,
    100,
  );
  if (pending.size) unconfirmed.add(pending.size);

  for (const n of networks) networkSuccess.add(confirmed.has(n) ? 1 : 0, { name: n });
  const ok = confirmed.size >= PLAN_NETWORK_QUORUM;
  quorum.add(ok ? 1 : 0);
  check(confirmed.size, { [`confirmed on at least ${PLAN_NETWORK_QUORUM} of the ${PLAN_NETWORKS} networks the plan names`]: () => ok });
}
