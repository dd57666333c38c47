import type { CriterionResult, Summary } from '../verdict/types.js';

export function formatValue(v: number | null, unit: CriterionResult['unit']): string {
  if (v === null) return 'not measured';
  switch (unit) {
    case 'ratio':
      return `${(v * 100).toFixed(v !== 0 && Math.abs(v) < 0.01 ? 3 : 2)}%`;
    case 'ms':
      return `${v.toFixed(1)} ms`;
    case 's':
      return `${v.toFixed(1)} s`;
    case 'bool':
      return v === 1 ? 'yes' : 'no';
    default:
      return String(v);
  }
}

/** The console's closing lines: one row per criterion with its measured value, then the verdict. */
export function formatConsoleSummary(s: Summary, dir: string): string {
  const rows = s.criteria.map((c) => [
    c.skipped ? 'SKIP' : c.pass ? 'PASS' : 'FAIL',
    c.id,
    formatValue(c.measured, c.unit),
    `${c.comparator} ${formatValue(c.threshold, c.unit)}`,
    c.note ?? '',
  ]);
  const head = ['', 'criterion', 'measured', 'threshold', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)).toString());
  const line = (r: string[]) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(Number(widths[i])))).join('  ').trimEnd();
  const verdict = s.undecided ? `UNDECIDED (exit 2): ${s.undecided}` : s.verdict;
  const failing = s.criteria.filter((c) => !c.pass && !c.skipped).map((c) => `${c.id} = ${formatValue(c.measured, c.unit)}`);
  return [
    '',
    line(head),
    ...rows.map(line),
    '',
    `${s.milestone} verdict: ${verdict}${!s.undecided && failing.length ? `  (failing: ${failing.join(', ')})` : ''}`,
    `reports: ${dir}/report.html, summary.json, junit.xml`,
  ].join('\n');
}
