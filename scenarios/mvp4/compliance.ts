// MVP 4, scenario 3 (seed): "Compliance Flow: KYC → AML → Risk Assessment".
// Subjects cycle through one that must pass and ones that must be rejected at each step (malformed document,
// under-age, sanctions match, high risk); each decision and the step that rejected it is a check. While
// ComplianceService is "parallel", the harness also compares the EventBridge path's decisions (dual validation).
import exec from 'k6/execution';
import { profile, runId, thresholdsFromEnv } from '../../lib/k6/env.ts';
import { scenarioOptions, sharedIterations } from '../../lib/k6/options.ts';
import { complianceCheck, newUser, SUBJECTS } from '../../lib/k6/platform4-api.ts';

const sizes = { smoke: { vus: 2, iterations: 24, maxDuration: '60s' }, full: { vus: 10, iterations: 3000, maxDuration: '20m' } }[profile];

export const options = scenarioOptions('compliance', () => sharedIterations(sizes), thresholdsFromEnv, { setupTimeout: '60s' });

export function setup(): { token: string | null } {
  return { token: newUser(`compliance+${runId}@example.test`, 'Compliance Officer', `pw-${runId}`) };
}

export default function compliance(data: { token: string | null }): void {
  if (!data.token) return;
  const c = SUBJECTS[exec.scenario.iterationInTest % SUBJECTS.length];
  complianceCheck(data.token, c.subject, c.amount, { decision: c.decision, ...(c.failedStep ? { failedStep: c.failedStep } : {}) });
}
