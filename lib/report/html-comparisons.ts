/** The statistical comparisons behind a criterion (performance-degradation): one row per comparison, all escaped. */
import type { Comparison, ComparisonSide } from '../verdict/index.js';
import { escapeHtml as h } from './escape.js';
import { formatDelta, formatMs, formatNumber, formatRatio } from './format.js';

const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);
const delta = (x: number | null | undefined) => (finite(x) ? formatDelta(x) : '—');

function side(c: Comparison, s: ComparisonSide): string {
  if (c.measure === 'latency') return `${formatNumber(s.n, 0)} values, median ${formatMs(s.median)}, p95 ${formatMs(s.p95)}`;
  const interval = s.rateInterval ? ` (95% ${formatRatio(s.rateInterval[0])} … ${formatRatio(s.rateInterval[1])})` : '';
  return `${formatNumber(s.failed ?? 0, 0)} of ${formatNumber(s.n, 0)} failed: ${formatRatio(s.rate)}${interval}`;
}

function pValue(p: number): string {
  return p < 0.0001 ? '< 0.0001' : formatNumber(p, 4);
}

/** A table of the comparisons; empty when there are none. */
export function comparisonsTable(comparisons: readonly Comparison[] | undefined): string {
  if (!comparisons?.length) return '';
  const rows = comparisons
    .map((c) => {
      const conf = `${formatNumber(c.confidence * 100, 1)}%`;
      const beside = c.measure === 'latency' && finite(c.p95Change) ? `<div class="muted">p95 ${h(formatDelta(c.p95Change))}</div>` : '';
      return (
        `<tr class="${h(c.outcome === 'pass' ? 'pass' : 'fail')}" data-comparison="${h(c.measure)}">` +
        `<th scope="row">${h(c.measure)}<div class="muted">${h(c.subject)}</div></th>` +
        `<td>${h(side(c, c.legacy))}</td><td>${h(side(c, c.migrated))}</td>` +
        `<td>${h(c.test)}</td>` +
        `<td class="num">${h(pValue(c.p))}</td>` +
        `<td class="num">${h(delta(c.estimate))}${beside}</td>` +
        `<td class="num">${h(delta(c.lower))} … ${h(delta(c.upper))} (${h(conf)} each)</td>` +
        `<td class="num">${h(formatDelta(c.margin))}</td>` +
        `<td><strong>${h(c.outcome)}</strong><div class="note">${h(c.reason)}</div></td>` +
        '</tr>'
      );
    })
    .join('');
  return (
    '<div class="scroll"><table class="details comparisons"><thead><tr>' +
    '<th>Compared</th><th>Legacy</th><th>Migrated</th><th>Test</th><th class="num">p (migrated worse)</th>' +
    '<th class="num">Change</th><th class="num">One-sided bounds</th><th class="num">Margin</th><th>Outcome</th>' +
    `</tr></thead><tbody>${rows}</tbody></table></div>`
  );
}
