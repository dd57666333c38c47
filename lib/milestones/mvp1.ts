import { join } from 'node:path';
import { QSL_ENV, type K6Env } from '../contract/index.js';
import { mvp1Criteria } from '../../thresholds/mvp1.js';
import type { RunResults } from '../results/index.js';
import { writeIdentities } from '../fixtures/index.js';
import { NOTIFICATIONS_PROBE, type ProbeResult } from '../verdict/index.js';
import {
  acquireFlagLease,
  drillResult,
  EventTap,
  notificationsDelivered,
  readOwedNotifications,
  orProbeFailure,
  performRollback,
  restoreFlags,
  restoreResult,
  runRollbackDrill,
  shadowDivergence,
  type DrillRecord,
} from '../verify/index.js';
import { alarm } from '../report/index.js';
import { phaseStats } from './phases.js';
import type { K6DataContext, MilestoneContext, MilestoneDefinition, MilestoneSession, PhaseRun } from './types.js';

const timing = {
  smoke: {
    identities: 1000,
    // The drill's background load: 20 users, 10 requests/s; stopped once the drill is done.
    drillLoad: { users: 20, perMinute: 600, maxSeconds: 120 },
    drill: { steadyMs: 1_000, warmupTimeoutMs: 30_000, observeMs: 8_000, quietMs: 4_000, resumeTimeoutMs: 15_000 },
    drillPlannedMs: 13_000,
    settle: { timeoutMs: 20_000, stallMs: 5_000 },
  },
  full: {
    identities: 5000,
    // The seed's load (100 users, 1000 requests/minute) through the seed's 5-minute rollback window.
    drillLoad: { users: 100, perMinute: 1000, maxSeconds: 600 },
    drill: { steadyMs: 30_000, warmupTimeoutMs: 120_000, observeMs: 300_000, quietMs: 10_000, resumeTimeoutMs: 60_000 },
    drillPlannedMs: 345_000,
    settle: { timeoutMs: 120_000, stallMs: 15_000 },
  },
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
  // The drill's background load runs under its own run id: its requests, users and events stay out of the load measurement.
  const drillRunId = `${ctx.runId}-drill`;
  let drill: DrillRecord | null = null;
  let drillRun: PhaseRun | null = null;

  return {
    k6Env,
    async after() {
      // One run at a time changes the target's flags (lib/verify/flag-lease.ts): held from before the background load
      // (its duration is fixed) to the end of the restore.
      const release = await acquireFlagLease({
        admin: ctx.target.admin,
        holder: `run ${ctx.runId} (rollback drill)`,
        log: ctx.log,
        signal: ctx.signal,
      });
      try {
        // The drill's own tap: run-scoped, like the run's (its own rule and queue for the drill's run id).
        const drillTap = new EventTap({ runId: drillRunId, sqs: ctx.sqs, target: ctx.target, log: ctx.log });
        await drillTap.start();
        // Ended by the harness once the drill is done (completed); Ctrl-C interrupts it.
        const stopLoad = new AbortController();
        ctx.log(
          `  rollback drill: background load, then the rollback action; the cutover must hold ${t.drill.observeMs / 1000} s, then the flags are restored`,
        );
        const load = ctx.runPhase({
          phase: 'rollback-drill',
          scenario: 'load',
          env: {
            [QSL_ENV.runId]: drillRunId,
            [QSL_ENV.loadUsers]: String(t.drillLoad.users),
            [QSL_ENV.loadRatePerMinute]: String(t.drillLoad.perMinute),
            [QSL_ENV.loadDuration]: `${t.drillLoad.maxSeconds}s`,
            // Judged by the harness on the drill's window, not by k6 thresholds.
            [QSL_ENV.thresholds]: '{}',
          },
          plannedMs: t.drillPlannedMs,
          signal: ctx.signal,
          stop: stopLoad.signal,
        });
        try {
          drill = await runRollbackDrill(
            drillTap,
            { rollback: () => performRollback(ctx.target), restore: () => restoreFlags(ctx.target, ctx.flagsFound) },
            { ...t.drill, signal: ctx.signal },
          );
        } finally {
          stopLoad.abort();
          drillRun = await load;
          await drillTap.stop();
        }
        if (drill.restore && !drill.restore.ok) ctx.log(alarm(`  THE TARGET WAS NOT RESTORED: ${drill.restore.error}`));
      } finally {
        await release();
      }
    },
    async probes(results: RunResults | null, { interrupted }) {
      const probes: Record<string, ProbeResult> = {};
      const settle = interrupted ? { timeoutMs: 0, stallMs: 0 } : t.settle;
      const [notifications, divergence] = await Promise.all([
        orProbeFailure(
          readOwedNotifications(ctx.dir.rawFiles()).then((owed) => notificationsDelivered(ctx.target.admin, ctx.runId, owed, settle)),
        ),
        shadowDivergence(tap, settle),
      ]);
      probes[NOTIFICATIONS_PROBE] = notifications;
      probes['shadow-divergence'] = divergence;
      probes['rollback-drill'] = drillResult(drill, drillRun?.results?.timeSeries({ scenario: 'load' }) ?? []);
      const restored = restoreResult(drill);
      if (restored) probes['target-restored'] = restored;
      const tapErrors = tap.errorProbe();
      if (tapErrors) probes['event-tap'] = tapErrors;
      return probes;
    },
    phases: (results) => [
      phaseStats({ name: 'load', configuration: 'migrated: the flags as found', scenario: 'load', runId: ctx.runId }, results),
      ...(drillRun
        ? [
            phaseStats(
              {
                name: 'rollback-drill',
                configuration: 'background load through the rollback and the restore',
                scenario: 'load',
                runId: drillRunId,
              },
              drillRun.results,
            ),
          ]
        : []),
    ],
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
    'rollback-drill': 'the rollback drill (its own background load, after the measured scenarios)',
  },
  open,
};
