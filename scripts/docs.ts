// `npm run docs`: writes docs/milestones.md from the code (the milestone registry, thresholds/*.ts, the rollback
// triggers and the fault-knob catalogue). `npm run docs -- --check` exits 1 when the file is stale; a test does the same.
import './node-support.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MILESTONES } from '../lib/milestones/index.js';
import { comparatorText, formatValue } from '../lib/report/index.js';
import { FAULT_KNOBS } from '../lib/sandbox/index.js';
import { cleanRunBound, criterionSample, type Criterion, type CriterionSample, type SampleNeed } from '../lib/verdict/index.js';
import { DELIVERY_DEADLINE, describeTrigger, EMERGENCY_ROLLBACK_STAGES, ROLLBACK_TRIGGERS } from '../thresholds/rollback-triggers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const MILESTONES_DOC = resolve(root, 'docs/milestones.md');

/** A Markdown table cell: pipes escaped, no line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

/** What a criterion's sample needs, per profile ("500 (smoke) / 10,000 (full) load-test iterations; at most 0 dropped ..."). */
function sampleText(sample: readonly SampleNeed[]): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return sample
    .map((s) =>
      [
        s.atLeast ? `${n(s.atLeast.smoke)} (smoke) / ${n(s.atLeast.full)} (full) ${s.what}` : '',
        s.atMost !== undefined ? `at most ${n(s.atMost)} ${s.what}` : '',
      ]
        .filter(Boolean)
        .join('; '),
    )
    .join('; ');
}

/** A scenario file's opening comment (what it does, in the seed's words), joined into one paragraph. */
function scenarioAbout(milestone: string, scenario: string): string {
  const lines = readFileSync(resolve(root, 'scenarios', milestone, `${scenario}.ts`), 'utf8').split('\n');
  const about: string[] = [];
  for (const line of lines) {
    if (!line.startsWith('//')) break;
    about.push(line.replace(/^\/\/\s?/, ''));
  }
  return about.join(' ').trim();
}

const count = (n: number) => n.toLocaleString('en-US');

/** A criterion that is no rate, by what its value is. */
function notARate(c: Criterion): string {
  if (c.selector.kind === 'metric') return `no: a ${c.selector.stat} of \`${c.selector.metric}\``;
  const what = { bool: 'a yes/no reading', s: 'a time', count: 'a count', ms: 'a latency', ratio: 'a relative change' }[c.unit];
  return `no: ${what}`;
}

/** "x" when both profiles agree, else "smoke x; full y". */
function perProfile(s: CriterionSample, text: (p: CriterionSample['profiles']['full']) => string): string {
  const smoke = text(s.profiles.smoke);
  const full = text(s.profiles.full);
  return smoke === full ? full : `smoke ${smoke}; full ${full}`;
}

/** The full plan against the minimum, in words: "meets", "SHORT: ...", or why no minimum applies. */
function fullPlan(s: CriterionSample): string {
  const f = s.profiles.full;
  if (!s.rate) return '—';
  if (f.short) return `**SHORT**: ${f.planned === null ? 'plans no sample' : `plans ${count(f.planned)}`}, needs ${count(f.minimum!)}`;
  if (f.minimum === null) return f.planned === null ? '**no sample planned**: judged on whatever the run counted' : 'no minimum (100%)';
  return `meets (${count(f.planned!)} >= ${count(f.minimum)})`;
}

