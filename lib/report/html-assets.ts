/**
 * Static parts of report.html: the stylesheet, the chart script, and uPlot itself (read from
 * node_modules at render time and inlined, so the report opens offline from a mail attachment).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inlineAsset } from './escape.js';

let uplotCache: { js: string; css: string } | undefined;

/** uPlot's IIFE build and stylesheet, made safe to inline. */
export function uplotAssets(): { js: string; css: string } {
  if (!uplotCache) {
    const require = createRequire(import.meta.url);
    const js = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
    const css = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
    uplotCache = { js: inlineAsset(js, 'script'), css: inlineAsset(css, 'style') };
  }
  return uplotCache;
}

/** Blocks every network load from the report, as a second line behind "nothing external is referenced". */
export const CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; " +
  "font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'";

export const REPORT_CSS = `
:root { --go:#15803d; --nogo:#b91c1c; --undecided:#b45309; --muted:#6b7280; --line:#e5e7eb; --skip:#6b7280; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color:#111827; background:#fff; margin:0; }
main { max-width: 1200px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 20px; margin: 0; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.banner { color:#fff; padding: 16px 24px; border-radius: 6px; margin: 16px 0; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.banner .verdict { font-size: 34px; font-weight: 800; letter-spacing: 1px; }
.banner .sub { font-size: 15px; opacity: .95; }
.verdict-go { background: var(--go); } .verdict-nogo { background: var(--nogo); } .verdict-undecided { background: var(--undecided); }
.warning { border: 2px solid var(--undecided); background:#fffbeb; padding: 10px 14px; border-radius: 6px; margin: 12px 0; }
.warning.danger { border-color: var(--nogo); background:#fef2f2; color: var(--nogo); }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: #f3f4f6; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.kv { width: auto; min-width: 50%; } table.kv th { background: #f9fafb; font-weight: 600; white-space: nowrap; }
table.details { font-size: 12px; }
.scroll { overflow-x: auto; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 700; font-size: 12px; color:#fff; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.badge.pass { background: var(--go); } .badge.fail { background: var(--nogo); } .badge.skipped { background: var(--skip); }
.badge.status-completed { background: var(--go); } .badge.status-other { background: var(--nogo); } .badge.status-not-run { background: var(--skip); }
tr.fail td { background: #fef2f2; } .sample { margin-top: 4px; } .sample.short { color: var(--nogo); } tr.skipped td { color: var(--muted); }
.muted, .more { color: var(--muted); } .more { font-size: 12px; margin: 2px 0; }
.hint { font-size: 12px; } .note { font-size: 12px; color: #374151; } .interval { font-size: 12px; color: var(--muted); }
.worse { color: var(--nogo); font-weight: 600; } .better { color: var(--go); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; word-break: break-all; }
.charts { display: grid; grid-template-columns: minmax(0, 1fr); gap: 12px; }
.chart { break-inside: avoid; page-break-inside: avoid; }
.chart h3 { margin-bottom: 2px; }
.probe { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; margin: 10px 0; break-inside: avoid-page; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print {
  @page { size: A4; margin: 12mm; }
  body { font-size: 11px; }
  main { max-width: none; padding: 0; }
  /* beforeprint shrinks the charts to 680 px; this keeps them inside the page when it does not fire. */
  .uplot { display: block; width: 100% !important; }
  .uplot .u-wrap { max-width: 100% !important; height: auto !important; }
  .uplot canvas { max-width: 100% !important; height: auto !important; }
  .uplot .u-over, .uplot .u-under { display: none; }
  .uplot .u-wrap { position: static !important; }
  .scroll { overflow: visible; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr { break-inside: avoid; page-break-inside: avoid; }
}
`;

/**
 * Draws the charts from the JSON block #report-data. Plain ES2017 (runs in the reviewer's browser).
 * Time axis in UTC to match the timestamps printed in the report.
 */
