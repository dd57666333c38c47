/** Intervals for proportions: Wilson's score interval for one rate, Newcombe's hybrid score interval for a difference. */
import { normalQuantile, normalUpper } from './normal.js';

export interface Interval {
  lower: number;
  upper: number;
}

/**
 * Wilson score bounds for k successes in n at a given z (each bound one-sided at Φ(z)); [0, 1] when n = 0. Unlike
 * the Wald interval it never collapses at 0 or n: 0 of 3,000 gives an upper bound near 0.13% at 95%.
 */
export function wilsonBounds(k: number, n: number, z: number): Interval {
  if (n <= 0) return { lower: 0, upper: 1 };
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { lower: k === 0 ? 0 : Math.max(0, centre - half), upper: k === n ? 1 : Math.min(1, centre + half) };
}

/** The two-sided Wilson score interval for k of n (95% by default): what the report shows beside a rate. */
export function wilsonInterval(k: number, n: number, confidence = 0.95): Interval {
  return wilsonBounds(k, n, normalQuantile(1 - (1 - confidence) / 2));
}

export interface DifferenceEstimate extends Interval {
  /** p1 − p2. */
  estimate: number;
  /** One-sided p-value for "p1 > p2": the level at which the lower bound just reaches 0 (the interval inverted). */
  p: number;
}

/**
 * Newcombe's hybrid score interval (1998, method 10) for p1 − p2 = k1/n1 − k2/n2, from the two Wilson intervals:
 * lower = D − √((p1 − l1)² + (u2 − p2)²), upper = D + √((u1 − p1)² + (p2 − l2)²), each bound one-sided at Φ(z).
 * Well behaved at zero counts (0 of 1,000 against 1 of 1,000 is an interval around 0, not "+100%").
 */
export function newcombeDifference(k1: number, n1: number, k2: number, n2: number, z: number): DifferenceEstimate {
  const bounds = (zz: number) => {
    const a = wilsonBounds(k1, n1, zz);
    const b = wilsonBounds(k2, n2, zz);
    const p1 = k1 / n1;
    const p2 = k2 / n2;
    const d = p1 - p2;
    return {
      lower: d - Math.sqrt((p1 - a.lower) ** 2 + (b.upper - p2) ** 2),
      upper: d + Math.sqrt((a.upper - p1) ** 2 + (p2 - b.lower) ** 2),
    };
  };
  const estimate = k1 / n1 - k2 / n2;
  const { lower, upper } = bounds(z);
  return { estimate, lower, upper, p: differencePValue(estimate, bounds) };
}

/** The one-sided p for "p1 > p2": Q(z*) where the lower bound at z* is 0 (bisection; the bounds widen with z). */
function differencePValue(estimate: number, bounds: (z: number) => Interval): number {
  if (estimate === 0) return 0.5;
  const bound = estimate > 0 ? (z: number) => bounds(z).lower : (z: number) => -bounds(z).upper;
  let lo = 0;
  let hi = 40;
  if (bound(hi) > 0) return 0;
  for (let i = 0; i < 100 && hi - lo > 1e-10; i++) {
    const mid = (lo + hi) / 2;
    if (bound(mid) > 0) lo = mid;
    else hi = mid;
  }
  const z = (lo + hi) / 2;
  return estimate > 0 ? normalUpper(z) : 1 - normalUpper(z);
}
