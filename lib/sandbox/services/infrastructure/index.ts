import { setTimeout as sleep } from 'node:timers/promises';
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { TraceContext } from '../../events/types.js';
import type { ServiceRegistry } from '../registry.js';
import { HttpError, type HttpRoute, type ServiceContext, type ServiceModule } from '../types.js';
import { parseBody } from '../validate.js';
import { buildNetworks, type SimulatedNetwork } from './networks.js';

export { SimulatedNetwork } from './networks.js';

export type NetworkTxStatus = 'submitted' | 'confirmed' | 'failed';

export interface NetworkTx {
  network: string;
  status: NetworkTxStatus;
  attempts: number;
  txHash?: string;
  error?: string;
  submittedAt?: string;
  /** Submission time including retries (ms). */
  submitMs: number;
  confirmations: number;
  confirmedAt?: string;
  /** From submission to the confirmation depth (ms). */
  confirmationMs?: number;
}

export interface Transaction {
  txId: string;
  runId: string;
  createdAt: string;
  networks: NetworkTx[];
}

/** What a submission to one network ended with (after retries). */
export interface Submission {
  ok: boolean;
  attempts: number;
  submitMs: number;
  txHash?: string;
  error?: string;
}

export const INFRASTRUCTURE_SERVICE = 'infrastructure';
/** Attempts per network before a submission counts as failed: transient failures are retried, a down network is not recoverable. */
const MAX_ATTEMPTS = 3;
const MAX_TRANSACTIONS = 200_000;

const broadcastSchema = z.object({
  payload: z.record(z.string(), z.unknown()).optional(),
  /** Subset of networks; default all. */
  networks: z.array(z.string().min(1)).min(1).optional(),
});

/**
 * InfrastructureService (seed Stage 4): broadcasts a transaction to every simulated network, tracks each
 * network's confirmations, and publishes `Broadcast` (one per network, with its outcome) and `Confirmation`
 * (once the network's confirmation depth is reached). Other services (tokens) submit through {@link submit}.
 */
export class InfrastructureService implements ServiceModule {
  readonly name = INFRASTRUCTURE_SERVICE;
  readonly networks: readonly SimulatedNetwork[];
  readonly routes: readonly HttpRoute[];
  private readonly txs = new Map<string, Transaction>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private running = false;

  constructor(
    private readonly ctx: ServiceContext,
    networkIds?: readonly string[],
  ) {
    this.networks = buildNetworks(networkIds, ctx.seed, ctx.faults);
    this.routes = [
      { method: 'GET', url: '/api/networks', handler: () => ({ status: 200, body: { networks: this.networks.map(networkView) } }) },
      { method: 'POST', url: '/api/transactions', handler: (r) => this.broadcast(r.body, r.trace) },
      {
        method: 'GET',
        url: '/api/transactions/:txId',
        handler: (r) => {
          const tx = this.txs.get(r.params.txId);
          if (!tx) throw new HttpError(404, 'TRANSACTION_NOT_FOUND', `transaction ${r.params.txId} not found`);
          return { status: 200, body: tx };
        },
      },
    ];
  }

  start(): void {
    this.running = true;
  }

  stop(): void {
    this.running = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  health() {
    return this.running ? ('up' as const) : ('down' as const);
  }

  network(id: string): SimulatedNetwork {
    const n = this.networks.find((x) => x.id === id);
    if (!n) throw new HttpError(404, 'NETWORK_NOT_FOUND', `unknown network \`${id}\`; known: ${this.networks.map((x) => x.id).join(', ')}`);
    return n;
  }

  /** Submit one operation to a network: retried up to MAX_ATTEMPTS on transient failures. */
  async submit(networkId: string, what: string): Promise<Submission> {
    const n = this.network(networkId);
    const started = Date.now();
    let error = '';
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const o = n.attempt();
      await sleep(o.latencyMs);
      if (o.ok) {
        const txHash = `0x${createHash('sha256').update(`${n.id}|${what}|${attempt}`).digest('hex')}`;
        return { ok: true, attempts: attempt, submitMs: Date.now() - started, txHash };
      }
      error = o.error ?? 'failed';
      if (n.down) return { ok: false, attempts: attempt, submitMs: Date.now() - started, error };
    }
    return { ok: false, attempts: MAX_ATTEMPTS, submitMs: Date.now() - started, error };
  }

  private async broadcast(body: unknown, trace: TraceContext) {
    const req = parseBody(broadcastSchema, body);
    const targets = (req.networks ?? this.networks.map((n) => n.id)).map((id) => this.network(id));
    const tx: Transaction = { txId: randomUUID(), runId: trace.runId, createdAt: new Date().toISOString(), networks: [] };
    this.remember(tx);
    tx.networks = await Promise.all(
      targets.map(async (n): Promise<NetworkTx> => {
        const s = await this.submit(n.id, tx.txId);
        const ntx: NetworkTx = {
          network: n.id,
          status: s.ok ? 'submitted' : 'failed',
          attempts: s.attempts,
          submitMs: s.submitMs,
          confirmations: 0,
          ...(s.txHash ? { txHash: s.txHash, submittedAt: new Date().toISOString() } : {}),
          ...(s.error && !s.ok ? { error: s.error } : {}),
        };
        await this.ctx.publisher.publish(
          'InfrastructureService',
          'Broadcast',
          { txId: tx.txId, network: n.id, status: ntx.status, attempts: ntx.attempts, ...(ntx.txHash ? { txHash: ntx.txHash } : {}) },
          trace,
        );
        if (s.ok) this.trackConfirmation(tx, ntx, n, trace);
        return ntx;
      }),
    );
    const succeeded = tx.networks.filter((n) => n.status !== 'failed').length;
    return { status: 202, body: { ...tx, succeeded, total: tx.networks.length } };
  }

  private trackConfirmation(tx: Transaction, ntx: NetworkTx, n: SimulatedNetwork, trace: TraceContext): void {
    const ms = n.sampleConfirmationMs();
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.running) return;
      ntx.status = 'confirmed';
      ntx.confirmations = n.spec.confirmations;
      ntx.confirmedAt = new Date().toISOString();
      ntx.confirmationMs = Date.parse(ntx.confirmedAt) - Date.parse(ntx.submittedAt ?? tx.createdAt);
      this.ctx.publisher
        .publish(
          'InfrastructureService',
          'Confirmation',
          { txId: tx.txId, network: n.id, txHash: ntx.txHash, confirmations: ntx.confirmations, confirmationMs: ntx.confirmationMs },
          trace,
        )
        .catch((err: unknown) => this.ctx.log(`infrastructure: Confirmation ${tx.txId}/${n.id} not published: ${(err as Error).message}`));
    }, ms);
    this.timers.add(t);
  }

  private remember(tx: Transaction): void {
    if (this.txs.size >= MAX_TRANSACTIONS) {
      const oldest = this.txs.keys().next().value;
      if (oldest !== undefined) this.txs.delete(oldest);
    }
    this.txs.set(tx.txId, tx);
  }
}

function networkView(n: SimulatedNetwork) {
  return { id: n.id, confirmations: n.spec.confirmations, blockTimeMs: n.spec.blockTimeMs, status: n.down ? 'down' : 'up' };
}

/** A factory for the sandbox; `networkIds` overrides the six default networks. */
export function infrastructureServiceFactory(networkIds?: readonly string[]) {
  return (ctx: ServiceContext, _registry: ServiceRegistry): InfrastructureService => new InfrastructureService(ctx, networkIds);
}
