// MVP 2, scenario 1 (seed): "Payment Flow: Initiate → Validate → Settle → Confirm".
// Each iteration is one payment between the scenario's accounts, followed until it is confirmed; the end-to-end time
// is the payment_processing_time trend (criterion payment-latency).
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import { profile, runId, thresholdsFromEnv } from '../../lib/k6/env.ts';
import { confirmedPayment, MVP2_TAGS, type PayerSetup, planFor, setUpPayer } from '../../lib/k6/payment-api.ts';
import { scenarioOptions, sharedIterations } from '../../lib/k6/options.ts';

const plan = planFor('payment-flow');
// Paced by a think time per payer: the criterion is processing time, not how deep a saturated queue gets.
const sizes = { smoke: { vus: 3, maxDuration: '60s', thinkSeconds: 0.1 }, full: { vus: 10, maxDuration: '10m', thinkSeconds: 0.5 } }[
  profile
];

export const options = scenarioOptions(
  'payment-flow',
  () => sharedIterations({ ...sizes, iterations: plan.payments.length }),
  thresholdsFromEnv,
  {
    tags: MVP2_TAGS,
    setupTimeout: '120s',
  },
);

export function setup(): PayerSetup {
  return setUpPayer(
    {
      name: 'Payment Flow',
      email: `payment-flow+${runId}@example.test`,
      password: `pw-${runId}`,
      displayName: 'payment-flow',
      phone: '+15550000001',
    },
    plan.accounts,
  );
}

export default function paymentFlow(data: PayerSetup): void {
  if (!check(data.token, { 'payer logged in': (t) => !!t }) || !data.token) return;
  confirmedPayment(data.token, data.ids, plan.payments[exec.scenario.iterationInTest]);
  sleep(sizes.thinkSeconds);
}
