import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { LedgerHub } from '../ledger/index.js';
import type { ServiceRegistry } from '../registry.js';
import { HttpError, type HttpRoute, type ServiceContext, type ServiceModule } from '../types.js';
import { parseBody } from '../validate.js';

export interface Account {
  accountId: string;
  /** The client's own reference (the harness maps its generated accounts by it). */
  reference: string;
  ownerId: string;
  runId: string;
  currency: string;
  openingBalance: number;
  /** Largest single payment (minor units). */
  perPaymentLimit: number;
  createdAt: string;
}

export type HoldStatus = 'active' | 'captured' | 'released';

export interface Hold {
  holdId: string;
  accountId: string;
  paymentId: string;
  amount: number;
  status: HoldStatus;
  placedAt: string;
  closedAt?: string;
}

const openSchema = z.object({
  reference: z.string().min(1).max(200).optional(),
  openingBalance: z.number().int().nonnegative(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'expected an ISO currency code such as EUR')
    .default('EUR'),
  perPaymentLimit: z.number().int().positive().default(10_000_000),
});

/**
 * AccountService: accounts (opening balance posted to the ledger), balances read from the ledger's primary book,
 * and holds: the saga's Validate step places one for amount + fee, Confirm captures it, compensation releases it.
 */
export class AccountService implements ServiceModule {
  readonly name = 'account';
  private readonly accounts = new Map<string, Account>();
  private readonly byRun = new Map<string, Account[]>();
  private readonly holds = new Map<string, Hold>();
  private readonly holdsByAccount = new Map<string, Hold[]>();
  readonly routes: readonly HttpRoute[];
  readonly adminRoutes: readonly HttpRoute[];

  constructor(private readonly registry: ServiceRegistry) {
    this.routes = [
      { method: 'POST', url: '/api/accounts', auth: true, handler: (r) => this.open(r.userId, r.body, r.trace.runId) },
      {
        method: 'GET',
        url: '/api/accounts/:id',
        auth: true,
        handler: (r) => {
          const a = this.accounts.get(r.params.id);
          if (!a || a.ownerId !== r.userId) throw new HttpError(404, 'ACCOUNT_NOT_FOUND', `account ${r.params.id} not found`);
          return { status: 200, body: this.view(a) };
        },
      },
    ];
    this.adminRoutes = [
      {
        method: 'GET',
        url: '/admin/accounts',
        handler: (r) => {
          const runId = r.query.runId;
          const list = runId !== undefined ? (this.byRun.get(runId) ?? []) : [...this.accounts.values()];
          return { status: 200, body: { accounts: list.map((a) => this.view(a)) } };
        },
      },
    ];
  }

  health() {
    return 'up' as const;
  }

  private get ledger(): LedgerHub {
    return this.registry.get<LedgerHub>('ledger');
  }

  get(accountId: string): Account | undefined {
    return this.accounts.get(accountId);
  }

  balance(accountId: string): number {
    return this.ledger.balance(accountId);
  }

  /** Balance minus active holds. */
  available(accountId: string): number {
    const held = (this.holdsByAccount.get(accountId) ?? []).reduce((s, h) => s + (h.status === 'active' ? h.amount : 0), 0);
    return this.balance(accountId) - held;
  }

  /**
   * Places a hold of `amount` on `accountId` for `paymentId`.
   * @throws HttpError 422 INSUFFICIENT_FUNDS
   */
  placeHold(accountId: string, paymentId: string, amount: number): Hold {
    const available = this.available(accountId);
    if (available < amount) {
      throw new HttpError(422, 'INSUFFICIENT_FUNDS', `account ${accountId} has ${available} available, the payment needs ${amount}`);
    }
    const hold: Hold = { holdId: randomUUID(), accountId, paymentId, amount, status: 'active', placedAt: new Date().toISOString() };
    this.holds.set(hold.holdId, hold);
    const list = this.holdsByAccount.get(accountId);
    if (list) list.push(hold);
    else this.holdsByAccount.set(accountId, [hold]);
    return hold;
  }

  /** Captures (the ledger has moved the money) or releases an active hold; a closed hold stays as it is. */
  closeHold(holdId: string, how: 'captured' | 'released'): Hold | undefined {
    const h = this.holds.get(holdId);
    if (h && h.status === 'active') {
      h.status = how;
      h.closedAt = new Date().toISOString();
    }
    return h;
  }

  private async open(ownerId: string, body: unknown, runId: string) {
    const b = parseBody(openSchema, body);
    const a: Account = {
      accountId: randomUUID(),
      reference: b.reference ?? '',
      ownerId,
      runId,
      currency: b.currency,
      openingBalance: b.openingBalance,
      perPaymentLimit: b.perPaymentLimit,
      createdAt: new Date().toISOString(),
    };
    this.accounts.set(a.accountId, a);
    const list = this.byRun.get(runId);
    if (list) list.push(a);
    else this.byRun.set(runId, [a]);
    this.ledger.postOpening(a.accountId, a.openingBalance, runId);
    return { status: 201, body: this.view(a) };
  }

  private view(a: Account) {
    const holds = (this.holdsByAccount.get(a.accountId) ?? []).map((h) => ({ ...h }));
    return {
      accountId: a.accountId,
      reference: a.reference,
      runId: a.runId,
      currency: a.currency,
      openingBalance: a.openingBalance,
      perPaymentLimit: a.perPaymentLimit,
      balance: this.balance(a.accountId),
      available: this.available(a.accountId),
      holds,
    };
  }
}

export function createAccountService(_ctx: ServiceContext, registry: ServiceRegistry): AccountService {
  return new AccountService(registry);
}
