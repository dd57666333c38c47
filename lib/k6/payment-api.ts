// Runs INSIDE k6. MVP 2's payment API client, the test data (accounts and payments generated in Node, read into
// SharedArrays) and the custom metrics every MVP 2 scenario declares (so the harness's thresholds on them are
// valid in each scenario). Requests are tagged `forced: 'true'` when they force a saga failure; every other request
// carries the scenario's test-wide tag `forced: 'false'` (see `MVP2_TAGS`), so error-rate can exclude forced ones.
import { check } from 'k6';
import { SharedArray } from 'k6/data';
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import { Counter, Rate, Trend } from 'k6/metrics';
import { gatewayUrl, instanceSuffix, runId, vuKey } from './env.ts';
import { bodyWith, jsonBody, signupAndLogin } from './platform-api.ts';
import type { Identity } from './test-data.ts';
import {
  QSL_ENV,
  type ForcedFailureHook,
  type ForcedStep as Step,
  type PaymentPlan,
  type PaymentScenario as ScenarioName,
  type PlannedAccount,
  type PlannedPayment,
} from '../contract/index.ts';

export type { PlannedPayment };

/** End to end: POST /api/payments until the payment is seen confirmed (non-forced payments only). */
export const paymentProcessingTime = new Trend('payment_processing_time', true);
export const paymentsConfirmed = new Counter('payments_confirmed');
export const paymentsCompensated = new Counter('payments_compensated');
export const paymentsRejected = new Counter('payments_rejected');
export const paymentsUnfinished = new Counter('payments_unfinished');
/** One sample per payment the platform accepted: 1 when it reached a final state (criterion payments-final). */
export const paymentFinal = new Rate('payment_final');

/** Test-wide tags for every MVP 2 scenario's `options.tags`. */
export const MVP2_TAGS = { forced: 'false' };

const TERMINAL = ['confirmed', 'compensated', 'rejected'];

function readPlan(): PaymentPlan | null {
  const path = __ENV[QSL_ENV.paymentData];
  return path ? (JSON.parse(open(path)) as PaymentPlan) : null;
}

/** A scenario's accounts and payments from QSL_PAYMENT_DATA, or a small built-in set for inspect and dry runs. */
/** A read-only list (what a SharedArray gives). */
export interface List<T> {
  readonly length: number;
  readonly [index: number]: T;
}

export function planFor(scenario: ScenarioName): { accounts: List<PlannedAccount>; payments: List<PlannedPayment> } {
  return {
    accounts: new SharedArray(`${scenario}-accounts`, () => {
      const plan = readPlan();
      if (plan) return plan[scenario].accounts;
      return Array.from({ length: 4 }, (_, i) => ({ reference: `local/${scenario}/${i}`, openingBalance: 5_000_000 }));
    }),
    payments: new SharedArray(`${scenario}-payments`, () => {
      const plan = readPlan();
      if (plan) return plan[scenario].payments;
      const steps: Step[] = ['validate', 'settle', 'confirm'];
      return Array.from({ length: 6 }, (_, i) => ({
        reference: `local/${scenario}/${i}`,
        payer: i % 4,
        payee: (i + 1) % 4,
        amount: 1000 + i,
        ...(scenario === 'saga' ? { force: steps[i % 3] } : {}),
      }));
    }),
  };
}

/** How the target lets a test force a failure (QSL_FORCED_FAILURE), or null when it offers no hook. */
export function forcedFailureHook(): ForcedFailureHook | null {
  const raw = __ENV[QSL_ENV.forcedFailure];
  if (raw === undefined) return { header: 'X-Force-Failure' };
  return raw ? (JSON.parse(raw) as ForcedFailureHook) : null;
}

let seq = 0;
function headers(token: string, extra: Record<string, string> = {}): Record<string, string> {
  seq += 1;
  return {
    'Content-Type': 'application/json',
    'X-Run-Id': runId,
    'X-Correlation-Id': `${runId}-${vuKey()}-p${seq}`,
    Authorization: `Bearer ${token}`,
    ...extra,
  };
}

type Res = RefinedResponse<ResponseType | undefined>;
interface PaymentView {
  paymentId: string;
  status: string;
  failedStep: string | null;
}

/** What an MVP 2 scenario's set-up hands every iteration: the payer's token and the account ids by index. */
export interface PayerSetup {
  token: string | null;
  ids: Array<string | null>;
}

