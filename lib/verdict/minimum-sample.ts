/**
 * The least sample a rate threshold needs before a clean run can support it, and how each criterion's planned sample
 * (`Criterion.sample`, per profile) stands against it. Documentation only (docs/milestones.md): the verdict's own
 * sample check stays `checkSample` on the planned sizes.
 */
import { thresholdFor } from './evaluate.js';
import { isRateCriterion } from './rate-evidence.js';
import type { Comparator, Criterion, Profile } from './types.js';

/** One-sided confidence a clean run must give its threshold. */
export const SUPPORT_CONFIDENCE = 0.95;

/**
 * The smallest n at which a clean run supports a rate threshold at `confidence` (one-sided), by the exact binomial
 * (Clopper-Pearson) bound. A clean run of "< p" or "<= p" counts none of its n (zero failures): its upper bound
 * 1 − α^(1/n) must be below p (at most p for "<="), so n > ln α / ln(1 − p), about 3/p at 95% (2,995 for 0.1%).
 * A clean run of "> q" or ">= q" counts all n: its lower bound α^(1/n) must be above q (at least q for ">="), so
 * n > ln α / ln q (2,995 for 99.9%, 14 for 80%). Null when no sample can: "100%" (">= 1"), "0%" ("<= 0") and "==".
 */
export function minimumSample(comparator: Comparator, threshold: number, confidence = SUPPORT_CONFIDENCE): number | null {
  const lnAlpha = Math.log(1 - confidence);
  // The bound's side of the threshold, as a logarithm: n must exceed lnAlpha / lnBound (strictly for < and >).
  let lnBound: number;
  if (comparator === '<' || comparator === '<=') {
    if (threshold <= 0) return null;
    if (threshold >= 1) return 1;
    lnBound = Math.log(1 - threshold);
  } else if (comparator === '>' || comparator === '>=') {
    if (threshold >= 1) return null;
    if (threshold <= 0) return 1;
    lnBound = Math.log(threshold);
  } else return null;
  const x = lnAlpha / lnBound;
  const strict = comparator === '<' || comparator === '>';
  return Math.max(1, strict ? Math.floor(x) + 1 : Math.ceil(x));
}

/**
 * What a clean run of n shows at `confidence` (one-sided, exact): the bound 1 − α^(1/n) on the rate it counts none
 * of (an error rate below it), or α^(1/n) on the rate it counts all of (a success rate at least it).
 */
export function cleanRunBound(comparator: Comparator, n: number, confidence = SUPPORT_CONFIDENCE): number {
  const all = Math.pow(1 - confidence, 1 / n);
  return comparator === '<' || comparator === '<=' ? 1 - all : all;
}

/** One profile's side of a criterion's sample: its threshold, the least clean sample it needs, what the profile plans. */
export interface ProfileSample {
  threshold: number;
  /** Null: no sample supports the threshold (100%), or the criterion is no rate. */
  minimum: number | null;
  /** The planned sample: `atLeast` summed over the criterion's needs; null when it plans none. */
  planned: number | null;
  /** A rate whose planned sample does not reach its minimum (or that plans none). */
  short: boolean;
}

export interface CriterionSample {
  id: string;
  rate: boolean;
  /** What the planned sample counts ("load-test iterations at 1,000/min"), each need's words joined. */
  plannedWhat: string | null;
  profiles: Record<Profile, ProfileSample>;
}

/**
 * A criterion's minimum sample per profile (from its threshold in that profile) beside the sample the profile plans.
 * Each planned thing (an iteration, a journey, a payment) yields at least one observation of the rate, so the planned
 * size is the least denominator a run of that size guarantees; a rate with a finite minimum above it is short.
 */
export function criterionSample(c: Criterion): CriterionSample {
  const rate = isRateCriterion(c);
  const needs = (c.sample ?? []).filter((s) => s.atLeast);
  const side = (profile: Profile): ProfileSample => {
    const threshold = thresholdFor(c, profile);
    const minimum = rate ? minimumSample(c.comparator, threshold) : null;
    const planned = needs.length ? needs.reduce((n, s) => n + (s.atLeast?.[profile] ?? 0), 0) : null;
    return { threshold, minimum, planned, short: minimum !== null && (planned === null || planned < minimum) };
  };
  return {
    id: c.id,
    rate,
    plannedWhat: needs.length ? needs.map((s) => s.what).join(' + ') : null,
    profiles: { smoke: side('smoke'), full: side('full') },
  };
}