export const CHART_SCRIPT = `
(function () {
  'use strict';
  var holder = document.getElementById('report-data');
  if (!holder || typeof uPlot === 'undefined') return;
  var data = JSON.parse(holder.textContent || '{}');
  var charts = [];
  var utc = function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); };
  var thresholdColors = ['#ea580c', '#111827', '#ca8a04', '#be185d'];

  function widthOf(node) { return Math.max(320, Math.min(node.clientWidth || 900, 1150)); }
  function make(id, opts, d) {
    var node = document.getElementById(id);
    if (!node) return;
    opts.width = widthOf(node);
    opts.height = opts.height || 220;
    charts.push({ u: new uPlot(opts, d, node), node: node });
  }
  function thresholdSeries(list, scale, x, factor) {
    var series = [], values = [];
    (list || []).forEach(function (t, i) {
      series.push({ label: t.label, stroke: thresholdColors[i % thresholdColors.length], dash: [6, 4], width: 1.5, points: { show: false }, scale: scale });
      values.push(x.map(function () { return t.value * factor; }));
    });
    return { series: series, values: values };
  }

  var ts = data.timeSeries || [];
  if (ts.length > 0) {
    var x = ts.map(function (p) { return p[0] / 1000; });
    var reqs = ts.map(function (p) { return p[1]; });
    var errPct = ts.map(function (p) { return p[1] > 0 ? (p[2] / p[1]) * 100 : null; });
    var p95 = ts.map(function (p) { return p[3]; });
    var base = { tzDate: utc, scales: { x: { time: true } }, cursor: { drag: { x: true, y: false } } };

    make('chart-rps', Object.assign({}, base, {
      series: [{}, { label: 'requests/s', stroke: '#2563eb', fill: 'rgba(37,99,235,0.12)', width: 1.5 }],
      axes: [{}, { label: 'req/s', size: 60 }]
    }), [x, reqs]);

    var et = thresholdSeries(data.thresholds && data.thresholds.errorRate, 'pct', x, 100);
    make('chart-errors', Object.assign({}, base, {
      scales: { x: { time: true }, pct: { range: function (u, min, max) { return [0, Math.max(max || 0, 1) * 1.1]; } } },
      series: [{}, { label: 'error rate %', stroke: '#dc2626', fill: 'rgba(220,38,38,0.10)', width: 1.5, scale: 'pct', spanGaps: false }].concat(et.series),
      axes: [{}, { label: '% failed', scale: 'pct', size: 60, values: function (u, s) { return s.map(function (v) { return v + '%'; }); } }]
    }), [x, errPct].concat(et.values));

    var pt = thresholdSeries(data.thresholds && data.thresholds.p95, 'ms', x, 1);
    make('chart-p95', Object.assign({}, base, {
      scales: { x: { time: true }, ms: { range: function (u, min, max) { return [0, Math.max(max || 0, 1) * 1.1]; } } },
      series: [{}, { label: 'p95 ms', stroke: '#7c3aed', width: 1.5, scale: 'ms', spanGaps: false }].concat(pt.series),
      axes: [{}, { label: 'ms', scale: 'ms', size: 60 }]
    }), [x, p95].concat(pt.values));
  }

  var lat = data.latency || [];
  if (lat.length > 0) {
    var labels = lat.map(function (b) { return '≤' + b[0] + ' ms'; });
    var idx = lat.map(function (b, i) { return i; });
    var counts = lat.map(function (b) { return b[1]; });
    make('chart-latency', {
      scales: { x: { time: false, range: function () { return [-0.5, lat.length - 0.5]; } } },
      series: [
        { label: 'bucket', value: function (u, v) { return v == null ? '' : labels[Math.round(v)] || ''; } },
        { label: 'requests', stroke: '#0891b2', fill: 'rgba(8,145,178,0.35)', paths: uPlot.paths.bars({ size: [0.85, 80] }), points: { show: false } }
      ],
      axes: [
        { incrs: [1, 2, 5, 10, 20, 50, 100], space: 60, values: function (u, s) { return s.map(function (v) { return labels[v] || ''; }); } },
        { label: 'requests', size: 60 }
      ]
    }, [idx, counts]);
  }

  function resizeAll(fixed) {
    charts.forEach(function (c) { c.u.setSize({ width: fixed || widthOf(c.node), height: c.u.height }); });
  }
  var timer;
  window.addEventListener('resize', function () { clearTimeout(timer); timer = setTimeout(function () { resizeAll(); }, 150); });
  // Charts are canvases with a pixel width: shrink them to the printable width of an A4 page.
  window.addEventListener('beforeprint', function () { resizeAll(680); });
  window.addEventListener('afterprint', function () { resizeAll(); });
  document.documentElement.setAttribute('data-charts', String(charts.length));
})();
`;
