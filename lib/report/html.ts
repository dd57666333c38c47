/**
 * report.html: one self-contained file (CSS, JS, uPlot and chart data inline; no network loads).
 * Renders a finished Summary; it never decides or changes the verdict.
 * Every summary-derived string goes through escapeHtml (content and attributes alike).
 */
import type { CriterionResult, RequestStats, ScenarioOutcome, Summary } from '../verdict/index.js';
import { escapeHtml as h, jsonForScript } from './escape.js';
import { comparatorText, formatDelta, formatDuration, formatInterval, formatMs, formatNumber, formatRatio, formatValue } from './format.js';
import { CHART_SCRIPT, CSP, REPORT_CSS, uplotAssets } from './html-assets.js';
import { comparisonsTable } from './html-comparisons.js';
import { MAX_ROWS, renderDetail } from './html-details.js';
import { phasesSection, restoreAlarm } from './html-phases.js';

/** Request rows shown before "N more" (a run has ~50; this only bounds pathological tag explosions). */
const MAX_REQUEST_ROWS = 500;

type Banner = { text: string; cls: string };

function banner(s: Summary): Banner {
  if (s.verdict === 'UNDECIDED') return { text: 'UNDECIDED', cls: 'verdict-undecided' };
  return s.verdict === 'GO' ? { text: 'GO', cls: 'verdict-go' } : { text: 'NO-GO', cls: 'verdict-nogo' };
}

function kvRow(label: string, valueHtml: string): string {
  return `<tr><th scope="row">${h(label)}</th><td>${valueHtml}</td></tr>`;
}

function resultBadge(c: CriterionResult): string {
  if (c.skipped) return '<span class="badge skipped">SKIPPED</span>';
  return c.pass ? '<span class="badge pass">PASS</span>' : '<span class="badge fail">FAIL</span>';
}

function criteriaSection(s: Summary): string {
  if (s.criteria.length === 0) return '<h2>Criteria</h2><p class="muted">No criteria in this summary.</p>';
  const rows = s.criteria
    .map((c) => {
      const cls = c.skipped ? 'skipped' : c.pass ? 'pass' : 'fail';
      const look = !c.pass && !c.skipped ? `<div class="hint"><strong>What to look at:</strong> ${h(c.hint)}</div>` : '';
      return (
        `<tr class="${cls}" data-criterion="${h(c.id)}">` +
        `<td><code>${h(c.id)}</code><div>${h(c.description)}</div></td>` +
        `<td class="note">${h(c.rule)}${c.sample ? `<div class="sample${c.sample.ok ? '' : ' short'}"><strong>Sample:</strong> ${h(c.sample.text)}</div>` : ''}</td>` +
        `<td class="num">${h(comparatorText(c.comparator))} ${h(formatValue(c.threshold, c.unit))}</td>` +
        `<td class="num">${h(formatValue(c.measured, c.unit))}${c.interval ? `<div class="interval">${h(formatInterval(c.interval))}</div>` : ''}</td>` +
        `<td>${resultBadge(c)}${c.note ? `<div class="note">${h(c.note)}</div>` : ''}${look}</td>` +
        '</tr>' +
        // The comparisons (performance-degradation) get the table's full width in a row of their own: nested in the
        // Result cell, their nine columns widened the whole criteria table and clipped their own notes.
        (c.comparisons?.length
          ? `<tr class="${cls} comparisons-row" data-comparisons-for="${h(c.id)}"><td colspan="5">${comparisonsTable(c.comparisons)}</td></tr>`
          : '')
      );
    })
    .join('');
  return (
    '<h2>Criteria</h2><div class="scroll"><table id="criteria"><thead><tr>' +
    '<th>Criterion (seed wording)</th><th>Rule</th><th class="num">Threshold</th><th class="num">Measured</th><th>Result</th>' +
    `</tr></thead><tbody>${rows}</tbody></table></div>` +
    (s.criteria.some((c) => c.interval)
      ? '<p class="note" id="interval-legend">95% CI under a rate: its two-sided Wilson score interval, from the counts in parentheses (what the rate counts, of all observations). Latencies, times, counts and readings are no rates and have none.</p>'
      : '')
  );
}

function statusBadge(o: ScenarioOutcome): string {
  const cls = o.status === 'completed' ? 'status-completed' : o.status === 'not-run' ? 'status-not-run' : 'status-other';
  return `<span class="badge ${cls}">${h(o.status)}</span>`;
}

