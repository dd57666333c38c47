// MVP 1, scenario 3 (seed): "Load Test: 100 concurrent users, 1000 requests/minute".
// An arrival-rate executor keeps the request rate fixed whatever the latency; each iteration is one
// request from a mix that mirrors the journey. It measures the migrated configuration only: the harness runs the
// rollback drill afterwards, as a phase of its own with this script as its background load (its own run id, users,
// rate and duration through QSL_RUN_ID, QSL_LOAD_USERS, QSL_LOAD_RATE_PER_MINUTE, QSL_LOAD_DURATION).
import { check } from 'k6';
import exec from 'k6/execution';
import { QSL_ENV } from '../../lib/contract/index.ts';
import { instanceSuffix, numberFromEnv, profile, runId, segments, thresholdsFromEnv } from '../../lib/k6/env.ts';
import { scenarioOptions } from '../../lib/k6/options.ts';
import { identityFor } from '../../lib/k6/test-data.ts';
import {
  bodyWith,
  createWorkflow,
  executeWorkflow,
  login,
  notifications,
  signup,
  signupAll,
  updateProfile,
} from '../../lib/k6/platform-api.ts';

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

/**
 * The signed-up pool, as indexes only: k6 hands every VU its own copy of the set-up data, so tokens (one per user)
 * would cost memory per VU times the pool size. Each VU logs its user in on its first iteration instead.
 */
interface Pool {
  users: number[];
}

/** The pool's identities: each k6 process of a split run signs up its own pool. */
const poolSalt = (): string => `load-pool-${runId}${instanceSuffix()}`;

/** One signed-up user per VU ("100 concurrent users"), split over the test's processes. */
export function setup(): Pool {
  return { users: signupAll(Array.from({ length: Math.ceil(users / segments) }, (_, i) => identityFor(i, poolSalt()))) };
}

const lastWorkflow: { id: string | null } = { id: null };
/** This VU's bearer token, from its first iteration's login. */
let token: string | null = null;

export default function load(pool: Pool): void {
  if (pool.users.length === 0) throw new Error('setup signed up no users: is the gateway up?');
  const user = { index: pool.users[(__VU - 1) % pool.users.length] };
  const i = exec.scenario.iterationInTest;
  const slot = i % 20;

  // Each check reads the body too: a 2xx without what the client needs is a failure.
  if (token === null) {
    // The VU's first iteration: its user's login (a request of the mix anyway).
    const r = login(identityFor(user.index, poolSalt()));
    token = bodyWith<{ token: string }>(r, 200, 'token')?.token ?? null;
    check(r, { 'login 200 with token': () => token !== null });
    return;
  }
  if (slot < 2) {
    check(signup(identityFor(i, `load-${runId}`)), { 'signup 201 with userId': (r) => !!bodyWith(r, 201, 'userId') });
  } else if (slot < 6) {
    check(login(identityFor(user.index, poolSalt())), { 'login 200 with token': (r) => !!bodyWith(r, 200, 'token') });
  } else if (slot < 10) {
    check(updateProfile(token, identityFor(user.index, poolSalt())), {
      'profile 200 with profile': (r) => !!bodyWith(r, 200, 'userId', 'profile'),
    });
  } else if (slot < 16) {
    check(notifications(token), {
      'notifications 200 with a list': (r) => Array.isArray(bodyWith<{ notifications: unknown }>(r, 200, 'notifications')?.notifications),
    });
  } else if (slot < 18 || lastWorkflow.id === null) {
    const r = createWorkflow(token, 'load');
    lastWorkflow.id = bodyWith<{ workflowId: string }>(r, 201, 'workflowId')?.workflowId ?? null;
    check(r, { 'workflow created 201 with workflowId': () => lastWorkflow.id !== null });
  } else {
    check(executeWorkflow(token, lastWorkflow.id), {
      'workflow execute 202 with workflowId': (r) => !!bodyWith(r, 202, 'workflowId', 'status'),
    });
    lastWorkflow.id = null;
  }
}
