import type { LedgerHub } from '../ledger/index.js';
import type { ServiceRegistry } from '../registry.js';
import type { HttpRoute, ServiceContext, ServiceModule } from '../types.js';

/** The ledger account the treasury reserve is credited to. */
export const TREASURY_ACCOUNT = 'sys:treasury';

/** Share of every fee the treasury keeps as reserve: 20%, rounded down to a minor unit. */
export function treasuryShare(fee: number): number {
  return Math.floor(fee / 5);
}

/** TreasuryService: takes its reserve share of each fee at settlement and reports its position from the ledger. */
export class TreasuryService implements ServiceModule {
  readonly name = 'treasury';
  readonly accountId = TREASURY_ACCOUNT;
  readonly routes: readonly HttpRoute[];

  constructor(private readonly registry: ServiceRegistry) {
    this.routes = [
      {
        method: 'GET',
        url: '/api/treasury/position',
        handler: () => ({
          status: 200,
          body: { accountId: this.accountId, balance: this.registry.get<LedgerHub>('ledger').balance(this.accountId) },
        }),
      },
    ];
  }

  reserveFor(fee: number): number {
    return treasuryShare(fee);
  }

  health() {
    return 'up' as const;
  }
}

export function createTreasuryService(_ctx: ServiceContext, registry: ServiceRegistry): TreasuryService {
  return new TreasuryService(registry);
}