function scenariosSection(s: Summary): string {
  if (s.scenarios.length === 0) return '<h2>Scenarios</h2><p class="muted">No scenario outcomes recorded.</p>';
  const rows = s.scenarios
    .map(
      (o) =>
        `<tr data-scenario="${h(o.name)}"><td>${h(o.name)}</td><td>${statusBadge(o)}</td>` +
        `<td class="num">${h(o.k6ExitCode ?? '—')}</td><td class="num">${h(formatNumber(o.requests, 0))}</td>` +
        `<td class="num">${h(formatRatio(o.errorRate))}</td><td class="num">${h(formatMs(o.p95))}</td>` +
        `<td class="num">${h(o.durationMs === null ? '—' : formatValue(o.durationMs / 1000, 's'))}</td>` +
        `<td class="note">${h(o.message ?? '')}</td></tr>`,
    )
    .join('');
  return (
    '<h2>Scenarios</h2><div class="scroll"><table id="scenarios"><thead><tr><th>Scenario</th><th>Status</th>' +
    '<th class="num">k6 exit</th><th class="num">Requests</th><th class="num">Error rate</th><th class="num">p95</th>' +
    `<th class="num">Duration</th><th>Message</th></tr></thead><tbody>${rows}</tbody></table></div>`
  );
}

function deltaCell(v: number | null | undefined): string {
  const cls = v === null || v === undefined ? '' : v > 0 ? ' worse' : v < 0 ? ' better' : '';
  return `<td class="num${cls}">${h(formatDelta(v))}</td>`;
}

function requestsSection(s: Summary): string {
  const withDelta = Boolean(s.baseline) || s.requests.some((r) => r.delta);
  const o = s.overall;
  const overall = o
    ? `<p>All requests: <strong>${h(formatNumber(o.requests, 0))}</strong>, error rate <strong>${h(formatRatio(o.errorRate))}</strong>, ` +
      `p95 <strong>${h(formatMs(o.p95))}</strong>, p99 <strong>${h(formatMs(o.p99))}</strong></p>`
    : '';
  if (s.requests.length === 0) return `<h2>Requests</h2>${overall}<p class="muted">No request statistics recorded.</p>`;
  const shown = s.requests.slice(0, MAX_REQUEST_ROWS);
  const row = (r: RequestStats) =>
    `<tr><td>${h(r.scenario)}</td><td><code>${h(r.name)}</code></td><td class="num">${h(formatNumber(r.count, 0))}</td>` +
    `<td class="num">${h(formatRatio(r.errorRate))}</td>` +
    [r.p50, r.p90, r.p95, r.p99, r.max].map((v) => `<td class="num">${h(formatMs(v))}</td>`).join('') +
    (withDelta ? deltaCell(r.delta?.p95) + deltaCell(r.delta?.errorRate) : '') +
    '</tr>';
  const head =
    '<th>Scenario</th><th>Request</th><th class="num">Count</th><th class="num">Error rate</th>' +
    ['p50', 'p90', 'p95', 'p99', 'max'].map((p) => `<th class="num">${p}</th>`).join('') +
    (withDelta ? '<th class="num">Δ p95</th><th class="num">Δ error rate</th>' : '');
  const note = withDelta ? '<p class="note">Δ = relative change against the baseline run (positive = worse).</p>' : '';
  const more = s.requests.length > shown.length ? `<p class="more">${s.requests.length - shown.length} more rows not shown</p>` : '';
  return (
    `<h2>Requests</h2>${overall}${note}<div class="scroll"><table id="requests"><thead><tr>${head}</tr></thead>` +
    `<tbody>${shown.map(row).join('')}</tbody></table></div>${more}`
  );
}

/**
 * Which criteria get a threshold line: CriterionResult carries no selector, so this goes by id and unit
 * (`p95` in the id with unit ms; `error` in the id with unit ratio). Display only.
 */
function chartThresholds(s: Summary): { p95: Array<{ label: string; value: number }>; errorRate: Array<{ label: string; value: number }> } {
  const label = (c: CriterionResult) => `${c.id} ${comparatorText(c.comparator)} ${formatValue(c.threshold, c.unit)}`;
  const active = s.criteria.filter((c) => !c.skipped && Number.isFinite(c.threshold));
  return {
    p95: active.filter((c) => c.unit === 'ms' && /p95/i.test(c.id)).map((c) => ({ label: label(c), value: c.threshold })),
    errorRate: active.filter((c) => c.unit === 'ratio' && /error/i.test(c.id)).map((c) => ({ label: label(c), value: c.threshold })),
  };
}

function chartData(s: Summary): unknown {
  return {
    timeSeries: s.timeSeries.map((p) => [p.t, p.requests, p.failed, p.p95]),
    latency: s.latencyDistribution.map((b) => [b.le, b.count]),
    thresholds: chartThresholds(s),
  };
}

function chartsSection(s: Summary): string {
  const chart = (id: string, title: string, empty: boolean) =>
    `<div class="chart"><h3>${h(title)}</h3>${empty ? '<p class="muted">No data recorded.</p>' : `<div id="${id}"></div>`}</div>`;
  const noTs = s.timeSeries.length === 0;
  return (
    '<h2>Over time</h2><div class="charts">' +
    chart('chart-rps', 'Requests per second (UTC)', noTs) +
    chart('chart-errors', 'Error rate per second, UTC (dashed: error-rate criteria)', noTs) +
    chart('chart-p95', 'p95 latency per second, UTC (dashed: p95 criteria)', noTs) +
    chart('chart-latency', 'Latency distribution (http_req_duration, all requests)', s.latencyDistribution.length === 0) +
    '</div>'
  );
}

