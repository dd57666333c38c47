/**
 * junit.xml: one <testsuite> per milestone run, one <testcase> per criterion (Jenkins/Ant-style JUnit).
 * Renders a finished Summary; pass/fail comes from the criteria as they are.
 */
import type { CriterionResult, Summary } from '../verdict/index.js';
import { escapeXml, escapeXmlText } from './escape.js';
import { formatInterval, formatValue } from './format.js';

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
}

/** `measured 612 ms, threshold <= 500 ms` (ASCII comparator, value formatted by unit). */
export function failureMessage(c: CriterionResult): string {
  return `measured ${formatValue(c.measured, c.unit)}, threshold ${c.comparator} ${formatValue(c.threshold, c.unit)}`;
}

function seconds(startIso: string, endIso: string): string {
  const ms = Date.parse(endIso) - Date.parse(startIso);
  return Number.isFinite(ms) && ms >= 0 ? (ms / 1000).toFixed(3) : '0';
}

/** JUnit timestamps are ISO-8601 without zone designator (xs:dateTime pattern in the common XSD). */
function timestamp(iso: string): string | undefined {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 19) : undefined;
}

function testcase(summary: Summary, c: CriterionResult): string {
  const open = `    <testcase${attrs({ classname: `qsl.${summary.milestone}`, name: c.id, time: '0' })}>`;
  const body: string[] = [];
  const detail = [
    c.description,
    `rule: ${c.rule}`,
    `measured: ${formatValue(c.measured, c.unit)}; threshold: ${c.comparator} ${formatValue(c.threshold, c.unit)}`,
    c.interval ? `interval: ${formatInterval(c.interval)}, Wilson score` : '',
    c.sample ? `sample: ${c.sample.text}${c.sample.ok ? '' : ' (short: not measured)'}` : '',
    c.note ? `note: ${c.note}` : '',
    c.pass ? '' : `what to look at: ${c.hint}`,
  ]
    .filter(Boolean)
    .join('\n');
  if (c.skipped) {
    body.push(`      <skipped${attrs({ message: c.note ?? 'not evaluated' })}/>`);
  } else if (!c.pass) {
    body.push(
      `      <failure${attrs({ message: failureMessage(c), type: c.measured === null ? 'not-measured' : 'threshold' })}>${escapeXmlText(detail)}</failure>`,
    );
  }
  body.push(`      <system-out>${escapeXmlText(detail)}</system-out>`);
  return [open, ...body, '    </testcase>'].join('\n');
}

function suite(summary: Summary): { xml: string; tests: number; failures: number; errors: number; skipped: number } {
  const skipped = summary.criteria.filter((c) => c.skipped).length;
  const failures = summary.criteria.filter((c) => !c.skipped && !c.pass).length;
  const errors = summary.verdict === 'UNDECIDED' ? 1 : 0;
  const tests = summary.criteria.length + errors;
  const ts = timestamp(summary.startedAt);
  const props: Array<[string, string]> = [
    ['runId', summary.runId],
    ['verdict', summary.verdict],
    ['target', summary.target.name],
    ['environment', summary.target.environment],
    ['profile', summary.profile],
    ['interrupted', String(summary.interrupted)],
    ['faults', summary.faults.join(',')],
    ['harness', summary.versions.harness],
    ['k6', summary.versions.k6 ?? ''],
    ['node', summary.versions.node],
  ];
  const lines = [
    `  <testsuite${attrs({
      name: summary.milestone,
      tests,
      failures,
      errors,
      skipped,
      time: seconds(summary.startedAt, summary.finishedAt),
      ...(ts ? { timestamp: ts } : {}),
      hostname: summary.target.name || 'unknown',
    })}>`,
    '    <properties>',
    ...props.map(([name, value]) => `      <property${attrs({ name, value })}/>`),
    '    </properties>',
    ...summary.criteria.map((c) => testcase(summary, c)),
  ];
  if (summary.verdict === 'UNDECIDED') {
    // The harness could not decide (exit 2): surface it as an error so CI does not read it as green.
    lines.push(
      `    <testcase${attrs({ classname: `qsl.${summary.milestone}`, name: 'run', time: '0' })}>`,
      `      <error${attrs({ message: `undecided: ${summary.undecided ?? 'no reason given'}`, type: 'undecided' })}>${escapeXmlText(summary.undecided ?? 'no reason given')}</error>`,
      '    </testcase>',
    );
  }
  lines.push(
    `    <system-out>${escapeXmlText(`verdict: ${summary.verdict}${summary.interrupted ? ' (run interrupted)' : ''}`)}</system-out>`,
  );
  lines.push('  </testsuite>');
  return { xml: lines.join('\n'), tests, failures, errors, skipped };
}

/** Renders junit.xml for one run (or several milestone runs, one <testsuite> each). */
export function renderJunit(summary: Summary | readonly Summary[]): string {
  const runs = Array.isArray(summary) ? (summary as readonly Summary[]) : [summary as Summary];
  const suites = runs.map(suite);
  const sum = (k: 'tests' | 'failures' | 'errors' | 'skipped') => suites.reduce((s, x) => s + x[k], 0);
  const time = runs.reduce((s, r) => s + Number(seconds(r.startedAt, r.finishedAt)), 0).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    // No `skipped` on <testsuites>: the Jenkins junit-10.xsd does not allow it there (it does on <testsuite>).
    `<testsuites${attrs({ name: 'qsl-harness', tests: sum('tests'), failures: sum('failures'), errors: sum('errors'), time })}>`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}
