import { readFileSync } from 'node:fs';
import { createError } from '../errors/index.js';
import { ingestK6Ndjson } from '../results/index.js';
import { validateSummary } from '../report/index.js';
import { summarize, type Criterion, type ProbeResult, type Summary } from '../verdict/index.js';
import { RunDir } from './run-dir.js';

/** Reads an earlier run's summary.json for --baseline; it must be a valid summary of the same milestone. */
export function readBaseline(file: string, milestone: string): { file: string; summary: Summary } {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw createError(
      'QSL_CONFIG_INVALID',
      `cannot read --baseline ${file}: ${(e as Error).message}. Pass the summary.json of an earlier run of the same milestone.`,
    );
  }
  const valid = validateSummary(value);
  if (!valid.ok) {
    throw createError(
      'QSL_CONFIG_INVALID',
      `--baseline ${file} is not a harness summary.json:\n  ${valid.errors.slice(0, 5).join('\n  ')}\nPass the summary.json of an earlier run.`,
    );
  }
  const summary = value as Summary;
  if (summary.milestone !== milestone) {
    throw createError(
      'QSL_CONFIG_INVALID',
      `--baseline ${file} is a ${summary.milestone} run; this is ${milestone}. Compare runs of the same milestone.`,
    );
  }
  return { file, summary };
}

/** Re-derives the summary of a run directory from its raw results (`npm run report -- <dir>`). */
export async function summarizeRunDir(
  root: string,
  milestoneFor: (milestone: string) => {
    criteria: readonly Criterion[];
    degradationCriterion?: boolean;
    rederiveProbes?(dataDir: string, probes: Record<string, ProbeResult>): Record<string, ProbeResult>;
  },
  baselineFile?: string,
): Promise<Summary> {
  const dir = new RunDir(root);
  const meta = dir.readMeta();
  // A run that never wrote its end (killed, crashed, or still going) left partial evidence: it cannot decide, whatever
  // its criteria read now. Its partial results are still rendered.
  if (meta.finishedAt === null)
    meta.undecided ??= `the run never finished (run.json has no finishedAt: killed, crashed or still running); re-rendered from what it left in ${root}`;
  const files = dir.rawFiles();
  const results = files.length ? await ingestK6Ndjson(files) : null;
  const base = baselineFile ?? meta.baselineFile;
  const m = milestoneFor(meta.milestone);
  return summarize({
    meta,
    results,
    // A milestone may complete probes a killed run never wrote (MVP 4's soak, from its checkpoints).
    probes: m.rederiveProbes ? m.rederiveProbes(dir.data, dir.readProbes()) : dir.readProbes(),
    criteria: m.criteria,
    degradationCriterion: m.degradationCriterion,
    baseline: base ? readBaseline(base, meta.milestone) : null,
  });
}
