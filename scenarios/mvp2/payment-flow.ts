// MVP 2, scenario 1 (seed): "Payment Flow: Initiate → Validate → Settle → Confirm".
// Each iteration is one payment between the scenario's accounts, followed until it is confirmed; the end-to-end time
// is the payment_processing_time trend (criterion payment-latency).
import { check } from 'k6';
import exec from 'k6/execution';
import { profile, runId, thresholdsFromEnv } from '../../lib/k6/env.ts';
import { confirmedPayment, MVP2_TAGS, openAccounts, planFor } from '../../lib/k6/payment-api.ts';
import { signupAndLogin } from '../../lib/k6/platform-api.ts';

const plan = planFor('payment-flow');
const sizes = { smoke: { vus: 3, maxDuration: '60s' }, full: { vus: 10, maxDuration: '10m' } }[profile];

export const options = {
  scenarios: {
    'payment-flow': { executor: 'shared-iterations', vus: sizes.vus, iterations: plan.payments.length, maxDuration: sizes.maxDuration },
  },
  tags: MVP2_TAGS,
  setupTimeout: '120s',
  thresholds: thresholdsFromEnv(),
  summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
};

interface Setup {
  token: string | null;
  ids: Array<string | null>;
}

export function setup(): Setup {
  const token = signupAndLogin({ name: 'Payment Flow', email: `payment-flow+${runId}@example.test`, password: `pw-${runId}`, displayName: 'payment-flow', phone: '+15550000001' });
  return { token, ids: token ? openAccounts(token, plan.accounts) : [] };
}

export default function paymentFlow(data: Setup): void {
  if (!check(data.token, { 'payer logged in': (t) => !!t }) || !data.token) return;
  confirmedPayment(data.token, data.ids, plan.payments[exec.scenario.iterationInTest]);
}
