// MVP 4, scenario 4 (seed): "Real-time Updates: SSE stream stability test".
// k6 drives the event-producing traffic at a steady rate for the soak's duration: each iteration takes one soak user
// (signed up by the harness, which holds that user's SSE stream with the `eventsource` package) and updates the
// profile (-> NotificationDelivered) and runs a compliance check (-> ComplianceDecided), two events on the user's
// stream. The harness checks every one arrives exactly once (criterion sse-stability).
import { SharedArray } from 'k6/data';
import exec from 'k6/execution';
import { QSL_ENV, type SoakUsersFile } from '../../lib/contract/index.ts';
import { numberFromEnv, thresholdsFromEnv } from '../../lib/k6/env.ts';
import { scenarioOptions } from '../../lib/k6/options.ts';
import { complianceCheck, SUBJECTS, updateProfile } from '../../lib/k6/platform4-api.ts';

const users = new SharedArray<SoakUsersFile['users'][number]>('soak-users', () => {
  const path = __ENV[QSL_ENV.soakUsers];
  return path ? (JSON.parse(open(path)) as SoakUsersFile).users : [];
});
const seconds = numberFromEnv(QSL_ENV.soakSeconds, 60);
const rate = numberFromEnv(QSL_ENV.soakRate, 5);

export const options = scenarioOptions(
  'sse-soak',
  () => ({
    executor: 'constant-arrival-rate',
    rate,
    timeUnit: '1s',
    duration: `${seconds}s`,
    preAllocatedVUs: Math.max(2, Math.ceil(rate / 2)),
    maxVUs: Math.max(10, rate * 2),
  }),
  thresholdsFromEnv,
);

// A soak runs for hours: when the platform stops answering at all (the harness and its sandbox were killed, or the
// environment is gone), k6 ends itself rather than knock on a closed port until its duration is up.
const UNREACHABLE_LIMIT = 30;
let unreachable = 0;

export default function sseSoak(): void {
  if (users.length === 0) return;
  const i = exec.scenario.iterationInTest;
  const u = users[i % users.length];
  const status = updateProfile(u.token, `soak-${i}`);
  unreachable = status === 0 ? unreachable + 1 : 0;
  if (unreachable >= UNREACHABLE_LIMIT) exec.test.abort(`the platform did not answer ${UNREACHABLE_LIMIT} requests in a row`);
  const s = SUBJECTS[i % 2];
  complianceCheck(u.token, s.subject, s.amount + i, { decision: 'approved' });
}
