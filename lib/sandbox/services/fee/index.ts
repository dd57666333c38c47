import { z } from 'zod';
import type { HttpRoute, ServiceModule } from '../types.js';
import { parseBody } from '../validate.js';

/** The ledger account fee income is credited to. */
export const FEE_ACCOUNT = 'sys:fees';

/** Standard schedule: 1.25% of the amount, at least 25 minor units, rounded half up to a minor unit. */
export function standardFee(amount: number): number {
  return Math.max(25, Math.round((amount * 125) / 10_000));
}

const quoteSchema = z.object({ amount: z.coerce.number().int().positive() });

/** FeeService: quotes the fee of a payment (used by the saga's Validate step) and says where fees are booked. */
export class FeeService implements ServiceModule {
  readonly name = 'fee';
  readonly accountId = FEE_ACCOUNT;
  readonly routes: readonly HttpRoute[] = [
    {
      method: 'GET',
      url: '/api/fees/quote',
      handler: (r) => {
        const { amount } = parseBody(quoteSchema, r.query);
        return { status: 200, body: { amount, fee: this.quote(amount), schedule: 'standard' } };
      },
    },
  ];

  quote(amount: number): number {
    return standardFee(amount);
  }

  health() {
    return 'up' as const;
  }
}

export function createFeeService(): FeeService {
  return new FeeService();
}
