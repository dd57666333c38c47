/**
 * `npm run bench -- verdict [--trials N] [--seed S]`: how often performance-degradation's statistical judge
 * (lib/verdict/compare.ts) calls NO-GO on a seeded simulation of legacy/migrated phase pairs.
 *
 * Each trial draws both phases of MVP 2's payment-flow load at the plan's sizes (thresholds/mvp2.ts: the
 * payment-flow payments of payment-latency's sample, 100 in smoke, 500 in full; two requests per payment, POST and
 * the GET that sees it final): payment processing times like the sandbox's (lognormal, median 18 ms, 90% between
 * 10 and 32 ms, 4% of payments 40-120 ms slower, whole milliseconds as k6 records them, so ties), 1.5% failed
 * requests. "Equal": both phases from that distribution. "Shifted": migrated times × 1.3 (every quantile, p95
 * included, +30%) and its error rate × 1.3. The samples go through HDR histograms and the real comparison code.
 *
 * Baseline: the equal pairs, where every NO-GO is false. Targets: false_nogo <= 0.01 at both sizes, power >= 0.95
 * (NO-GO share of shifted pairs at the full size). Last line:
 * `verdict false_nogo=<worst of smoke, full> power=<full> undecided=<inconclusive share over all pairs>`.
 */
import { seededRandom } from '../lib/fixtures/index.js';
import { forEachRecorded, newHistogram, recordScaled } from '../lib/results/histogram.js';
import { judgeDegradation, type CompareOptions, type DegradationJudgement } from '../lib/verdict/compare.js';
import type { ComparisonSample } from '../lib/verdict/types.js';
import { mvp2Criteria } from '../thresholds/mvp2.js';

/** Payments per phase, per profile: payment-latency's payment-flow sample. */
export function paymentsPerPhase(): { smoke: number; full: number } {
  const need = mvp2Criteria.find((c) => c.id === 'payment-latency')!.sample!.find((s) => s.tags?.scenario === 'payment-flow')!;
  return { smoke: need.atLeast!.smoke, full: need.atLeast!.full };
}

const REQUESTS_PER_PAYMENT = 2;
const ERROR_RATE = 0.015;
const SHIFT = 1.3;
/** The judge as MVP 2 uses it on a real target (10 ms floor, below the simulated medians: it never binds here). */
const OPTIONS: CompareOptions = { margin: 0.2, latencyFloorMs: 10 };

function normal(random: () => number): number {
  let u = 0;
  while (u === 0) u = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** One phase: `payments` processing times (ms, whole) and their requests' outcomes. */
export function simulatePhase(random: () => number, payments: number, scale: number, errorRate: number): ComparisonSample {
  const h = newHistogram();
  for (let i = 0; i < payments; i++) {
    let ms = Math.exp(Math.log(18) + 0.35 * normal(random));
    if (random() < 0.04) ms += 40 + 80 * random();
    recordScaled(h, Math.round(ms * scale));
  }
  const latency: Array<[number, number]> = [];
  forEachRecorded(h, (low, _high, count) => latency.push([low, count]));
  const requests = payments * REQUESTS_PER_PAYMENT;
  let failed = 0;
  for (let i = 0; i < requests; i++) if (random() < errorRate) failed++;
  return { latency, requests, failed };
}

export interface Tally {
  trials: number;
  nogo: number;
  inconclusive: number;
}

function tally(judge: () => DegradationJudgement, trials: number): Tally {
  const t: Tally = { trials, nogo: 0, inconclusive: 0 };
  for (let i = 0; i < trials; i++) {
    const j = judge();
    if (j.outcome === 'fail') t.nogo++;
    else if (j.outcome === 'inconclusive') t.inconclusive++;
  }
  return t;
}

const share = (n: number, d: number) => (d > 0 ? n / d : 0).toFixed(3);

/** The bench's last line. */
export function verdictLine(r: { equal: { smoke: Tally; full: Tally }; shiftedFull: Tally; all: Tally[] }): string {
  const falseNogo = Math.max(r.equal.smoke.nogo / r.equal.smoke.trials, r.equal.full.nogo / r.equal.full.trials);
  const trials = r.all.reduce((s, t) => s + t.trials, 0);
  const undecided = r.all.reduce((s, t) => s + t.inconclusive, 0);
  return `verdict false_nogo=${falseNogo.toFixed(3)} power=${share(r.shiftedFull.nogo, r.shiftedFull.trials)} undecided=${share(undecided, trials)}`;
}

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} expects a positive integer, got ${args[i + 1]}`);
  return v;
}

export async function main(args: string[]): Promise<void> {
  const trials = arg(args, '--trials', 2000);
  const seed = arg(args, '--seed', 20);
  const random = seededRandom(seed);
  const sizes = paymentsPerPhase();
  const subjects = { latency: 'payment_processing_time (simulated)', requests: 'http_req_failed (simulated)' };
  const run = (payments: number, shifted: boolean) =>
    tally(() => {
      const legacy = simulatePhase(random, payments, 1, ERROR_RATE);
      const migrated = simulatePhase(random, payments, shifted ? SHIFT : 1, shifted ? ERROR_RATE * SHIFT : ERROR_RATE);
      return judgeDegradation(legacy, migrated, subjects, OPTIONS);
    }, trials);
  const started = performance.now();
  const rows: Array<[string, Tally]> = [];
  for (const [profile, payments] of Object.entries(sizes)) {
    for (const shifted of [false, true]) rows.push([`${profile} ${shifted ? 'shifted +30%' : 'equal'}`, run(payments, shifted)]);
  }
  for (const [name, t] of rows) {
    console.log(`${name.padEnd(20)} ${t.trials} pairs: NO-GO ${share(t.nogo, t.trials)}, inconclusive ${share(t.inconclusive, t.trials)}`);
  }
  const by = Object.fromEntries(rows);
  console.log(`${rows.length * trials} pairs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(
    verdictLine({
      equal: { smoke: by['smoke equal']!, full: by['full equal']! },
      shiftedFull: by['full shifted +30%']!,
      all: rows.map(([, t]) => t),
    }),
  );
}
