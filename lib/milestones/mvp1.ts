import { join } from 'node:path';
import { QSL_ENV, type K6Env } from '../contract/index.js';
import { mvp1Criteria } from '../../thresholds/mvp1.js';
import { SCENARIO_SAMPLES, type RunResults } from '../results/index.js';
import { writeIdentities } from '../fixtures/index.js';
import type { ProbeResult } from '../verdict/index.js';
import {
  drillResult,
  EventTap,
  notificationsDelivered,
  readOwedNotifications,
  orProbeFailure,
  runRollbackDrill,
  shadowDivergence,
  type DrillRecord,
} from '../verify/index.js';
import type { K6DataContext, MilestoneContext, MilestoneDefinition, MilestoneSession } from './types.js';

const timing = {
  smoke: { identities: 1000, drill: { startAfterMs: 9_000, observeMs: 12_000, quietMs: 4_000 }, settle: { timeoutMs: 20_000, stallMs: 5_000 } },
  full: { identities: 5000, drill: { startAfterMs: 240_000, observeMs: 300_000, quietMs: 10_000 }, settle: { timeoutMs: 120_000, stallMs: 15_000 } },
};

async function k6Data(ctx: K6DataContext): Promise<K6Env> {
  const identities = join(ctx.dir.data, 'identities.json');
  writeIdentities(identities, timing[ctx.profile].identities, ctx.seed);
  return { [QSL_ENV.identities]: identities };
}

async function open(ctx: MilestoneContext): Promise<MilestoneSession> {
  const t = timing[ctx.profile];
  const k6Env = await k6Data(ctx);
  const tap = new EventTap({ runId: ctx.runId, sqs: ctx.sqs, target: ctx.target, log: ctx.log });
  await tap.start();
  let drill: Promise<DrillRecord> | null = null;

  return {
    k6Env,
    during(scenario, signal) {
      if (scenario !== 'load') return null;
      ctx.log(`  rollback drill: action in ${t.drill.startAfterMs / 1000} s, watching up to ${t.drill.observeMs / 1000} s for the cutover`);
      drill = runRollbackDrill(ctx.target, tap, { ...t.drill, signal });
      return drill.then(() => undefined);
    },
    async probes(results: RunResults | null, { interrupted }) {
      const probes: Record<string, ProbeResult> = {};
      const settle = interrupted ? { timeoutMs: 0, stallMs: 0 } : t.settle;
      const [notifications, divergence] = await Promise.all([
        orProbeFailure(readOwedNotifications(ctx.dir.rawFiles()).then((owed) => notificationsDelivered(ctx.target.admin, ctx.runId, owed, settle))),
        shadowDivergence(tap, settle),
      ]);
      probes['notifications-delivered'] = notifications;
      probes['shadow-divergence'] = divergence;
      probes['rollback-drill'] = drillResult(drill ? await drill : null, results?.timeSeries(SCENARIO_SAMPLES) ?? []);
      const tapErrors = tap.errorProbe();
      if (tapErrors) probes['event-tap'] = tapErrors;
      return probes;
    },
    undecided: () => tap.lostReason(),
    close: () => tap.stop(),
  };
}

export const mvp1: MilestoneDefinition = {
  id: 'mvp1',
  title: 'MVP 1: Basic Operations',
  criteria: mvp1Criteria,
  flagsFile: 'flags/mvp1.json',
  scenarios: [
    { name: 'user-journey', plannedMs: { smoke: 10_000, full: 60_000 } },
    { name: 'workflow', plannedMs: { smoke: 8_000, full: 40_000 } },
    { name: 'load', plannedMs: { smoke: 32_000, full: 602_000 } },
  ],
  services: ['gateway', 'user', 'notification', 'orchestration'],
  intent: { load: true, forcedFailures: false, rollbackDrill: true },
  k6Data,
  liveEvidence: {
    'shadow-divergence': 'the event tap on the audit queue while the scenarios ran',
    'rollback-drill': 'the rollback drill during the load scenario',
  },
  open,
};