function probesSection(s: Summary): string {
  const entries = Object.entries(s.probes);
  if (entries.length === 0) return '<h2>Probes</h2><p class="muted">No probe results.</p>';
  const items = entries
    .map(
      ([name, p]) =>
        `<section class="probe" data-probe="${h(name)}"><h3>${h(name)}</h3>` +
        `<p>Value: <strong>${p.value === null ? '<span class="muted">not measured</span>' : h(formatNumber(p.value, 4))}</strong></p>` +
        (p.note ? `<p class="note">${h(p.note)}</p>` : '') +
        (p.details && Object.keys(p.details).length > 0 ? renderDetail(p.details) : '') +
        '</section>',
    )
    .join('');
  return `<h2>Probes</h2><p class="note">Tables show at most ${MAX_ROWS} rows each.</p>${items}`;
}

function runSection(s: Summary): string {
  const faults = s.faults.length > 0 ? s.faults.map((f) => `<code>${h(f)}</code>`).join(', ') : '<span class="muted">none</span>';
  const flags = s.flags && Object.keys(s.flags).length > 0 ? renderDetail(s.flags) : '<span class="muted">none recorded</span>';
  const b = s.baseline;
  const duration = formatDuration(s.startedAt, s.finishedAt);
  return (
    '<h2>Run</h2><table class="kv" id="run"><tbody>' +
    kvRow('Milestone', h(s.milestone)) +
    kvRow(
      'Target',
      `${h(s.target.name)} <span class="muted">(environment: ${h(s.target.environment)}${s.target.sandbox ? ', embedded sandbox' : ''})</span>`,
    ) +
    kvRow('Profile', h(s.profile)) +
    kvRow('Feature flags in force', flags) +
    kvRow('Faults injected', faults) +
    kvRow('Started', `<time>${h(s.startedAt)}</time>`) +
    kvRow('Finished', `<time>${h(s.finishedAt)}</time>${duration ? ` <span class="muted">(${h(duration)})</span>` : ''}`) +
    kvRow('Run id', `<code>${h(s.runId)}</code>`) +
    kvRow('Versions', `harness ${h(s.versions.harness)} · k6 ${h(s.versions.k6 ?? 'unknown')} · node ${h(s.versions.node)}`) +
    (b
      ? kvRow(
          'Baseline',
          `run <code>${h(b.runId)}</code>${b.file ? ` from <code>${h(b.file)}</code>` : ''}: p95 ${h(formatMs(b.p95))}, error rate ${h(formatRatio(b.errorRate))}`,
        )
      : '') +
    '</tbody></table>'
  );
}

/** Renders the self-contained report.html for a finished summary. */
export function renderHtml(summary: Summary): string {
  const s = summary;
  const v = banner(s);
  const counted = s.criteria.filter((c) => !c.skipped);
  const passed = counted.filter((c) => c.pass).length;
  const skipped = s.criteria.length - counted.length;
  const tally = `${passed} of ${counted.length} criteria passed${skipped ? `, ${skipped} skipped` : ''}`;
  const title = `${v.text} · ${s.milestone} · ${s.target.name}`;
  const { js, css } = uplotAssets();
  const warnings = [
    restoreAlarm(s),
    s.undecided ? `<div class="warning" role="alert"><strong>Could not decide:</strong> ${h(s.undecided)}</div>` : '',
    s.interrupted
      ? '<div class="warning" role="alert" id="interrupted"><strong>Interrupted:</strong> this run was stopped before it finished; the numbers cover only the part that ran.</div>'
      : '',
  ].join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title>
<style>${css}</style>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<h1>qsl-harness · ${h(s.milestone)} · ${h(s.target.name)}</h1>
<div class="banner ${v.cls}" id="verdict" role="status"><div class="verdict">${h(v.text)}</div>
<div class="sub">${h(s.milestone)} on ${h(s.target.name)} (${h(s.target.environment)}) · profile ${h(s.profile)} · ${h(tally)}</div></div>
${warnings}
${criteriaSection(s)}
${runSection(s)}
${scenariosSection(s)}
${phasesSection(s)}
${requestsSection(s)}
${chartsSection(s)}
${probesSection(s)}
<footer>Generated by qsl-harness ${h(s.versions.harness)} from summary.json (schema v${h(s.schemaVersion)}). Self-contained: no network access needed.</footer>
</main>
<script type="application/json" id="report-data">${jsonForScript(chartData(s))}</script>
<script>${js}</script>
<script>${CHART_SCRIPT}</script>
</body>
</html>
`;
}
