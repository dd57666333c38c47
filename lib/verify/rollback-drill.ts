import { setTimeout as delay } from 'node:timers/promises';
import type { SecondBucket } from '../results/index.js';
import type { ProbeResult } from '../verdict/index.js';
import type { TappedEvent } from './event-tap.js';
import type { RestoreOutcome } from './rollback-action.js';

/** The events of the drill's run id on both paths, as it reads them (its EventTap). */
export interface TapView {
  readonly eventbridge: readonly TappedEvent[];
  readonly legacy: readonly TappedEvent[];
}

export interface DrillOptions {
  /** Steady background load before the action: this long after its first events are seen. */
  steadyMs: number;
  /** Longest wait for the background load's first events (its set-up signs users up first). */
  warmupTimeoutMs: number;
  /** The observation window after the action: the cutover must come within it and hold to its end (seed: 5 minutes). */
  observeMs: number;
  /** No EventBridge event for this long (with legacy traffic flowing) = cut over. */
  quietMs: number;
  /** After the restore: the longest wait for events on EventBridge again. */
  resumeTimeoutMs: number;
  /** Ends the waits early (Ctrl-C); the restore still runs. */
  signal?: AbortSignal;
}

/** The target's two actions, as the runner performs and records them. */
export interface DrillActions {
  rollback(): Promise<string>;
  restore(): Promise<RestoreOutcome>;
}

/** What the drill saw while it ran; turned into ProbeResults once the phase's k6 results are in. */
export interface DrillRecord {
  action?: string;
  actionAt?: number;
  actionError?: string;
  cutoverAt?: number;
  /** An EventBridge event after the cutover: the cutover did not hold. */
  relapse?: { at: number; type: string; eventId: string };
  observedUntil?: number;
  lastEventBridgeAt?: number;
  ebAfter: number;
  legacyAfter: number;
  restore?: RestoreOutcome;
  /** First EventBridge event after the restore: events flow on EventBridge again. */
  resumedAt?: number;
  timeline: Array<{ at: string; what: string }>;
}

const iso = (t: number) => new Date(t).toISOString();

async function until(check: () => boolean, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() >= deadline || signal?.aborted) return false;
    await delay(200);
  }
  return true;
}

/**
 * The seed's "Rollback tested successfully", as a phase of its own after the load measurement: under steady
 * background load (its own run id, watched through `view`), run the target's rollback action, watch both buses
 * for the whole observation window (the cutover must come and hold: no EventBridge event after it), then
 * restore the flags found at the start and wait for events on EventBridge again. The restore always runs once
 * the action has been tried, also when the run is interrupted.
 */
