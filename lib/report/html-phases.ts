/** The report's phases table (the run's phases side by side) and the alarm for a target left changed. */
import type { Summary } from '../verdict/index.js';
import { escapeHtml as h } from './escape.js';
import { formatMs, formatNumber, formatRatio } from './format.js';

/** One column per phase, one row per measure: the legacy baseline beside the migrated run, the load beside the drill. */
export function phasesSection(s: Summary): string {
  const phases = s.phases ?? [];
  if (phases.length === 0) return '';
  const row = (label: string, cell: (p: (typeof phases)[number]) => string) =>
    `<tr><th scope="row">${h(label)}</th>${phases.map((p) => `<td class="num">${h(cell(p))}</td>`).join('')}</tr>`;
  return (
    '<h2>Phases</h2><p class="note">Requests of each phase\'s own scenario, set-up requests excluded.</p>' +
    '<div class="scroll"><table id="phases"><thead><tr><th></th>' +
    phases.map((p) => `<th class="num" data-phase="${h(p.name)}">${h(p.name)}</th>`).join('') +
    '</tr></thead><tbody>' +
    `<tr><th scope="row">Configuration</th>${phases.map((p) => `<td class="note">${h(p.configuration)}</td>`).join('')}</tr>` +
    row('Scenario', (p) => p.scenario) +
    row('Run id', (p) => p.runId) +
    row('Requests', (p) => formatNumber(p.requests, 0)) +
    row('Error rate', (p) => formatRatio(p.errorRate)) +
    row('p95', (p) => formatMs(p.p95)) +
    row('p99', (p) => formatMs(p.p99)) +
    '</tbody></table></div>'
  );
}

/** Red, at the top: the run could not put the target's flags back. */
export function restoreAlarm(s: Summary): string {
  const p = s.probes['target-restored'];
  if (!p?.veto) return '';
  return `<div class="warning danger" role="alert" id="not-restored"><strong>The target was NOT restored:</strong> ${h(p.veto)}. Set its flags back by hand.</div>`;
}
