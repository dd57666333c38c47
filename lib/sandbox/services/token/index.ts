import { z } from 'zod';
import type { TraceContext } from '../../events/types.js';
import { faultCount } from '../../faults.js';
import type { InfrastructureService } from '../infrastructure/index.js';
import { INFRASTRUCTURE_SERVICE } from '../infrastructure/index.js';
import type { ServiceRegistry } from '../registry.js';
import { HttpError, type HttpRoute, type ServiceContext, type ServiceModule } from '../types.js';
import { parseBody } from '../validate.js';

/** The supply accounting the `token-supply` criterion checks: amounts and operation counts. */
export interface SupplyCounts {
  /** Kept separately from the balances, so "minted - burned = supply = sum of balances" is a real check. */
  supply: number;
  minted: number;
  burned: number;
  transferred: number;
  mints: number;
  burns: number;
  transfers: number;
}

/** One token on one network: its balances and its supply accounting. */
export interface TokenLedger extends SupplyCounts {
  network: string;
  token: string;
  balances: Map<string, number>;
}

/** `GET /api/tokens/:network/:token/supply`: the ledger without its balances, plus their total and count. */
export interface SupplyReport extends SupplyCounts {
  network: string;
  token: string;
  balancesTotal: number;
  accounts: number;
}

const noSupply = (): SupplyCounts => ({ supply: 0, minted: 0, burned: 0, transferred: 0, mints: 0, burns: 0, transfers: 0 });

const amount = z.number().int().positive().max(1e12);
const tokenName = z.string().min(1).max(200);
const account = z.string().min(1).max(200);
const mintSchema = z.object({ token: tokenName, account, amount });
const burnSchema = mintSchema;
const transferSchema = z.object({ token: tokenName, from: account, to: account, amount });

/**
 * TokenService (seed Stage 4): Mint, Transfer and Burn of a token on each network, every operation submitted to
 * that network through the InfrastructureService (a down network answers 503 and changes nothing), with
 * per-network supply accounting and `Mint` / `Transfer` / `Burn` events.
 */
