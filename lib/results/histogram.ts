/**
 * HDR histogram helpers. k6 trend values are floats in ms (or unitless for custom trends); HDR
 * records integers, so values are stored in thousandths (µs for time trends) at 3 significant
 * digits with auto-resize. A positive value below 0.0005 is recorded as 1 (0.001 ms), never 0.
 */
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram, type JsHistogram } from 'hdr-histogram-js';
import type { ValueCounts } from './types.js';

/** Recorded integer = value × SCALE. */
export const SCALE = 1000;

export function newHistogram(): Histogram {
  return build({ bitBucketSize: 32, autoResize: true, numberOfSignificantValueDigits: 3, useWebAssembly: false });
}

/** Record one k6 value (negative values are clamped to 0: HDR cannot hold them; exact min is kept elsewhere). */
export function recordScaled(h: Histogram, value: number): void {
  let v = Math.round(value * SCALE);
  if (v <= 0) v = value > 0 ? 1 : 0;
  h.recordValue(v);
}

/** A new histogram holding the sum of `parts` (the parts are not modified). */
export function mergeHistograms(parts: readonly Histogram[]): Histogram {
  const out = newHistogram();
  for (const p of parts) if (p.totalCount > 0) out.add(p);
  return out;
}

/** Value at a percentile (0..100), back in k6 units. */
export function percentile(h: Histogram, p: number): number {
  return h.getValueAtPercentile(p) / SCALE;
}

/**
 * Calls `fn(lowValue, highValue, count)` (k6 units) for every non-empty HDR bucket, in increasing order.
 * Used to re-bucket a histogram for charts.
 */
export function forEachRecorded(h: Histogram, fn: (low: number, high: number, count: number) => void): void {
  const js = h as unknown as JsHistogram;
  const n = js.countsArrayLength;
  for (let i = 0; i < n; i++) {
    const c = js.getCountAtIndex(i);
    if (c === 0) continue;
    const low = js.valueFromIndex(i);
    fn(low / SCALE, js.highestEquivalentValue(low) / SCALE, c);
  }
}

/** The recorded (integer value, count) pairs of a histogram, flat: what crosses a worker boundary. */
export function histogramPairs(h: Histogram): Float64Array {
  const js = h as unknown as JsHistogram;
  const n = js.countsArrayLength;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = js.getCountAtIndex(i);
    if (c !== 0) out.push(js.valueFromIndex(i), c);
  }
  return Float64Array.from(out);
}

/** Rebuilds a histogram from `histogramPairs` (exact: each value lands in the bucket it came from). */
export function histogramFromPairs(pairs: Float64Array): Histogram {
  const h = newHistogram();
  for (let i = 0; i < pairs.length; i += 2) h.recordValueWithCount(pairs[i]!, pairs[i + 1]!);
  return h;
}

/**
 * (value, count) pairs (k6 units, as `RunResults.buckets` gives them) as HdrHistogram's compressed base64 encoding
 * (the "HISTFAAA..." form HdrHistogram's log tools read), in thousandths of the k6 unit (µs for time trends).
 */
export function encodeBuckets(buckets: ValueCounts): string {
  const h = newHistogram();
  for (const [value, count] of buckets) h.recordValueWithCount(Math.max(0, Math.round(value * SCALE)), count);
  return encodeIntoCompressedBase64(h);
}

/** The pairs back from `encodeBuckets` (each value the lowest of its HDR bucket, as `RunResults.buckets` gives it). */
export function decodeBuckets(encoded: string): ValueCounts {
  const out: Array<[number, number]> = [];
  forEachRecorded(decodeFromCompressedBase64(encoded, 32, false), (low, _high, count) => {
    out.push([low, count]);
  });
  return out;
}
