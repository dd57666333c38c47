import { describe, expect, it } from 'vitest';
import { escapeHtml, renderHtml } from '../../lib/report/index.js';
import { comparisonsTable } from '../../lib/report/html-comparisons.js';
import { judgeDegradation } from '../../lib/verdict/compare.js';
import type { ComparisonSample } from '../../lib/verdict/types.js';
import { buildSummary, criterion, HOSTILE } from './fixtures/build-summary.js';

const sample = (median: number, failed: number): ComparisonSample => ({
  latency: Array.from({ length: 40 }, (_, i) => [median + i, 5] as [number, number]),
  requests: 400,
  failed,
});

describe('the comparisons behind performance-degradation in the report', () => {
  const j = judgeDegradation(
    sample(20, 4),
    sample(40, 4),
    { latency: `payment_processing_time ${HOSTILE}`, requests: 'http_req_failed' },
    {
      margin: 0.2,
      latencyFloorMs: 10,
    },
  );

  it('one row per comparison: the test, p, the change with its bounds and confidence, the margin and the outcome', () => {
    const html = comparisonsTable(j.comparisons);
    expect(html).toContain('data-comparison="latency"');
    expect(html).toContain('data-comparison="error-rate"');
    expect(html).toContain('Mann-Whitney U');
    expect(html).toContain('Newcombe');
    expect(html).toMatch(/99\.5% each/);
    expect(html).toContain('<strong>fail</strong>');
    expect(html).toContain('<strong>pass</strong>');
    expect(html).toMatch(/p95 \+/);
    expect(html).toMatch(/4 of 400 failed: 1%/);
    expect(comparisonsTable(undefined)).toBe('');
  });

  it('sits in a full-width row under the criterion row, every summary-derived string escaped', () => {
    const s = buildSummary();
    s.criteria.push(criterion({ id: 'performance-degradation', measured: j.value, pass: false, note: j.note, comparisons: j.comparisons }));
    const html = renderHtml(s);
    const row = html.slice(html.indexOf('data-criterion="performance-degradation"'));
    expect(row).toContain('table class="details comparisons"');
    // Its own row spanning the table, right after the criterion's: not nested in the Result cell.
    expect(html).toMatch(
      /<tr class="fail" data-criterion="performance-degradation">(?:(?!<tr)[\s\S])*<\/tr><tr class="fail comparisons-row" data-comparisons-for="performance-degradation"><td colspan="5"><div class="scroll"><table class="details comparisons">/,
    );
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain(escapeHtml(`payment_processing_time ${HOSTILE}`));
  });
});