export class TokenService implements ServiceModule {
  readonly name = 'token';
  readonly routes: readonly HttpRoute[];
  private readonly ledgers = new Map<string, TokenLedger>();
  private running = false;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly registry: ServiceRegistry,
  ) {
    this.routes = [
      { method: 'POST', url: '/api/tokens/:network/mint', handler: (r) => this.mint(r.params.network, r.body, r.trace) },
      { method: 'POST', url: '/api/tokens/:network/transfer', handler: (r) => this.transfer(r.params.network, r.body, r.trace) },
      { method: 'POST', url: '/api/tokens/:network/burn', handler: (r) => this.burn(r.params.network, r.body, r.trace) },
      {
        method: 'GET',
        url: '/api/tokens/:network/:token/supply',
        handler: (r) => {
          this.infrastructure().network(r.params.network);
          return { status: 200, body: this.report(r.params.network, r.params.token) };
        },
      },
    ];
  }

  start(): void {
    this.running = true;
  }

  stop(): void {
    this.running = false;
  }

  health() {
    return this.running ? ('up' as const) : ('down' as const);
  }

  /** The supply report of one token on one network (zeros when never used). */
  report(network: string, token: string): SupplyReport {
    const l = this.ledgers.get(key(network, token));
    if (!l) return { network, token, ...noSupply(), balancesTotal: 0, accounts: 0 };
    let balancesTotal = 0;
    for (const b of l.balances.values()) balancesTotal += b;
    const { balances: _b, ...rest } = l;
    // Fault token.supply-skew: the report overstates what was minted (and so the supply); the balances are right.
    const skew = faultCount(this.ctx.faults, 'token.supply-skew');
    return { ...rest, minted: rest.minted + skew, supply: rest.supply + skew, balancesTotal, accounts: l.balances.size };
  }

  private infrastructure(): InfrastructureService {
    return this.registry.get<InfrastructureService>(INFRASTRUCTURE_SERVICE);
  }

  private ledger(network: string, token: string): TokenLedger {
    const k = key(network, token);
    let l = this.ledgers.get(k);
    if (!l) {
      l = { network, token, balances: new Map(), ...noSupply() };
      this.ledgers.set(k, l);
    }
    return l;
  }

  /** Submit to the network; a failed submission is a 503 and no state changes. */
  private async onChain(network: string, what: string): Promise<string> {
    const s = await this.infrastructure().submit(network, what);
    if (!s.ok) throw new HttpError(503, 'NETWORK_UNAVAILABLE', `${what} on ${network} not submitted: ${s.error ?? 'failed'}`);
    return s.txHash ?? '';
  }

  private async mint(network: string, body: unknown, trace: TraceContext) {
    const req = parseBody(mintSchema, body);
    this.infrastructure().network(network);
    const txHash = await this.onChain(network, `mint|${req.token}|${req.account}|${trace.correlationId}`);
    const l = this.ledger(network, req.token);
    l.balances.set(req.account, (l.balances.get(req.account) ?? 0) + req.amount);
    l.supply += req.amount;
    l.minted += req.amount;
    l.mints += 1;
    await this.ctx.publisher.publish(
      'TokenService',
      'Mint',
      { network, token: req.token, account: req.account, amount: req.amount, txHash },
      trace,
    );
    return {
      status: 201,
      body: { network, token: req.token, account: req.account, balance: l.balances.get(req.account), supply: l.supply, txHash },
    };
  }

  private async transfer(network: string, body: unknown, trace: TraceContext) {
    const req = parseBody(transferSchema, body);
    this.infrastructure().network(network);
    this.requireBalance(network, req.token, req.from, req.amount);
    const txHash = await this.onChain(network, `transfer|${req.token}|${req.from}|${req.to}|${trace.correlationId}`);
    // Checked again after the network round trip: another request may have spent the balance meanwhile.
    const l = this.requireBalance(network, req.token, req.from, req.amount);
    l.balances.set(req.from, (l.balances.get(req.from) ?? 0) - req.amount);
    l.balances.set(req.to, (l.balances.get(req.to) ?? 0) + req.amount);
    l.transferred += req.amount;
    l.transfers += 1;
    await this.ctx.publisher.publish(
      'TokenService',
      'Transfer',
      { network, token: req.token, from: req.from, to: req.to, amount: req.amount, txHash },
      trace,
    );
    return {
      status: 200,
      body: {
        network,
        token: req.token,
        from: req.from,
        to: req.to,
        amount: req.amount,
        fromBalance: l.balances.get(req.from),
        toBalance: l.balances.get(req.to),
        txHash,
      },
    };
  }

  private async burn(network: string, body: unknown, trace: TraceContext) {
    const req = parseBody(burnSchema, body);
    this.infrastructure().network(network);
    this.requireBalance(network, req.token, req.account, req.amount);
    const txHash = await this.onChain(network, `burn|${req.token}|${req.account}|${trace.correlationId}`);
    const l = this.requireBalance(network, req.token, req.account, req.amount);
    l.balances.set(req.account, (l.balances.get(req.account) ?? 0) - req.amount);
    l.supply -= req.amount;
    l.burned += req.amount;
    l.burns += 1;
    await this.ctx.publisher.publish(
      'TokenService',
      'Burn',
      { network, token: req.token, account: req.account, amount: req.amount, txHash },
      trace,
    );
    return {
      status: 200,
      body: { network, token: req.token, account: req.account, balance: l.balances.get(req.account), supply: l.supply, txHash },
    };
  }

  private requireBalance(network: string, token: string, account: string, amount: number): TokenLedger {
    const l = this.ledger(network, token);
    const have = l.balances.get(account) ?? 0;
    if (have < amount)
      throw new HttpError(409, 'INSUFFICIENT_BALANCE', `${account} holds ${have} ${token} on ${network}, ${amount} requested`);
    return l;
  }
}

const key = (network: string, token: string) => `${network}\u0000${token}`;

export function createTokenService(ctx: ServiceContext, registry: ServiceRegistry): TokenService {
  return new TokenService(ctx, registry);
}
