// `npm run watch`: the steady synthetic load the harness drives while a stage rolls out, at a low
// configurable rate. Every request goes through the UserService (login, profile update, signup), and
// signups and profile updates each owe their user a notification, so the watcher sees both the
// error rate and deliveries. Tagged `qsl_watch` and sent under a `watch-…` run id, so the platform's
// own dashboards can tell it from real traffic.
import { check } from 'k6';
import exec from 'k6/execution';
import { QSL_ENV } from '../../lib/contract/index.ts';
import { numberFromEnv, runId } from '../../lib/k6/env.ts';
import { scenarioOptions } from '../../lib/k6/options.ts';
import { identityFor } from '../../lib/k6/test-data.ts';
import { login, signup, signupAndLoginAll, updateProfile } from '../../lib/k6/platform-api.ts';

const rate = numberFromEnv(QSL_ENV.watchRate, 5);
const durationSeconds = numberFromEnv(QSL_ENV.watchDurationSeconds, 7200);
const poolSize = numberFromEnv(QSL_ENV.watchUsers, 10);
// Enough VUs for the rate even if every request took 2 s.
const vus = Math.max(4, Math.ceil(rate * 2));

export const options = scenarioOptions(
  'watch',
  () => ({ executor: 'constant-arrival-rate', rate, timeUnit: '1s', duration: `${durationSeconds}s`, preAllocatedVUs: vus, maxVUs: vus }),
  () => ({}),
  { setupTimeout: '60s', tags: { qsl_watch: 'true' } },
);

interface Pool {
  users: Array<{ index: number; token: string }>;
}

export function setup(): Pool {
  const ids = Array.from({ length: poolSize }, (_, i) => identityFor(i, `watch-pool-${runId}`));
  const tokens = signupAndLoginAll(ids);
  return { users: tokens.flatMap((token, index) => (token ? [{ index, token }] : [])) };
}

export default function watch(pool: Pool): void {
  const i = exec.scenario.iterationInTest;
  const slot = i % 10;
  if (slot === 0 || pool.users.length === 0) {
    check(signup(identityFor(i, `watch-${runId}`)), { 'signup 201': (r) => r.status === 201 });
    return;
  }
  const user = pool.users[i % pool.users.length];
  const id = identityFor(user.index, `watch-pool-${runId}`);
  if (slot < 4) check(updateProfile(user.token, id), { 'profile 200': (r) => r.status === 200 });
  else check(login(id), { 'login 200': (r) => r.status === 200 });
}
