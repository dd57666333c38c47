// MVP 2, scenario 2 (seed): "Ledger Validation: 1000 transactions with reconciliation".
// 1000 payments (smoke: 200) between generated accounts, each followed until confirmed; the harness then reconciles
// the ledger against this plan (criterion ledger-consistency) and compares both paths' books (parallel-validation).
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import { profile, runId, thresholdsFromEnv } from '../../lib/k6/env.ts';
import { confirmedPayment, MVP2_TAGS, type PayerSetup, planFor, setUpPayer } from '../../lib/k6/payment-api.ts';
import { scenarioOptions, sharedIterations } from '../../lib/k6/options.ts';

const plan = planFor('ledger-validation');
// Paced by a think time per payer: the criterion is processing time, not how deep a saturated queue gets.
const sizes = { smoke: { vus: 5, maxDuration: '90s', thinkSeconds: 0.1 }, full: { vus: 10, maxDuration: '15m', thinkSeconds: 0.5 } }[
  profile
];

export const options = scenarioOptions(
  'ledger-validation',
  () => sharedIterations({ ...sizes, iterations: plan.payments.length }),
  thresholdsFromEnv,
  {
    tags: MVP2_TAGS,
    setupTimeout: '180s',
  },
);

export function setup(): PayerSetup {
  return setUpPayer(
    {
      name: 'Ledger Validation',
      email: `ledger-validation+${runId}@example.test`,
      password: `pw-${runId}`,
      displayName: 'ledger-validation',
      phone: '+15550000002',
    },
    plan.accounts,
  );
}

export default function ledgerValidation(data: PayerSetup): void {
  if (!check(data.token, { 'payer logged in': (t) => !!t }) || !data.token) return;
  confirmedPayment(data.token, data.ids, plan.payments[exec.scenario.iterationInTest]);
  sleep(sizes.thinkSeconds);
}
