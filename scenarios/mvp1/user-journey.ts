// MVP 1, scenario 1 (seed): "User Journey: Signup → Login → Profile Update → Notification".
// Records time from the profile update to its notification being readable by the user.
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import { Counter, Trend } from 'k6/metrics';
import { profile, runId, thresholdsFromEnv } from '../../lib/k6/env.ts';
import { scenarioOptions, sharedIterations } from '../../lib/k6/options.ts';
import { identityFor } from '../../lib/k6/test-data.ts';
import { bodyWith, jsonBody, login, notifications, signup, updateProfile } from '../../lib/k6/platform-api.ts';
import { pollUntil } from '../../lib/k6/poll.ts';

const timeToNotification = new Trend('time_to_notification', true);
const journeysCompleted = new Counter('journeys_completed');
const notificationsMissing = new Counter('notifications_missing');

// A functional journey, paced by user think time; the load scenario is the one that applies pressure.
const sizes = {
  smoke: { vus: 5, iterations: 25, maxDuration: '60s', thinkSeconds: 0.2 },
  full: { vus: 10, iterations: 300, maxDuration: '10m', thinkSeconds: 0.5 },
}[profile];

export const options = scenarioOptions('user-journey', () => sharedIterations(sizes), thresholdsFromEnv);

interface NotificationList {
  notifications: Array<{ type: string; eventId: string }>;
}

export default function userJourney(): void {
  const id = identityFor(exec.scenario.iterationInTest, `journey-${runId}`);

  const s = signup(id);
  if (!check(s, { 'signup 201 with userId': (r) => !!bodyWith(r, 201, 'userId') })) return;
  sleep(sizes.thinkSeconds);

  const l = login(id);
  const token = bodyWith<{ token: string }>(l, 200, 'token')?.token;
  if (!check(l, { 'login 200 with token': (r) => r.status === 200 && !!token }) || !token) return;
  sleep(sizes.thinkSeconds);

  const p = updateProfile(token, id);
  if (!check(p, { 'profile update 200 with profile': (r) => !!bodyWith(r, 200, 'userId', 'profile') })) return;
  const updatedAt = Date.now();

  // Both the signup and the profile update must reach the user as notifications.
  const waited = pollUntil(
    () => {
      const n = jsonBody<NotificationList>(notifications(token));
      const types = new Set((n?.notifications ?? []).map((x) => x.type));
      return types.has('UserSignedUp') && types.has('UserProfileUpdated');
    },
    10_000,
    250,
  );

  if (check(waited, { 'notification delivered': (w) => w !== null })) {
    timeToNotification.add(Date.now() - updatedAt);
    journeysCompleted.add(1);
  } else {
    notificationsMissing.add(1);
  }
}