/** The rate criteria's evidence: what a clean run needs for each threshold beside what the profiles plan. */
function sampleSection(): string[] {
  const rows: string[][] = [];
  const short: string[] = [];
  const unplanned: string[] = [];
  for (const m of Object.values(MILESTONES)) {
    for (const c of m.criteria) {
      const s = criterionSample(c);
      const f = s.profiles.full;
      const threshold = (p: { threshold: number }) => `${comparatorText(c.comparator, true)} ${formatValue(p.threshold, c.unit)}`;
      if (f.short)
        short.push(
          `- ${m.id} \`${c.id}\` (${threshold(f)}): the full profile plans ${f.planned === null ? 'no sample' : `${count(f.planned)} ${s.plannedWhat}`}; a clean run needs ${count(f.minimum!)}.`,
        );
      else if (s.rate && f.planned === null) unplanned.push(`${m.id} \`${c.id}\` (${threshold(f)})`);
      rows.push([
        `${m.id} \`${c.id}\``,
        s.rate ? 'yes' : notARate(c),
        perProfile(s, threshold),
        s.rate ? perProfile(s, (p) => (p.minimum === null ? 'none (100%)' : count(p.minimum))) : '—',
        s.plannedWhat ? `${perProfile(s, (p) => count(p.planned!))} ${s.plannedWhat}` : 'none',
        s.rate && f.planned !== null
          ? `${c.comparator.startsWith('<') ? '<' : '>='} ${formatValue(cleanRunBound(c.comparator, f.planned), 'ratio')}`
          : '—',
        fullPlan(s),
      ]);
    }
  }
  return [
    '## Rate criteria: interval and minimum sample',
    '',
    "A rate criterion's value is a proportion of a counted sample (an error rate, a pass rate, a delivery, capture or",
    'success ratio). summary.json (`interval`), report.html, junit.xml and the console show it with its 95% Wilson score',
    'interval (two-sided) and the counts behind it (`count` of `total`) whenever both counts are known, also when its',
    'sample fell short. A criterion that is no rate (a latency percentile, a time such as the rollback drill, a count, a',
    'yes/no reading such as a health check, a relative change such as performance-degradation) gets no interval and no',
    'minimum from its threshold; its planned sample is shown for reference.',
    '',
    '- **minimum** (`minimumSample`, lib/verdict/minimum-sample.ts): the smallest n at which a clean run supports the',
    '  threshold at 95% one-sided confidence, by the exact binomial bound: none of n failing for "< p"',
    '  (n > ln 0.05 / ln(1 − p), about 3/p: 2,995 for 0.1%), all n passing for "> q" (n > ln 0.05 / ln q); for <= and >=',
    '  the bound may equal the threshold. No sample supports 100%: any miss fails it, and a clean run of n only shows the',
    '  rate is at least 0.05^(1/n).',
    '- **planned**: the sample the profile requires before the value counts (`sample` in thresholds/<milestone>.ts, the',
    "  verdict's own check; several parts added up). Each planned thing (an iteration, a journey, a payment) yields at",
    '  least one observation of the rate, so the planned size is the least denominator a run of that size guarantees; a',
    '  run usually counts more (several requests per iteration), which the plan does not promise.',
    '- **a clean full run shows**: the one-sided 95% bound a run of exactly the full plan with no miss gives.',
    "- The report's interval is two-sided 95% (each bound one-sided 97.5%): at exactly the minimum, a clean run's shown",
    '  interval still reaches a little past the threshold.',
    '',
    ...table(['criterion', 'rate', 'threshold', 'minimum for a clean run', 'planned', 'a clean full run shows', 'full plan'], rows),
    '',
    `Full-profile sizes that fall short of their minimum (${short.length}); a clean full run of that size cannot support its threshold:`,
    '',
    ...short,
    '',
    `Rates with no planned sample and no finite minimum (judged on whatever the run counted, however few): ${unplanned.join(', ') || 'none'}.`,
    '',
  ];
}

function seconds(ms: number): string {
  if (ms >= 7_200_000) return `${+(ms / 3_600_000).toFixed(1)} h`;
  return ms >= 60_000 ? `${+(ms / 60_000).toFixed(1)} min` : `${+(ms / 1000).toFixed(1)} s`;
}

