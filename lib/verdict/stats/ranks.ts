/**
 * Two-sample rank statistics on histogram buckets: the Mann-Whitney U test with ties, and the Hodges-Lehmann shift
 * with its distribution-free (Moses) interval. Both read (value, count) pairs, never per-sample arrays, so a run of
 * any length costs time in its number of distinct buckets (HDR keeps 3 significant digits), not in its requests.
 */
import { normalUpper } from './normal.js';

/** (value, count) pairs; sorted ascending here whatever the input order. */
export type Buckets = ReadonlyArray<readonly [value: number, count: number]>;

interface Side {
  values: Float64Array;
  counts: Float64Array;
  total: number;
}

function side(b: Buckets): Side {
  const sorted = [...b].filter(([, c]) => c > 0).sort((p, q) => p[0] - q[0]);
  const values: number[] = [];
  const counts: number[] = [];
  for (const [v, c] of sorted) {
    if (values.length > 0 && values[values.length - 1] === v) counts[counts.length - 1]! += c;
    else {
      values.push(v);
      counts.push(c);
    }
  }
  return { values: Float64Array.from(values), counts: Float64Array.from(counts), total: counts.reduce((s, c) => s + c, 0) };
}

export interface MannWhitney {
  /** Sample sizes: x (legacy), y (migrated). */
  m: number;
  n: number;
  /** U of y: pairs with y > x, ties counted half. Its mean under H0 is mn/2. */
  u: number;
  /** Standard deviation of U under H0, tie-corrected. */
  sd: number;
  /** (U − mn/2 − ½) / sd: the continuity-corrected statistic for "y larger". */
  z: number;
  /** One-sided p-value for "y tends to be larger than x" (normal approximation; good for m, n >= 20). */
  p: number;
}

/**
 * Mann-Whitney U for "y is stochastically larger than x", with midranks for ties: Var U = mn/12 · ((N+1) − Σ(t³−t)/(N(N−1)))
 * over the tie groups t, and a continuity correction of ½. With no variance (every value tied) p = 1: U cannot move.
 */
export function mannWhitney(x: Buckets, y: Buckets): MannWhitney {
  const a = side(x);
  const b = side(y);
  const m = a.total;
  const n = b.total;
  let u = 0;
  let ties = 0;
  let xBelow = 0;
  let i = 0;
  let j = 0;
  while (i < a.values.length || j < b.values.length) {
    const v = Math.min(i < a.values.length ? a.values[i]! : Infinity, j < b.values.length ? b.values[j]! : Infinity);
    const cx = i < a.values.length && a.values[i] === v ? a.counts[i++]! : 0;
    const cy = j < b.values.length && b.values[j] === v ? b.counts[j++]! : 0;
    u += cy * (xBelow + cx / 2);
    const t = cx + cy;
    ties += t * t * t - t;
    xBelow += cx;
  }
  const big = m + n;
  const variance = big > 1 ? ((m * n) / 12) * (big + 1 - ties / (big * (big - 1))) : 0;
  const sd = Math.sqrt(Math.max(0, variance));
  if (sd === 0) return { m, n, u, sd, z: 0, p: 1 };
  const z = (u - (m * n) / 2 - 0.5) / sd;
  return { m, n, u, sd, z, p: normalUpper(z) };
}

/**
 * The pairwise differences y − x of two bucket lists, weighted by count × count, and their order statistics. Counting
 * the differences at or below t takes one pass over both lists (two pointers), so the k-th smallest is found by
 * bisection on t, in O(buckets) per step, never by listing the m·n pairs.
 */
class PairDifferences {
  readonly total: number;
  constructor(
    private readonly x: Side,
    private readonly y: Side,
  ) {
    this.total = x.total * y.total;
  }

  /** Weighted number of pairs with y − x <= t. */
  atMost(t: number): number {
    const { x, y } = this;
    let count = 0;
    let yBelow = 0;
    let j = 0;
    // As x grows, y − x shrinks: the y values with y − x <= t only ever grow in number.
    for (let i = 0; i < x.values.length; i++) {
      while (j < y.values.length && y.values[j]! - x.values[i]! <= t) yBelow += y.counts[j++]!;
      count += x.counts[i]! * yBelow;
    }
    return count;
  }

  /** The smallest difference strictly above t (Infinity when none). */
  nextAbove(t: number): number {
    const { x, y } = this;
    let best = Infinity;
    let j = 0;
    for (let i = 0; i < x.values.length; i++) {
      while (j < y.values.length && y.values[j]! - x.values[i]! <= t) j++;
      if (j < y.values.length) best = Math.min(best, y.values[j]! - x.values[i]!);
    }
    return best;
  }

  /** The k-th smallest difference, 1 <= k <= total. */
  kth(k: number): number {
    const { x, y } = this;
    let lo = y.values[0]! - x.values[x.values.length - 1]! - 1;
    let hi = y.values[y.values.length - 1]! - x.values[0]!;
    // Invariant: atMost(lo) < k <= atMost(hi). The next difference above lo is the answer once it reaches k.
    for (let step = 0; step < 200; step++) {
      const next = this.nextAbove(lo);
      if (this.atMost(next) >= k) return next;
      const mid = lo + (hi - lo) / 2;
      if (mid <= lo || mid >= hi) break;
      if (this.atMost(mid) >= k) hi = mid;
      else lo = mid;
    }
    return hi;
  }
}

export interface ShiftEstimate {
  /** Hodges-Lehmann estimate: the median of all pairwise differences y − x. */
  estimate: number;
  /** One-sided bounds at the given confidence (together a two-sided interval at 2·confidence − 1). */
  lower: number;
  upper: number;
}

/**
 * The Hodges-Lehmann shift of y over x and its Moses interval: with C = ⌊mn/2 − ½ − z·sd(U)⌋ + 1 (sd tie-corrected,
 * as the test), the lower bound is the C-th smallest pairwise difference and the upper the C-th largest; the one-sided
 * bound holds with the confidence `z` stands for (z = Φ⁻¹(confidence)). This is the set of shifts the continuity-
 * corrected Mann-Whitney test at that level does not reject.
 */
export function hodgesLehmann(x: Buckets, y: Buckets, z: number): ShiftEstimate {
  const a = side(x);
  const b = side(y);
  if (a.total === 0 || b.total === 0) return { estimate: NaN, lower: NaN, upper: NaN };
  const d = new PairDifferences(a, b);
  const t = d.total;
  const estimate = t % 2 === 1 ? d.kth((t + 1) / 2) : (d.kth(t / 2) + d.kth(t / 2 + 1)) / 2;
  const { sd } = mannWhitney(x, y);
  const c = Math.min(t, Math.max(1, Math.floor(t / 2 - 0.5 - z * sd) + 1));
  return { estimate, lower: d.kth(c), upper: d.kth(t + 1 - c) };
}

/** The median of a bucket list (the lower middle value for an even count); NaN when empty. */
export function bucketMedian(b: Buckets): number {
  return bucketQuantile(b, 0.5);
}

/** The value at quantile q (0..1): the smallest value with at least q of the count at or below it. */
export function bucketQuantile(b: Buckets, q: number): number {
  const s = side(b);
  if (s.total === 0) return NaN;
  const rank = Math.max(1, Math.ceil(q * s.total));
  let seen = 0;
  for (let i = 0; i < s.values.length; i++) {
    seen += s.counts[i]!;
    if (seen >= rank) return s.values[i]!;
  }
  return s.values[s.values.length - 1]!;
}
