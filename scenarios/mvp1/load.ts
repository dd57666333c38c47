// MVP 1, scenario 3 (seed): "Load Test: 100 concurrent users, 1000 requests/minute".
// An arrival-rate executor keeps the request rate fixed whatever the latency; each iteration is one
// request from a mix that mirrors the journey. The harness runs the rollback drill during this scenario.
import { check } from 'k6';
import exec from 'k6/execution';
import { QSL_ENV } from '../../lib/contract/index.ts';
import { instanceSuffix, numberFromEnv, profile, runId, segments, thresholdsFromEnv } from '../../lib/k6/env.ts';
import { scenarioOptions } from '../../lib/k6/options.ts';
import { identityFor } from '../../lib/k6/test-data.ts';
import { createWorkflow, executeWorkflow, jsonBody, login, notifications, signup, signupAndLoginAll, updateProfile } from '../../lib/k6/platform-api.ts';

const duration = __ENV[QSL_ENV.loadDuration] || (profile === 'full' ? '10m' : '30s');
const users = numberFromEnv(QSL_ENV.loadUsers, 100);

export const options = scenarioOptions(
  'load',
  {
    executor: 'constant-arrival-rate',
    rate: numberFromEnv(QSL_ENV.loadRatePerMinute, 1000),
    timeUnit: '1m',
    duration,
    preAllocatedVUs: users,
    maxVUs: users,
  },
  thresholdsFromEnv(),
  // The set-up signs up the whole pool in parallel batches.
  { setupTimeout: '120s', batch: 20, batchPerHost: 20 },
);

interface Pool {
  users: Array<{ index: number; token: string }>;
}

/** The pool's identities: each k6 process of a split run signs up its own pool. */
const poolSalt = (): string => `load-pool-${runId}${instanceSuffix()}`;

/** One signed-up, logged-in user per VU ("100 concurrent users"), split over the test's processes. */
export function setup(): Pool {
  const ids = Array.from({ length: Math.ceil(users / segments) }, (_, i) => identityFor(i, poolSalt()));
  const tokens = signupAndLoginAll(ids);
  return { users: tokens.flatMap((token, index) => (token ? [{ index, token }] : [])) };
}

const lastWorkflow: { id: string | null } = { id: null };

export default function load(pool: Pool): void {
  if (pool.users.length === 0) throw new Error('setup signed up no users: is the gateway up?');
  const user = pool.users[(__VU - 1) % pool.users.length];
  const i = exec.scenario.iterationInTest;
  const slot = i % 20;

  if (slot < 2) {
    check(signup(identityFor(i, `load-${runId}`)), { 'signup 201': (r) => r.status === 201 });
  } else if (slot < 6) {
    check(login(identityFor(user.index, poolSalt())), { 'login 200': (r) => r.status === 200 });
  } else if (slot < 10) {
    check(updateProfile(user.token, identityFor(user.index, poolSalt())), { 'profile 200': (r) => r.status === 200 });
  } else if (slot < 16) {
    check(notifications(user.token), { 'notifications 200': (r) => r.status === 200 });
  } else if (slot < 18 || lastWorkflow.id === null) {
    const r = createWorkflow(user.token, 'load');
    lastWorkflow.id = jsonBody<{ workflowId: string }>(r)?.workflowId ?? null;
    check(r, { 'workflow created 201': (x) => x.status === 201 });
  } else {
    check(executeWorkflow(user.token, lastWorkflow.id), { 'workflow execute 202': (r) => r.status === 202 });
    lastWorkflow.id = null;
  }
}
