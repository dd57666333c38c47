// MVP 1, scenario 3 (seed): "Load Test: 100 concurrent users, 1000 requests/minute".
// An arrival-rate executor keeps the request rate fixed whatever the latency; each iteration is one
// request from a mix that mirrors the journey. The harness runs the rollback drill during this scenario.
import { check } from 'k6';
import exec from 'k6/execution';
import { QSL_ENV } from '../../lib/contract/index.ts';
import { numberFromEnv, profile, runId, thresholdsFromEnv } from '../../lib/k6/env.ts';
import { scenarioOptions } from '../../lib/k6/options.ts';
import { identityFor } from '../../lib/k6/test-data.ts';
import { bodyWith, createWorkflow, executeWorkflow, login, notifications, signup, signupAndLoginAll, updateProfile } from '../../lib/k6/platform-api.ts';

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

/** One signed-up, logged-in user per VU ("100 concurrent users"). */
export function setup(): Pool {
  const ids = Array.from({ length: users }, (_, i) => identityFor(i, `load-pool-${runId}`));
  const tokens = signupAndLoginAll(ids);
  return { users: tokens.flatMap((token, index) => (token ? [{ index, token }] : [])) };
}

const lastWorkflow: { id: string | null } = { id: null };

export default function load(pool: Pool): void {
  if (pool.users.length === 0) throw new Error('setup signed up no users: is the gateway up?');
  const user = pool.users[(__VU - 1) % pool.users.length];
  const i = exec.scenario.iterationInTest;
  const slot = i % 20;

  // Each check reads the body too: a 2xx without what the client needs is a failure.
  if (slot < 2) {
    check(signup(identityFor(i, `load-${runId}`)), { 'signup 201 with userId': (r) => !!bodyWith(r, 201, 'userId') });
  } else if (slot < 6) {
    check(login(identityFor(user.index, `load-pool-${runId}`)), { 'login 200 with token': (r) => !!bodyWith(r, 200, 'token') });
  } else if (slot < 10) {
    check(updateProfile(user.token, identityFor(user.index, `load-pool-${runId}`)), { 'profile 200 with profile': (r) => !!bodyWith(r, 200, 'userId', 'profile') });
  } else if (slot < 16) {
    check(notifications(user.token), { 'notifications 200 with a list': (r) => Array.isArray(bodyWith<{ notifications: unknown }>(r, 200, 'notifications')?.notifications) });
  } else if (slot < 18 || lastWorkflow.id === null) {
    const r = createWorkflow(user.token, 'load');
    lastWorkflow.id = bodyWith<{ workflowId: string }>(r, 201, 'workflowId')?.workflowId ?? null;
    check(r, { 'workflow created 201 with workflowId': () => lastWorkflow.id !== null });
  } else {
    check(executeWorkflow(user.token, lastWorkflow.id), { 'workflow execute 202 with workflowId': (r) => !!bodyWith(r, 202, 'workflowId', 'status') });
    lastWorkflow.id = null;
  }
}
