import { Faker, en } from '@faker-js/faker';
import { writeFileSync } from 'node:fs';

/** A saga step a payment is forced to fail at. */
export type ForcedStep = 'validate' | 'settle' | 'confirm';

export interface PlannedAccount {
  reference: string;
  /** Minor units. */
  openingBalance: number;
}

export interface PlannedPayment {
  reference: string;
  /** Indexes into the scenario's accounts. */
  payer: number;
  payee: number;
  /** Minor units. */
  amount: number;
  force?: ForcedStep;
}

export interface ScenarioPlan {
  accounts: PlannedAccount[];
  payments: PlannedPayment[];
}

/** MVP 2's test data by scenario, generated in Node and read by k6 into SharedArrays. */
export type PaymentPlan = Record<'payment-flow' | 'ledger-validation' | 'saga', ScenarioPlan>;

const SIZES = {
  smoke: { 'payment-flow': [10, 100], 'ledger-validation': [20, 200], saga: [6, 5] },
  full: { 'payment-flow': [40, 500], 'ledger-validation': [100, 1000], saga: [20, 30] },
} as const;
const STEPS: ForcedStep[] = ['validate', 'settle', 'confirm'];
const OPENING = 5_000_000;

/**
 * Accounts and payments for every MVP 2 scenario (seeded faker, so a run can be reproduced). The saga scenario gets
 * `perStep` payments for each step in turn (validate, settle, confirm, validate, ...). Payment references are
 * `<scenario>/<n>`, account references `<scenario>/<account number>`: the probes map the platform's records back to
 * this plan by reference.
 */
export function planPayments(profile: 'smoke' | 'full', seed: number, runId: string): PaymentPlan {
  const faker = new Faker({ locale: [en] });
  faker.seed(seed);
  const plan = {} as PaymentPlan;
  for (const scenario of ['payment-flow', 'ledger-validation', 'saga'] as const) {
    const [nAccounts, n] = SIZES[profile][scenario];
    const accounts = Array.from({ length: nAccounts }, (_, i) => ({
      reference: `${runId}/${scenario}/${String(i).padStart(3, '0')}-${faker.finance.accountNumber(8)}`,
      openingBalance: OPENING,
    }));
    const count = scenario === 'saga' ? n * STEPS.length : n;
    const payments = Array.from({ length: count }, (_, i) => {
      const payer = faker.number.int({ min: 0, max: nAccounts - 1 });
      const payee = (payer + faker.number.int({ min: 1, max: nAccounts - 1 })) % nAccounts;
      return {
        reference: `${runId}/${scenario}/${i}`,
        payer,
        payee,
        amount: faker.number.int({ min: 100, max: 50_000 }),
        ...(scenario === 'saga' ? { force: STEPS[i % STEPS.length] } : {}),
      };
    });
    plan[scenario] = { accounts, payments };
  }
  return plan;
}

export function writePaymentPlan(file: string, plan: PaymentPlan): void {
  writeFileSync(file, JSON.stringify(plan));
}
