import { alarm, comparatorText, formatInterval, formatValue } from '../report/index.js';
import type { Summary } from '../verdict/index.js';

/**
 * The console's closing lines: one row per criterion with its measured value (a rate's 95% interval on a line of its
 * own below, under the value, so the rows stay as they were), then the verdict.
 */
export function formatConsoleSummary(s: Summary, dir: string): string {
  const rows = s.criteria.map((c) => [
    c.skipped ? 'SKIP' : c.pass ? 'PASS' : 'FAIL',
    c.id,
    formatValue(c.measured, c.unit),
    `${comparatorText(c.comparator, true)} ${formatValue(c.threshold, c.unit)}`,
    c.note ?? '',
  ]);
  const head = ['', 'criterion', 'measured', 'threshold', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)).toString());
  const line = (r: string[]) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(Number(widths[i]))))
      .join('  ')
      .trimEnd();
  const verdict = s.verdict === 'UNDECIDED' ? `UNDECIDED (exit 2): ${s.undecided ?? 'no reason given'}` : s.verdict;
  const failing = s.criteria.filter((c) => !c.pass && !c.skipped).map((c) => `${c.id} = ${formatValue(c.measured, c.unit)}`);
  const notRestored = s.probes['target-restored']?.veto;
  return [
    '',
    ...(notRestored ? [alarm(`THE TARGET WAS NOT RESTORED: ${notRestored}. Set its flags back by hand.`, process.stdout), ''] : []),
    line(head),
    ...rows.flatMap((r, i) => {
      const interval = s.criteria[i]?.interval;
      return interval ? [line(r), `${' '.repeat(Number(widths[0]) + Number(widths[1]) + 4)}${formatInterval(interval)}`] : [line(r)];
    }),
    '',
    `${s.milestone} verdict: ${verdict}${s.verdict === 'NO-GO' && failing.length ? `  (failing: ${failing.join(', ')})` : ''}`,
    `reports: ${dir}/report.html, summary.json, junit.xml`,
  ].join('\n');
}
