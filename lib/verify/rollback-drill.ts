import { setTimeout as delay } from 'node:timers/promises';
import type { Target } from '../config/index.js';
import type { SecondBucket } from '../results/index.js';
import type { ProbeResult } from '../verdict/index.js';
import type { EventTap } from './event-tap.js';
import { performRollback } from './rollback-action.js';

export interface DrillOptions {
  /** How long after the load starts the action runs (steady load by then). */
  startAfterMs: number;
  /** How long to watch for the cutover; the seed allows 5 minutes, smoke watches less. */
  observeMs: number;
  /** No EventBridge event for this long (with legacy traffic flowing) = cut over. */
  quietMs: number;
  signal?: AbortSignal;
}

/** What the drill saw while it ran; turned into a ProbeResult once the k6 results are in. */
export interface DrillRecord {
  action?: string;
  actionAt?: number;
  actionError?: string;
  cutoverAt?: number;
  observedUntil?: number;
  lastEventBridgeAt?: number;
  ebAfter: number;
  legacyAfter: number;
  timeline: Array<{ at: string; what: string }>;
}

/**
 * The seed's "Rollback tested successfully": during steady load, run the target's rollback action,
 * then watch both buses until new events flow only on the legacy bus.
 */
export async function runRollbackDrill(target: Target, tap: EventTap, opts: DrillOptions): Promise<DrillRecord> {
  const rec: DrillRecord = { ebAfter: 0, legacyAfter: 0, timeline: [] };
  const mark = (what: string, at = Date.now()) => rec.timeline.push({ at: new Date(at).toISOString(), what });
  try {
    await delay(opts.startAfterMs, undefined, { signal: opts.signal });
  } catch {
    mark('drill not started: run interrupted');
    return rec;
  }
  const t0 = Date.now();
  rec.actionAt = t0;
  mark('rollback action started', t0);
  let actionDoneAt = t0;
  try {
    rec.action = await performRollback(target);
    actionDoneAt = Date.now();
    mark(`rollback action done: ${rec.action}`);
  } catch (e) {
    rec.actionError = (e as Error).message;
    mark(`rollback action failed: ${rec.actionError}`);
    return rec;
  }
  const deadline = t0 + opts.observeMs;
  while (!opts.signal?.aborted) {
    const now = Date.now();
    const ebAfter = tap.eventbridge.filter((e) => e.occurredAt > t0);
    const legacyAfter = tap.legacy.filter((e) => e.occurredAt > t0);
    rec.ebAfter = ebAfter.length;
    rec.legacyAfter = legacyAfter.length;
    const lastEb = ebAfter.reduce((m, e) => Math.max(m, e.occurredAt), t0);
    rec.lastEventBridgeAt = ebAfter.length ? lastEb : undefined;
    if (now - lastEb >= opts.quietMs && legacyAfter.length > 0) {
      // Cut over once the action has returned and the last EventBridge event is behind us.
      rec.cutoverAt = Math.max(lastEb, actionDoneAt);
      mark(`cut over: no EventBridge event since ${new Date(lastEb).toISOString()}, ${legacyAfter.length} legacy events after the action`);
      break;
    }
    if (now >= deadline) {
      mark(`no cutover within ${opts.observeMs / 1000} s: ${ebAfter.length} EventBridge events after the action, the last at ${new Date(lastEb).toISOString()}`);
      break;
    }
    await delay(250);
  }
  rec.observedUntil = Date.now();
  return rec;
}

/** Error rate of the 1-second buckets within [from, to]. */
function errorRateBetween(series: readonly SecondBucket[], from: number, to: number): { requests: number; failed: number } {
  let requests = 0;
  let failed = 0;
  for (const b of series) {
    if (b.t + 1000 <= from || b.t > to) continue;
    requests += b.requests;
    failed += b.failed;
  }
  return { requests, failed };
}

/** Measured value: seconds from the action to the cutover. Vetoed when the drill's error rate exceeded `maxErrorRate`. */
export function drillResult(rec: DrillRecord | null, series: readonly SecondBucket[], maxErrorRate = 0.01): ProbeResult {
  if (!rec || rec.actionAt === undefined) return { value: null, note: 'the rollback drill did not run', details: { timeline: rec?.timeline ?? [] } };
  const details: Record<string, unknown> = {
    action: rec.action ?? null,
    eventBridgeEventsAfterAction: rec.ebAfter,
    legacyEventsAfterAction: rec.legacyAfter,
    timeline: rec.timeline,
  };
  if (rec.actionError) return { value: null, veto: `rollback action failed: ${rec.actionError}`, details };
  const to = rec.observedUntil ?? rec.actionAt;
  const { requests, failed } = errorRateBetween(series, rec.actionAt, to);
  const errorRate = requests ? failed / requests : null;
  details.requestsDuringDrill = requests;
  details.errorRateDuringDrill = errorRate;
  const veto = errorRate !== null && errorRate > maxErrorRate ? `error rate during the drill was ${(errorRate * 100).toFixed(2)}% (> ${maxErrorRate * 100}%)` : undefined;
  if (rec.cutoverAt === undefined) {
    return {
      value: null,
      note: `no cutover observed: EventBridge events kept flowing for ${((to - rec.actionAt) / 1000).toFixed(0)} s after the rollback action`,
      ...(veto ? { veto } : {}),
      details,
    };
  }
  return { value: (rec.cutoverAt - rec.actionAt) / 1000, ...(veto ? { veto } : {}), details };
}