/**
 * Signs up and logs in the scenario's payer, then opens the scenario's accounts (none when the login failed).
 * Each k6 process of a split run does this in its own setup(): its own payer (the email carries the process's
 * segment) and its own copies of the planned accounts, under the planned references.
 */
export function setUpPayer(payer: Identity, accounts: List<PlannedAccount>): PayerSetup {
  const token = signupAndLogin({ ...payer, email: payer.email.replace('@', `${instanceSuffix()}@`) });
  return { token, ids: token ? openAccounts(token, accounts) : [] };
}

/** Opens the scenario's accounts; returns their ids by index (null where opening failed). */
export function openAccounts(token: string, accounts: List<PlannedAccount>): Array<string | null> {
  const ids: Array<string | null> = [];
  for (let i = 0; i < accounts.length; i++) {
    const a = accounts[i];
    const r = http.post(
      `${gatewayUrl}/api/accounts`,
      JSON.stringify({ reference: a.reference, openingBalance: a.openingBalance, currency: 'EUR' }),
      {
        headers: headers(token),
        tags: { name: 'POST /api/accounts' },
      },
    );
    const id = bodyWith<{ accountId: string }>(r, 201, 'accountId')?.accountId ?? null;
    check(r, { 'account opened 201 with accountId': () => id !== null });
    ids.push(id);
  }
  return ids;
}

export interface PaymentOutcome {
  paymentId: string | null;
  status: string | null;
  failedStep: string | null;
  ms: number;
}

/**
 * One payment, start to finish: POST /api/payments, then GET /api/payments/{id}?wait=3 until it is final
 * (bounded: 3 waits of 3 s; a payment not final by then is stuck). `force` asks the target to fail that step through its hook.
 */
export function makePayment(token: string, ids: Array<string | null>, p: PlannedPayment, hook: ForcedFailureHook | null): PaymentOutcome {
  const forced = p.force !== undefined;
  const extra: Record<string, string> = {};
  let amount = p.amount;
  if (forced && hook && 'header' in hook) extra[hook.header] = p.force!;
  if (forced && hook && 'magicAmounts' in hook) amount = hook.magicAmounts[p.force!];
  const tags: Record<string, string> = forced ? { forced: 'true' } : {};
  const start = Date.now();
  const body = { payerAccountId: ids[p.payer], payeeAccountId: ids[p.payee], amount, currency: 'EUR', reference: p.reference };
  const r: Res = http.post(`${gatewayUrl}/api/payments`, JSON.stringify(body), {
    headers: headers(token, extra),
    tags: { name: 'POST /api/payments', ...tags },
  });
  const first = jsonBody<PaymentView>(r);
  const accepted = r.status === 202 || (r.status === 422 && !!first?.paymentId);
  if (!forced) check(r, { 'payment accepted 202 with paymentId': (x) => !!bodyWith(x, 202, 'paymentId', 'status') });
  if (!accepted || !first) return { paymentId: first?.paymentId ?? null, status: null, failedStep: null, ms: Date.now() - start };
  let view: PaymentView = first;
  for (let i = 0; i < 3 && !TERMINAL.includes(view.status); i++) {
    const g: Res = http.get(`${gatewayUrl}/api/payments/${view.paymentId}?wait=3`, {
      headers: headers(token),
      tags: { name: 'GET /api/payments/{id}', ...tags },
    });
    const next = bodyWith<PaymentView>(g, 200, 'paymentId', 'status');
    // A failed read is retried within the bound; it says nothing about the payment itself.
    if (!next) continue;
    view = next;
  }
  const ms = Date.now() - start;
  paymentFinal.add(TERMINAL.includes(view.status) ? 1 : 0, tags);
  if (view.status === 'confirmed') paymentsConfirmed.add(1);
  else if (view.status === 'compensated') paymentsCompensated.add(1);
  else if (view.status === 'rejected') paymentsRejected.add(1);
  else paymentsUnfinished.add(1);
  return { paymentId: view.paymentId, status: view.status, failedStep: view.failedStep ?? null, ms };
}

/** A non-forced payment: must end confirmed; its end-to-end time goes into payment_processing_time. */
export function confirmedPayment(token: string, ids: Array<string | null>, p: PlannedPayment): void {
  const o = makePayment(token, ids, p, null);
  if (check(o, { 'payment confirmed': (x) => x.status === 'confirmed' })) paymentProcessingTime.add(o.ms);
}
