// MVP 3, scenario 2 (seed): "Token Operations: Mint → Transfer → Burn cycle", on every network.
// Iteration i runs one cycle on network i mod N with two fresh accounts. Counters record what succeeded, per
// network (tag `name`); the harness compares them with the TokenService's supply report (token-supply).
import { check } from 'k6';
import exec from 'k6/execution';
import { Counter, Rate } from 'k6/metrics';
import { profile, runId } from '../../lib/k6/env.ts';
import { bodyWith, jsonBody } from '../../lib/k6/platform-api.ts';
import { scenarioOptions, sharedIterations } from '../../lib/k6/options.ts';
import { burn, listNetworks, mint, runToken, SIGNATURE_METRICS, thresholdsWithout, transfer } from '../../lib/k6/chain-api.ts';

const minted = new Counter('token_minted');
const transferred = new Counter('token_transferred');
const burned = new Counter('token_burned');
const cycles = new Rate('token_cycle_complete');
/** Cycles done in full (mint, transfer and burn answered with their receipts): the token-supply sample. */
const cyclesCompleted = new Counter('token_cycles_completed');
/** Operations the platform refused because the network is down (judged by network-success's 5 of 6, not as a failed check). */
const networkUnavailable = new Counter('token_network_unavailable');

const MINT = 1000;
const TRANSFER = 400;
const BURN = 300;

const sizes = {
  smoke: { vus: 6, iterations: 60, maxDuration: '60s' },
  full: { vus: 12, iterations: 1200, maxDuration: '10m' },
}[profile];

export const options = scenarioOptions(
  'token-lifecycle',
  () => sharedIterations(sizes),
  () => thresholdsWithout(SIGNATURE_METRICS),
);

export function setup(): { networks: string[]; token: string } {
  const networks = listNetworks();
  if (networks.length === 0) throw new Error('the platform lists no networks (GET /api/networks); is the InfrastructureService deployed?');
  return { networks, token: runToken() };
}

export default function tokenLifecycle(data: { networks: string[]; token: string }): void {
  const i = exec.scenario.iterationInTest;
  const network = data.networks[i % data.networks.length];
  const tags = { name: network };
  const a = `acct-${runId}-${i}-a`;
  const b = `acct-${runId}-${i}-b`;

  const m = mint(network, data.token, a, MINT);
  if (unavailable(m)) {
    networkUnavailable.add(1, tags);
    cycles.add(0, tags);
    return;
  }
  // The receipt (txHash) is what confirms an operation: a 2xx without it is not a done operation.
  if (!check(m, { 'mint 201 with txHash': (r) => !!bodyWith(r, 201, 'txHash') })) {
    cycles.add(0, tags);
    return;
  }
  minted.add(MINT, tags);
  const t = transfer(network, data.token, a, b, TRANSFER);
  const transferOk = check(t, { 'transfer 200 with txHash': (r) => !!bodyWith(r, 200, 'txHash') });
  if (transferOk) transferred.add(TRANSFER, tags);
  const x = burn(network, data.token, transferOk ? b : a, BURN);
  const burnOk = check(x, { 'burn 200 with txHash': (r) => !!bodyWith(r, 200, 'txHash') });
  if (burnOk) burned.add(BURN, tags);
  cycles.add(transferOk && burnOk ? 1 : 0, tags);
  if (transferOk && burnOk) cyclesCompleted.add(1, tags);
}

/** The platform's answer for a network that is down: 503 NETWORK_UNAVAILABLE, nothing changed. */
function unavailable(r: Parameters<typeof jsonBody>[0]): boolean {
  return r.status === 503 && jsonBody<{ error?: { code?: string } }>(r)?.error?.code === 'NETWORK_UNAVAILABLE';
}
