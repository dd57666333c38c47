import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeTrigger } from '../../thresholds/rollback-triggers.js';
import { escapeHtml } from '../report/index.js';
import { formatTriggerValue } from './display.js';
import type { WatchResult } from './watcher.js';

/** watch.json: what a watch decided and why, with its timeline. */
export interface WatchReport {
  schemaVersion: 1;
  kind: 'watch';
  runId: string;
  stage: string;
  target: { name: string; environment: string; sandbox: boolean };
  windowScale: number;
  ratePerSecond: number;
  faults: string[];
  outcome: WatchResult['outcome'];
  exitCode: WatchResult['exitCode'];
  reason: string;
  startedAt: string;
  finishedAt: string;
  requests: WatchResult['requests'];
  deliveries: WatchResult['deliveries'];
  triggers: Array<{
    id: string;
    trigger: string;
    seed: string;
    windowSeconds: number;
    value: number | null;
    display: string;
    worst: number | null;
    observedSeconds: number;
    full: boolean;
    fired: boolean;
    firedAt: string | null;
    action: string;
  }>;
  rollback: WatchResult['rollback'];
  timeline: WatchResult['timeline'];
}

export function watchReport(
  r: WatchResult,
  meta: Pick<WatchReport, 'runId' | 'stage' | 'target' | 'windowScale' | 'ratePerSecond' | 'faults'>,
): WatchReport {
  return {
    schemaVersion: 1,
    kind: 'watch',
    ...meta,
    outcome: r.outcome,
    exitCode: r.exitCode,
    reason: r.reason,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    requests: r.requests,
    deliveries: r.deliveries,
    triggers: r.states.map((s) => ({
      id: s.id,
      trigger: describeTrigger(s.trigger),
      seed: s.trigger.seed,
      windowSeconds: s.windowSeconds,
      value: s.value,
      display: formatTriggerValue(s),
      worst: s.worst,
      observedSeconds: s.observedSeconds,
      full: s.full,
      fired: s.firedAt !== null,
      firedAt: s.firedAt === null ? null : new Date(s.firedAt).toISOString(),
      action: s.trigger.actionLabel,
    })),
    rollback: r.rollback,
    timeline: r.timeline,
  };
}

/** A self-contained HTML page for the Go/No-Go review; every value is escaped. */
export function renderWatchHtml(w: WatchReport): string {
  const e = escapeHtml;
  const colour = w.outcome === 'clean' ? '#1a7f37' : w.outcome === 'fired' ? '#cf222e' : '#9a6700';
  const rows = w.triggers
    .map(
      (t) =>
        `<tr class="${t.fired ? 'fired' : ''}"><td>${e(t.trigger)}</td><td>${e(t.display)}</td><td>${t.windowSeconds ? `${e(t.windowSeconds)} s${t.full ? '' : ` (saw ${e(t.observedSeconds)} s)`}` : 'instant'}</td><td>${t.fired ? `FIRED ${e(t.firedAt)}` : 'no'}</td><td>${e(t.action)}</td></tr>`,
    )
    .join('\n');
  const timeline = w.timeline
    .map(
      (x) =>
        `<tr><td>${e(x.at)}</td><td>${e(x.event)}</td><td>${e(x.trigger ?? '')}</td><td>${x.value === undefined || x.value === null ? '' : e(+x.value.toFixed(6))}${x.threshold === undefined ? '' : ` / ${e(x.threshold)}`}${x.windowSeconds ? ` (${e(x.windowSeconds)} s)` : ''}</td><td>${e(x.action ?? '')}${x.outcome ? ` ${e(x.outcome)}` : ''}</td><td>${e(x.detail ?? '')}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Watch: stage ${e(w.stage)} on ${e(w.target.name)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#1f2328}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}tr.fired{background:#ffebe9}.outcome{font-size:1.4em;font-weight:600;color:${colour}}</style></head>
<body>
<h1>Rollout watch: stage ${e(w.stage)} on ${e(w.target.name)} (${e(w.target.environment)})</h1>
<p class="outcome">${e(w.outcome.toUpperCase())} (exit ${e(w.exitCode)}): ${e(w.reason)}</p>
<p>Run ${e(w.runId)}, ${e(w.startedAt)} to ${e(w.finishedAt)}; ${e(w.requests.total)} requests (${e(w.requests.failed)} failed) at ${e(w.ratePerSecond)}/s; window scale ${e(w.windowScale)}${w.faults.length ? `; faults ${e(w.faults.join(', '))}` : ''}.</p>
<h2>The seed's rollback triggers</h2>
<table><tr><th>Trigger</th><th>Last window value</th><th>Window</th><th>Fired</th><th>Action</th></tr>
${rows}</table>
${w.rollback ? `<h2>Rollback</h2><p>${e(w.rollback.outcome)}: ${e(w.rollback.action ?? w.rollback.detail ?? '')}${w.rollback.stillOnEventBridge ? `; still EventBridge-only afterwards: ${e(w.rollback.stillOnEventBridge.join(', ') || 'none')}` : ''}</p>` : ''}
<h2>Timeline</h2>
<table><tr><th>At</th><th>Event</th><th>Trigger</th><th>Value / threshold</th><th>Action</th><th>Detail</th></tr>
${timeline}</table>
</body></html>
`;
}

/** Writes watch.json and report.html (atomically: a crash never leaves half a file). */
export function writeWatchReports(dir: string, w: WatchReport): { json: string; html: string } {
  const json = join(dir, 'watch.json');
  const html = join(dir, 'report.html');
  writeFileSync(`${json}.tmp`, `${JSON.stringify(w, null, 2)}\n`);
  renameSync(`${json}.tmp`, json);
  writeFileSync(`${html}.tmp`, renderWatchHtml(w));
  renameSync(`${html}.tmp`, html);
  return { json, html };
}
