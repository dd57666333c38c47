import type { K6Thresholds } from '../contract/index.js';
import { thresholdFor } from './evaluate.js';
import type { Comparator, Criterion, Profile, Statistic } from './types.js';

const K6_STAT: Record<Statistic, string> = {
  rate: 'rate',
  count: 'count',
  p50: 'med',
  p90: 'p(90)',
  p95: 'p(95)',
  p99: 'p(99)',
  max: 'max',
  min: 'min',
  mean: 'avg',
};
const K6_OP: Record<Comparator, string> = { '<': '<', '<=': '<=', '>': '>', '>=': '>=', '==': '==' };

/**
 * k6 `thresholds` derived from the same criteria the harness evaluates, so k6's own end-of-test
 * summary agrees with the verdict. Probe criteria have no k6 counterpart.
 */
export function k6ThresholdsFor(criteria: readonly Criterion[], profile: Profile): K6Thresholds {
  const out: K6Thresholds = {};
  for (const c of criteria) {
    if (c.selector.kind !== 'metric' || c.k6Threshold === false) continue;
    const tags = Object.entries(c.selector.tags ?? {});
    const key = tags.length ? `${c.selector.metric}{${tags.map(([k, v]) => `${k}:${v}`).join(',')}}` : c.selector.metric;
    (out[key] ??= []).push(`${K6_STAT[c.selector.stat]}${K6_OP[c.comparator]}${thresholdFor(c, profile)}`);
  }
  return out;
}
