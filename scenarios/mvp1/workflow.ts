// MVP 1, scenario 2 (seed): "Workflow Test: Create → Execute → Complete workflow".
// Completion happens through events (OrchestrationService on EventBridge), so the scenario polls.
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import { Counter, Rate, Trend } from 'k6/metrics';
import { instanceSuffix, profile, runId, thresholdsFromEnv } from '../../lib/k6/env.ts';
import { scenarioOptions, sharedIterations } from '../../lib/k6/options.ts';
import { identityFor } from '../../lib/k6/test-data.ts';
import { bodyWith, createWorkflow, executeWorkflow, getWorkflow, jsonBody, signupAndLogin } from '../../lib/k6/platform-api.ts';
import { pollUntil } from '../../lib/k6/poll.ts';

const completionTime = new Trend('workflow_completion_time', true);
const workflowsCompleted = new Counter('workflows_completed');
const workflowsStuck = new Counter('workflows_stuck');
/** One sample per executed workflow: 1 when seen completed in time (criterion workflow-completion). */
const workflowCompleted = new Rate('workflow_completed');

// A functional scenario, paced by user think time; the load scenario is the one that applies pressure.
const sizes = {
  smoke: { vus: 5, iterations: 25, maxDuration: '60s', thinkSeconds: 0.2, completeTimeoutMs: 5_000 },
  full: { vus: 10, iterations: 300, maxDuration: '10m', thinkSeconds: 0.5, completeTimeoutMs: 10_000 },
}[profile];

export const options = scenarioOptions('workflow', () => sharedIterations(sizes), thresholdsFromEnv);

export function setup(): { token: string | null } {
  return { token: signupAndLogin(identityFor(0, `workflow-owner-${runId}${instanceSuffix()}`)) };
}

export default function workflow(data: { token: string | null }): void {
  const token = data.token;
  if (!check(token, { 'workflow owner logged in': (t) => !!t }) || !token) return;

  const c = createWorkflow(token, `onboarding-${exec.scenario.iterationInTest % 3}`);
  const wf = bodyWith<{ workflowId: string }>(c, 201, 'workflowId');
  if (!check(c, { 'workflow created 201 with workflowId': () => wf !== null }) || !wf) return;

  sleep(sizes.thinkSeconds);
  const started = Date.now();
  const e = executeWorkflow(token, wf.workflowId);
  if (!check(e, { 'workflow execute 202 with workflowId': (r) => !!bodyWith(r, 202, 'workflowId', 'status') })) return;

  // Every request may answer 200 while the workflow never finishes: only seeing it completed counts.
  const waited = pollUntil(
    () => jsonBody<{ status: string }>(getWorkflow(token, wf.workflowId))?.status === 'completed',
    sizes.completeTimeoutMs,
    250,
  );
  const completed = check(waited, { 'workflow completed': (w) => w !== null });
  workflowCompleted.add(completed ? 1 : 0);
  if (completed) {
    completionTime.add(Date.now() - started);
    workflowsCompleted.add(1);
  } else {
    workflowsStuck.add(1);
  }
}
