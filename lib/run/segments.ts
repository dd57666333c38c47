/**
 * k6 execution segments: one test split over N k6 processes (locally with `--segments N`, on
 * k6-operator with `parallelism: N`). Every process gets the same full sequence, so k6 stripes VUs,
 * iterations and arrival rates exactly as it does for k6-operator's runners.
 */
import { createError } from '../errors/index.js';

const MAX_SEGMENTS = 64;

/** Checks a --segments / --parallelism value. */
export function checkSegmentCount(n: number, flag: string): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_SEGMENTS) {
    throw createError('QSL_CONFIG_INVALID', `${flag} must be a whole number from 1 to ${MAX_SEGMENTS}, got ${n}. Use e.g. ${flag} 2.`);
  }
  return n;
}

function fraction(i: number, n: number): string {
  return i === 0 ? '0' : i === n ? '1' : `${i}/${n}`;
}

/** The full sequence `0,1/n,…,1`. */
export function segmentSequence(n: number): string {
  return Array.from({ length: n + 1 }, (_, i) => fraction(i, n)).join(',');
}

/** `k6 run` arguments of process i (0-based) of n; none for a one-process run. */
export function segmentArgs(i: number, n: number): string[] {
  if (n <= 1) return [];
  return ['--execution-segment', `${fraction(i, n)}:${fraction(i + 1, n)}`, '--execution-segment-sequence', segmentSequence(n)];
}

/** Raw-results file suffix of process i of n ('' for a one-process run): `<scenario><suffix>.ndjson`. */
export function segmentSuffix(i: number, n: number): string {
  return n <= 1 ? '' : `.seg${i + 1}of${n}`;
}
