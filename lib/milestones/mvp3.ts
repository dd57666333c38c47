import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QSL_ENV, type K6Env, type SignatureKeysFile } from '../contract/index.js';
import { createError } from '../errors/index.js';
import { mvp3Criteria } from '../../thresholds/mvp3.js';
import { generateSignatureFixtures } from '../fixtures/index.js';
import type { RunResults } from '../results/index.js';
import { MVP3_TOPOLOGY, mvp3Services } from '../sandbox/index.js';
import type { ProbeResult } from '../verdict/index.js';
import {
  countJournal,
  EventTap,
  journalCapture,
  networkSuccess,
  orProbeFailure,
  pqcValidationTime,
  tokenSupply,
  type JournalSource,
} from '../verify/index.js';
import type { K6DataContext, MilestoneContext, MilestoneDefinition, MilestoneSession } from './types.js';

const sizing = {
  /** Signature fixtures: the seed's 10,000 validations in full. */
  smoke: { signatures: 1000, settle: { timeoutMs: 20_000, stallMs: 4_000 } },
  full: { signatures: 10_000, settle: { timeoutMs: 120_000, stallMs: 15_000 } },
};

function journalSource(ctx: MilestoneContext): JournalSource | null {
  // Credentials come from the environment, as the AWS ones do; never from the target file.
  if (ctx.target.journalUrl) {
    const username = process.env.QSL_JOURNAL_USER;
    return { url: ctx.target.journalUrl, ...(username ? { username, password: process.env.QSL_JOURNAL_PASS ?? '' } : {}) };
  }
  const client = ctx.sandbox?.journal?.client;
  return client ? { client } : null;
}

/** A journal server that does not answer is the target's problem, named as such before any load starts. */
async function checkJournal(ctx: MilestoneContext, source: JournalSource | null): Promise<void> {
  if (!source || !('url' in source)) return;
  try {
    await countJournal({ url: source.url, runId: `reachability-${ctx.runId}`, username: source.username, password: source.password });
  } catch (e) {
    throw createError(
      'QSL_TARGET_UNREACHABLE',
      `the journal (SurrealDB) of target "${ctx.target.name}" at ${source.url} did not answer: ${(e as Error).message}. Check journal.url in the target file and QSL_JOURNAL_USER / QSL_JOURNAL_PASS in the environment.`,
      { cause: e },
    );
  }
}

async function k6Data(ctx: K6DataContext): Promise<K6Env> {
  const t0 = Date.now();
  const { set, file, cached } = await generateSignatureFixtures({ count: sizing[ctx.profile].signatures, seed: ctx.seed });
  ctx.log(
    `  signature fixtures: ${set.count} ML-DSA-44 (${set.fixtures.filter((f) => !f.expectValid).length} invalid), ${cached ? 'from the cache' : `signed in ${((Date.now() - t0) / 1000).toFixed(1)} s`}`,
  );
  const keysFile = join(ctx.dir.data, 'signature-keys.json');
  const keys: SignatureKeysFile = { keys: set.keys };
  writeFileSync(keysFile, JSON.stringify(keys));
  return {
    [QSL_ENV.signatureFixtures]: file,
    [QSL_ENV.signatureKeys]: keysFile,
    ...(ctx.target.networks ? { [QSL_ENV.networks]: ctx.target.networks.join(',') } : {}),
  };
}

async function open(ctx: MilestoneContext): Promise<MilestoneSession> {
  const s = sizing[ctx.profile];
  await checkJournal(ctx, journalSource(ctx));
  const k6Env = await k6Data(ctx);

  const tap = new EventTap({ runId: ctx.runId, sqs: ctx.sqs, target: ctx.target, log: ctx.log });
  await tap.start();

  return {
    k6Env,
    async probes(results: RunResults | null, { interrupted }) {
      const probes: Record<string, ProbeResult> = {};
      const settle = interrupted ? { timeoutMs: 0, stallMs: 0 } : s.settle;
      probes['network-success'] = networkSuccess(results);
      probes['pqc-validation-time'] = pqcValidationTime(results);
      const [tokens, journal] = await Promise.all([
        orProbeFailure(tokenSupply(ctx.target.gateway, ctx.runId, results)),
        journalCapture(tap, ctx.runId, journalSource(ctx), { ...settle, signal: ctx.signal }),
      ]);
      probes['token-supply'] = tokens;
      probes['journal-capture'] = journal;
      const tapErrors = tap.errorProbe();
      if (tapErrors) probes['event-tap'] = tapErrors;
      return probes;
    },
    undecided: () => tap.lostReason(),
    close: () => tap.stop(),
  };
}

export const mvp3: MilestoneDefinition = {
  id: 'mvp3',
  title: 'MVP 3: Blockchain Integration',
  criteria: mvp3Criteria,
  flagsFile: 'flags/mvp3.json',
  scenarios: [
    // First, on a quiet machine: the validation time is the criterion most sensitive to CPU contention.
    { name: 'signature-validation', plannedMs: { smoke: 21_000, full: 135_000 } },
    { name: 'network-broadcast', plannedMs: { smoke: 15_000, full: 180_000 } },
    { name: 'token-lifecycle', plannedMs: { smoke: 8_000, full: 120_000 } },
  ],
  services: ['gateway', 'infrastructure', 'token', 'signature', 'journaler'],
  intent: { load: true, forcedFailures: false, rollbackDrill: false },
  sandbox: { topology: MVP3_TOPOLOGY, services: mvp3Services() },
  k6Data,
  liveEvidence: { 'journal-capture': 'the event tap on the audit queue while the scenarios ran' },
  open,
};
