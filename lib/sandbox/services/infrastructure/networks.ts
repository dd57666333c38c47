/**
 * The simulated blockchain networks the InfrastructureService broadcasts to: each with its own submission
 * latency distribution, transient failure ratio and confirmation depth. Everything is seeded, so a run can be
 * reproduced. Times are scaled down from the real chains (a smoke run must finish in about a minute) but keep
 * their order: Ethereum slow and deep, the rollups fast and shallow.
 */
import { faultError, faultMs, faultOn, RatioGate, type FaultSet } from '../../faults.js';
import { hashString, seededRandom } from '../../../fixtures/index.js';

export interface NetworkSpec {
  id: string;
  /** Median submission latency (ms). */
  latencyMedianMs: number;
  /** Log-normal spread of the submission latency (sigma of ln). */
  latencySigma: number;
  /** Fraction of submission attempts failing transiently (retried by the service). */
  failureRatio: number;
  /** Blocks until a transaction counts as confirmed. */
  confirmations: number;
  /** Block time (ms). */
  blockTimeMs: number;
}

export const DEFAULT_NETWORKS: readonly NetworkSpec[] = Object.freeze([
  { id: 'ethereum', latencyMedianMs: 40, latencySigma: 0.35, failureRatio: 0.03, confirmations: 12, blockTimeMs: 60 },
  { id: 'polygon', latencyMedianMs: 25, latencySigma: 0.4, failureRatio: 0.05, confirmations: 32, blockTimeMs: 15 },
  { id: 'arbitrum', latencyMedianMs: 12, latencySigma: 0.3, failureRatio: 0.01, confirmations: 1, blockTimeMs: 120 },
  { id: 'optimism', latencyMedianMs: 14, latencySigma: 0.3, failureRatio: 0.01, confirmations: 1, blockTimeMs: 150 },
  { id: 'avalanche', latencyMedianMs: 20, latencySigma: 0.3, failureRatio: 0.02, confirmations: 1, blockTimeMs: 200 },
  { id: 'solana', latencyMedianMs: 8, latencySigma: 0.5, failureRatio: 0.04, confirmations: 32, blockTimeMs: 10 },
]);

/** A default-shaped spec for a network id the defaults do not know (a target may name others). */
export function genericNetwork(id: string): NetworkSpec {
  return { id, latencyMedianMs: 20, latencySigma: 0.3, failureRatio: 0.02, confirmations: 6, blockTimeMs: 50 };
}

/** One submission attempt's outcome. */
export interface AttemptOutcome {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

/** A network with its seeded samplers and the fault knobs that act on it. */
export class SimulatedNetwork {
  private readonly rand: () => number;
  private readonly failures: RatioGate;
  readonly down: boolean;
  private readonly extraLatencyMs: number;

  constructor(
    readonly spec: NetworkSpec,
    seed: number,
    faults: FaultSet,
  ) {
    this.rand = seededRandom(seed ^ hashString(`network:${spec.id}`));
    this.failures = new RatioGate(spec.failureRatio, this.rand());
    this.down = faultOn(faults, `network.${spec.id}.down`);
    this.extraLatencyMs = faultMs(faults, `network.${spec.id}.latency`);
  }

  get id(): string {
    return this.spec.id;
  }

  /** Submission latency: log-normal around the median (Box-Muller), plus the latency knob. */
  sampleLatencyMs(): number {
    const u1 = Math.max(this.rand(), 1e-12);
    const u2 = this.rand();
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return this.spec.latencyMedianMs * Math.exp(this.spec.latencySigma * z) + this.extraLatencyMs;
  }

  /** Decide one attempt (deterministic failure gate; a down network fails every attempt). */
  attempt(): AttemptOutcome {
    const latencyMs = this.sampleLatencyMs();
    if (this.down) return { ok: false, latencyMs, error: `network ${this.id} is unreachable (fault network.${this.id}.down)` };
    if (this.failures.next()) return { ok: false, latencyMs, error: `network ${this.id} rejected the submission (transient)` };
    return { ok: true, latencyMs };
  }

  /** Time until `confirmations` blocks are on top of the transaction, with up to one block of jitter. */
  sampleConfirmationMs(): number {
    return this.spec.confirmations * this.spec.blockTimeMs + this.rand() * this.spec.blockTimeMs;
  }
}

/** Networks by id from a list of ids (defaults' specs where known); rejects fault knobs naming unknown networks. */
export function buildNetworks(ids: readonly string[] | undefined, seed: number, faults: FaultSet): SimulatedNetwork[] {
  const list = ids && ids.length ? ids : DEFAULT_NETWORKS.map((n) => n.id);
  const known = new Set(list);
  for (const name of Object.keys(faults)) {
    const m = /^network\.([^.]+)\./.exec(name);
    if (m && !known.has(m[1])) {
      throw faultError(
        `fault \`${name}\` names network \`${m[1]}\`, which the sandbox does not simulate; known networks: ${list.join(', ')}`,
      );
    }
  }
  return list.map((id) => new SimulatedNetwork(DEFAULT_NETWORKS.find((n) => n.id === id) ?? genericNetwork(id), seed, faults));
}