export async function runRollbackDrill(view: TapView, actions: DrillActions, opts: DrillOptions): Promise<DrillRecord> {
  const rec: DrillRecord = { ebAfter: 0, legacyAfter: 0, timeline: [] };
  const mark = (what: string, at = Date.now()) => rec.timeline.push({ at: iso(at), what });
  const flowing = await until(() => view.eventbridge.length + view.legacy.length > 0, opts.warmupTimeoutMs, opts.signal);
  if (!flowing) {
    mark(
      opts.signal?.aborted
        ? 'drill not started: run interrupted'
        : `drill not started: the background load produced no event within ${opts.warmupTimeoutMs / 1000} s`,
    );
    return rec;
  }
  mark('background load flowing');
  try {
    await delay(opts.steadyMs, undefined, { signal: opts.signal });
  } catch {
    mark('drill not started: run interrupted');
    return rec;
  }

  const t0 = Date.now();
  rec.actionAt = t0;
  mark('rollback action started', t0);
  let actionDoneAt = t0;
  try {
    rec.action = await actions.rollback();
    actionDoneAt = Date.now();
    mark(`rollback action done: ${rec.action}`);
  } catch (e) {
    rec.actionError = (e as Error).message;
    mark(`rollback action failed: ${rec.actionError}`);
  }

  if (!rec.actionError) {
    const deadline = t0 + opts.observeMs;
    while (!opts.signal?.aborted) {
      const now = Date.now();
      const ebAfter = view.eventbridge.filter((e) => e.occurredAt > t0);
      rec.ebAfter = ebAfter.length;
      rec.legacyAfter = view.legacy.filter((e) => e.occurredAt > t0).length;
      const lastEb = ebAfter.reduce((m, e) => Math.max(m, e.occurredAt), t0);
      rec.lastEventBridgeAt = ebAfter.length ? lastEb : undefined;
      if (rec.cutoverAt === undefined && now - lastEb >= opts.quietMs && rec.legacyAfter > 0) {
        // Cut over once the action has returned and the last EventBridge event is behind us.
        rec.cutoverAt = Math.max(lastEb, actionDoneAt);
        mark(`cut over: no EventBridge event since ${iso(lastEb)}, ${rec.legacyAfter} legacy events after the action`);
      }
      if (rec.cutoverAt !== undefined) {
        const late = ebAfter.find((e) => e.occurredAt > rec.cutoverAt!);
        if (late) {
          rec.relapse = { at: late.occurredAt, type: late.event.type, eventId: late.event.eventId };
          mark(`cutover did not hold: ${late.event.type} ${late.event.eventId} on EventBridge at ${iso(late.occurredAt)}`);
          break;
        }
      }
      if (now >= deadline) {
        if (rec.cutoverAt === undefined)
          mark(
            `no cutover within ${opts.observeMs / 1000} s: ${ebAfter.length} EventBridge events after the action, the last at ${iso(lastEb)}`,
          );
        else mark(`cutover held to the end of the ${opts.observeMs / 1000} s observation window`);
        break;
      }
      await delay(250);
    }
    rec.observedUntil = Date.now();
  }

  rec.restore = await actions.restore();
  const restoredAt = Date.now();
  mark(rec.restore.ok ? `flags restored: ${rec.restore.action}` : `flags NOT restored: ${rec.restore.error}`);
  if (rec.restore.ok) {
    const resumed = () => view.eventbridge.find((e) => e.occurredAt > restoredAt);
    if (await until(() => !!resumed(), opts.resumeTimeoutMs, opts.signal)) {
      rec.resumedAt = resumed()!.occurredAt;
      mark(`events flow on EventBridge again (${resumed()!.event.type} at ${iso(rec.resumedAt)})`);
    } else mark(`no EventBridge event within ${opts.resumeTimeoutMs / 1000} s after the restore`);
  }
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

/**
 * Measured value: seconds from the action to the cutover, from the drill phase's own k6 series. Vetoed when the
 * action failed, when the cutover did not hold, or when the drill's error rate exceeded `maxErrorRate`.
 */
export function drillResult(rec: DrillRecord | null, series: readonly SecondBucket[], maxErrorRate = 0.01): ProbeResult {
  if (!rec || rec.actionAt === undefined)
    return { value: null, note: 'the rollback drill did not run', details: { timeline: rec?.timeline ?? [] } };
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
  details.observedSeconds = (to - rec.actionAt) / 1000;
  const vetoes: string[] = [];
  if (errorRate !== null && errorRate > maxErrorRate)
    vetoes.push(`error rate during the drill was ${(errorRate * 100).toFixed(2)}% (> ${maxErrorRate * 100}%)`);
  if (rec.relapse && rec.cutoverAt !== undefined) {
    vetoes.push(
      `the cutover did not hold: ${rec.relapse.type} ${rec.relapse.eventId} on EventBridge ${((rec.relapse.at - rec.cutoverAt) / 1000).toFixed(1)} s after it`,
    );
    details.relapse = rec.relapse;
  }
  const veto = vetoes.length ? { veto: vetoes.join('; ') } : {};
  if (rec.cutoverAt === undefined) {
    return {
      value: null,
      note: `no cutover observed: EventBridge events kept flowing for ${((to - rec.actionAt) / 1000).toFixed(0)} s after the rollback action`,
      ...veto,
      details,
    };
  }
  return { value: (rec.cutoverAt - rec.actionAt) / 1000, ...veto, details };
}

/**
 * The harness's own guard "leave no trace": 1 when the flags were put back as found and events flow on EventBridge
 * again, 0 (vetoed, naming why) otherwise.
 */
export function restoreResult(rec: DrillRecord | null): ProbeResult | null {
  if (!rec?.restore) return null;
  const r = rec.restore;
  const details = {
    action: r.action,
    restoredAt: iso(r.at),
    ...(r.differences ? { differences: r.differences } : {}),
    ...(rec.resumedAt ? { eventBridgeAgainAt: iso(rec.resumedAt) } : {}),
  };
  if (!r.ok) return { value: 0, veto: `the target was NOT restored: ${r.error}`, details };
  if (rec.resumedAt === undefined)
    return { value: 0, veto: `flags restored by "${r.action}", but no event flowed on EventBridge afterwards`, details };
  return { value: 1, details };
}
