// MVP 2, scenario 3 (seed): "Saga Test: Payment with forced failure and compensation".
// Payments forced to fail at each step in turn (validate, settle, confirm, ...) through the target's hook; each must
// end compensated (criterion saga-compensation, checked by the harness against the ledger and the holds).
// Forced requests are tagged forced:'true' and excluded from error-rate.
import { check } from 'k6';
import exec from 'k6/execution';
import { profile, runId, thresholdsFromEnv } from '../../lib/k6/env.ts';
import { forcedFailureHook, makePayment, MVP2_TAGS, type PayerSetup, planFor, setUpPayer } from '../../lib/k6/payment-api.ts';
import { scenarioOptions, sharedIterations } from '../../lib/k6/options.ts';

const plan = planFor('saga');
const hook = forcedFailureHook();
const sizes = { smoke: { vus: 3, maxDuration: '60s' }, full: { vus: 5, maxDuration: '10m' } }[profile];

export const options = scenarioOptions('saga', () => sharedIterations({ ...sizes, iterations: plan.payments.length }), thresholdsFromEnv, {
  tags: MVP2_TAGS,
  setupTimeout: '120s',
});

export function setup(): PayerSetup {
  if (!hook) return { token: null, ids: [] };
  return setUpPayer(
    { name: 'Saga', email: `saga+${runId}@example.test`, password: `pw-${runId}`, displayName: 'saga', phone: '+15550000003' },
    plan.accounts,
  );
}

export default function saga(data: PayerSetup): void {
  // No hook: the target cannot force failures; the harness reports saga-compensation as not measured.
  if (!hook) return;
  if (!check(data.token, { 'payer logged in': (t) => !!t }) || !data.token) return;
  const p = plan.payments[exec.scenario.iterationInTest];
  const o = makePayment(data.token, data.ids, p, hook);
  check(o, {
    'forced failure compensated': (x) => x.status === 'compensated',
    'failed at the forced step': (x) => x.failedStep === p.force,
  });
}
