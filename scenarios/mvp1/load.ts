// MVP 1, scenario 3 (seed): "Load Test: 100 concurrent users, 1000 requests/minute".
// An arrival-rate executor keeps the request rate fixed whatever the latency; each iteration is one
// request from a mix that mirrors the journey. It measures the migrated configuration only: the harness runs the
// rollback drill afterwards, as a phase of its own with this script as its background load (its own run id, users,
// rate and duration through QSL_RUN_ID, QSL_LOAD_USERS, QSL_LOAD_RATE_PER_MINUTE, QSL_LOAD_DURATION).
import { check } from 'k6';
import exec from 'k6/execution';
import { QSL_ENV } from '../../lib/contract/index.ts';
import { instanceSuffix, numberFromEnv, profile, runId, thresholdsFromEnv } from '../../lib/k6/env.ts';
import { scenarioOptions } from '../../lib/k6/options.ts';
import { identityFor } from '../../lib/k6/test-data.ts';
import { bodyWith, createWorkflow, executeWorkflow, login, notifications, signup, updateProfile } from '../../lib/k6/platform-api.ts';

export const options = scenarioOptions(
  'load',
  () => {
    const users = numberFromEnv(QSL_ENV.loadUsers, 100);
    return {
      executor: 'constant-arrival-rate',
      rate: numberFromEnv(QSL_ENV.loadRatePerMinute, 1000),
      timeUnit: '1m',
      duration: __ENV[QSL_ENV.loadDuration] || (profile === 'full' ? '10m' : '30s'),
      preAllocatedVUs: users,
      maxVUs: users,
    };
  },
  thresholdsFromEnv,
);

/**
 * Each VU is one of the "100 concurrent users": it signs its own user up on its first iteration and logs it in on its
 * second (both requests of the mix anyway), then runs the mix as that user. No set-up pool: k6 hands every VU its
 * own copy of set-up data, and a set-up that signs up every user makes garbage the run's peak memory is measured
 * on (`npm run bench -- vus`).
 */
const me: { signedUp: boolean; token: string | null } = { signedUp: false, token: null };
const lastWorkflow: { id: string | null } = { id: null };

/** This VU's user: unique per VU, run and process of a split run. */
const myIdentity = () => identityFor(__VU - 1, `load-user-${runId}${instanceSuffix()}`);

export default function load(): void {
  const i = exec.scenario.iterationInTest;
  const slot = i % 20;

  // Each check reads the body too: a 2xx without what the client needs is a failure.
  if (!me.signedUp) {
    const r = signup(myIdentity());
    // 409: a signup the platform took although its answer was lost (a timeout): the user exists.
    me.signedUp = r.status === 201 || r.status === 409;
    check(r, { 'signup 201 with userId': () => !!bodyWith(r, 201, 'userId') });
    return;
  }
  if (me.token === null) {
    const r = login(myIdentity());
    me.token = bodyWith<{ token: string }>(r, 200, 'token')?.token ?? null;
    check(r, { 'login 200 with token': () => me.token !== null });
    return;
  }
  const token = me.token;
  if (slot < 2) {
    check(signup(identityFor(i, `load-${runId}`)), { 'signup 201 with userId': (r) => !!bodyWith(r, 201, 'userId') });
  } else if (slot < 6) {
    check(login(myIdentity()), { 'login 200 with token': (r) => !!bodyWith(r, 200, 'token') });
  } else if (slot < 10) {
    check(updateProfile(token, myIdentity()), {
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