/** docs/milestones.md, as the code defines it today. */
export function renderMilestonesDoc(): string {
  const out: string[] = [
    '<!-- Generated by `npm run docs` from lib/milestones, thresholds/*.ts and lib/sandbox/faults.ts. Do not edit by hand: -->',
    '<!-- change the code and run `npm run docs` (test/docs/milestones-doc.test.ts fails when this file is stale). -->',
    '',
    '# Milestones, criteria and fault knobs',
    '',
    "Each milestone's Go/No-Go criteria as the harness evaluates them. A criterion that could not be measured fails;",
    'GO needs every criterion to pass. `measured by` is a k6 metric (with its statistic and tag filter) or a Node-side',
    'probe (`lib/verify`). Thresholds on k6 metrics are also handed to k6 as its own `thresholds`.',
    '',
  ];
  for (const m of Object.values(MILESTONES)) {
    out.push(`## ${m.title} (\`npm run ${m.id}\`)`, '');
    out.push('Scenarios, in run order (from the opening comment of `scenarios/' + m.id + '/<scenario>.ts`):', '');
    for (const s of m.scenarios) {
      out.push(
        `- **${s.name}** (smoke about ${seconds(s.plannedMs.smoke)}, full about ${seconds(s.plannedMs.full)}): ${scenarioAbout(m.id, s.name)}`,
      );
    }
    out.push('', `Services checked before and after: ${m.services.join(', ')}. Flags: \`${m.flagsFile}\`.`, '');
    out.push(
      ...table(
        ['criterion', 'seed', 'passes when', 'measured by', 'how', 'when it fails'],
        m.criteria.map((c) => [
          `\`${c.id}\``,
          c.description,
          `${comparatorText(c.comparator, true)} ${formatValue(c.threshold, c.unit)}${Object.entries(c.thresholdByProfile ?? {})
            .map(([p, t]) => ` (${p}: ${comparatorText(c.comparator, true)} ${formatValue(t, c.unit)})`)
            .join('')}`,
          c.selector.kind === 'metric'
            ? `k6 \`${c.selector.metric}\` ${c.selector.stat}${
                c.selector.tags && Object.keys(c.selector.tags).length
                  ? ` {${Object.entries(c.selector.tags)
                      .map(([k, v]) => `${k}:${v}`)
                      .join(', ')}}`
                  : ''
              }`
            : c.selector.kind === 'checks'
              ? `k6 \`checks\` rate${
                  c.selector.tags && Object.keys(c.selector.tags).length
                    ? ` {${Object.entries(c.selector.tags)
                        .map(([k, v]) => `${k}:${v}`)
                        .join(', ')}}`
                    : ''
                }`
              : `probe \`${c.selector.probe}\``,
          `${c.rule}${c.sample?.length ? `. Sample needed: ${sampleText(c.sample)}` : ''}`,
          c.hint,
        ]),
      ),
    );
    if (m.degradationCriterion) {
      out.push(
        '',
        '`performance-degradation` (seed: performance degradation > 20%): without `--baseline` the run measures its own baseline, a legacy-path phase before the measured scenarios (see docs/real-environments.md); with `--baseline <summary.json>` (a GO or NO-GO run of the same milestone and profile; anything else is refused, exit 2) it compares with the histogram and request counts that summary carries (`comparisonSample`) instead. Either way each comparison (latency by Mann-Whitney U with a Hodges-Lehmann interval, error rate by a difference of proportions with a Newcombe interval) is judged at 99.5% one-sided confidence: fail when migrated is worse with that confidence and by more than 20%, inconclusive (unmeasured, naming the sample that would decide) when worse but the interval straddles 20%, else pass. `npm run bench -- verdict` measures its false NO-GO rate and power (docs/benchmarks.md).',
      );
    }
    out.push('');
  }

  out.push(...sampleSection());
  out.push('## Rollback triggers', '');
  out.push('The seed\'s "Safety Mechanisms", checked after every run (the `rollback-triggers` probe) and by the live watcher.', '');
  out.push(
    ...table(
      ['trigger', 'fires when', 'action', 'recovery', 'how the harness measures it'],
      ROLLBACK_TRIGGERS.map((t) => [`\`${t.id}\``, describeTrigger(t), t.actionLabel, t.recovery, t.rule]),
    ),
  );
  out.push(
    '',
    `A notification counts as a failed delivery when it is not delivered ${DELIVERY_DEADLINE.seconds} s after its event was first seen (never less than ${DELIVERY_DEADLINE.floorSeconds} s when windows are scaled).`,
    '',
    'Emergency rollback stages (services set back to the legacy bus):',
    '',
    ...table(
      ['stage', 'services'],
      Object.entries(EMERGENCY_ROLLBACK_STAGES).map(([stage, services]) => [
        `\`${stage}\``,
        services === '*' ? 'every service' : services.join(', '),
      ]),
    ),
    '',
  );

  out.push('## Fault knobs (embedded sandbox only)', '');
  out.push(
    '`--fault <name>=<value>` (repeatable) makes the sandbox misbehave in one way; each knob has a milestone test that it turns its criterion into NO-GO while every other criterion passes. An unknown knob is refused with the list below.',
    '',
  );
  out.push(
    ...table(
      ['knob', 'value', 'what it does'],
      FAULT_KNOBS.map((k) => [`\`${k.name}\``, k.value.expects, k.description]),
    ),
  );
  out.push('');
  return out.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = renderMilestonesDoc();
  if (process.argv.includes('--check')) {
    const current = readFileSync(MILESTONES_DOC, 'utf8');
    if (current !== text) {
      console.error('docs/milestones.md is stale: run "npm run docs" and commit it.');
      process.exitCode = 1;
    }
  } else {
    writeFileSync(MILESTONES_DOC, text);
    console.log('docs/milestones.md written');
  }
}
