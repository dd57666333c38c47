/**
 * Per-second data for the 1-second time series. Size is bounded by the run's duration (seconds),
 * never by the number of lines.
 *
 * - `SecondCounts`: a dense sum per epoch second (http_reqs, http_req_failed passes).
 * - `SecondSketches`: a small log-bucket histogram per second (http_req_duration) for the per-second
 *   p95. Buckets grow by GAMMA (±1% relative error). Recent seconds are dense Uint32Arrays; seconds
 *   older than OPEN_WINDOW behind the newest are compacted to (bucket, count) pairs, because k6
 *   flushes samples roughly in time order. A late sample simply re-opens its second.
 */

const GAMMA = 1.02;
const INV_LN_GAMMA = 1 / Math.log(GAMMA);
/** Buckets cover up to 1e9 µs (1000 s); larger values land in the last bucket. */
export const SKETCH_BUCKETS = Math.ceil(Math.log(1e9) * INV_LN_GAMMA) + 1;
const OPEN_WINDOW = 5;

/** Bucket of a value in ms: bucket i holds (GAMMA^(i-1), GAMMA^i] µs; bucket 0 holds ≤ 1 µs. */
export function sketchBucket(ms: number): number {
  const us = ms * 1000;
  if (!(us > 1)) return 0;
  const i = Math.ceil(Math.log(us) * INV_LN_GAMMA);
  return i < SKETCH_BUCKETS ? i : SKETCH_BUCKETS - 1;
}

/** Representative value (ms) of bucket i: within 1% of every value in it. */
export function sketchValue(i: number): number {
  if (i === 0) return 0.001;
  return (2 * Math.pow(GAMMA, i)) / (GAMMA + 1) / 1000;
}

/** Value at quantile q (0..1) of dense bucket counts, nearest rank; null when empty. */
export function sketchQuantile(counts: Uint32Array | Float64Array, total: number, q: number): number | null {
  if (total <= 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i]!;
    if (seen >= rank) return sketchValue(i);
  }
  return sketchValue(counts.length - 1);
}

export class SecondCounts {
  private base = 0;
  private data: Float64Array = new Float64Array(0);

  add(sec: number, v: number): void {
    let i = sec - this.base;
    if (i < 0 || i >= this.data.length) {
      this.grow(sec);
      i = sec - this.base;
    }
    this.data[i] += v;
  }

  get(sec: number): number {
    const i = sec - this.base;
    return i >= 0 && i < this.data.length ? this.data[i]! : 0;
  }

  forEach(fn: (sec: number, v: number) => void): void {
    for (let i = 0; i < this.data.length; i++) if (this.data[i] !== 0) fn(this.base + i, this.data[i]!);
  }

  addAll(other: SecondCounts): void {
    other.forEach((s, v) => this.add(s, v));
  }

  /** Plain data for a worker boundary (structured clone). */
  snapshot(): { base: number; data: Float64Array } {
    return { base: this.base, data: this.data };
  }

  static fromSnapshot(snap: { base: number; data: Float64Array }): SecondCounts {
    const c = new SecondCounts();
    c.base = snap.base;
    c.data = snap.data;
    return c;
  }

  private grow(sec: number): void {
    if (this.data.length === 0) {
      this.base = sec;
      this.data = new Float64Array(64);
      return;
    }
    const lo = Math.min(this.base, sec);
    const hi = Math.max(this.base + this.data.length - 1, sec);
    // Grow by doubling towards the side that overflowed, so appends stay amortised O(1).
    const need = hi - lo + 1;
    const size = Math.max(need, this.data.length * 2);
    const newBase = sec < this.base ? hi - size + 1 : lo;
    const next = new Float64Array(size);
    next.set(this.data, this.base - newBase);
    this.base = newBase;
    this.data = next;
  }
}

/** A compacted second: (bucket, count) pairs interleaved in one array (one backing store). */
type Closed = Uint32Array;

/** Dense arrays of compacted seconds are recycled: no steady stream of 4 KiB backing stores for the GC. */
const POOL_MAX = 16;

export class SecondSketches {
  private readonly open = new Map<number, Uint32Array>();
  private readonly closed = new Map<number, Closed>();
  private readonly pool: Uint32Array[] = [];
  private maxSec = -Infinity;
  private lastSec = NaN;
  private lastDense: Uint32Array | undefined;

  add(sec: number, ms: number, count = 1): void {
    let d: Uint32Array | undefined;
    if (sec === this.lastSec) d = this.lastDense;
    else {
      d = this.open.get(sec);
      if (d === undefined) d = this.reopen(sec);
      this.lastSec = sec;
      this.lastDense = d;
      if (sec > this.maxSec) {
        this.maxSec = sec;
        if (this.open.size > OPEN_WINDOW) this.compact();
      }
    }
    d![sketchBucket(ms)] += count;
  }

  /** Adds second `sec`'s counts into `acc` (dense, SKETCH_BUCKETS long); returns the count added. */
  addInto(sec: number, acc: Float64Array): number {
    const d = this.open.get(sec);
    let total = 0;
    if (d !== undefined) {
      for (let i = 0; i < d.length; i++) {
        const c = d[i]!;
        if (c !== 0) {
          acc[i] += c;
          total += c;
        }
      }
      return total;
    }
    const c = this.closed.get(sec);
    if (c === undefined) return 0;
    for (let k = 0; k < c.length; k += 2) {
      acc[c[k]!] += c[k + 1]!;
      total += c[k + 1]!;
    }
    return total;
  }

  /**
   * Adds every second of `other` (merging the workers' stores after a parallel read): compacted seconds merge as
   * sorted (bucket, count) lists, without expanding either side to dense arrays.
   */
  addAll(other: SecondSketches): void {
    for (const [sec, d] of other.open) {
      const mine = this.open.get(sec) ?? this.reopen(sec);
      for (let i = 0; i < d.length; i++) if (d[i] !== 0) mine[i] += d[i]!;
      if (sec > this.maxSec) this.maxSec = sec;
    }
    for (const [sec, c] of other.closed) {
      const dense = this.open.get(sec);
      if (dense !== undefined) for (let k = 0; k < c.length; k += 2) dense[c[k]!] += c[k + 1]!;
      else {
        const mine = this.closed.get(sec);
        this.closed.set(sec, mine === undefined ? c.slice() : mergePairs(mine, c));
      }
      if (sec > this.maxSec) this.maxSec = sec;
    }
    this.lastSec = NaN;
    if (this.open.size > OPEN_WINDOW) this.compact();
  }

  /** Every second as (bucket, count) pairs: plain data for a worker boundary (structured clone). */
  snapshot(): Array<[number, Uint32Array]> {
    this.maxSec = Infinity;
    this.compact();
    this.maxSec = -Infinity;
    let max = -Infinity;
    for (const sec of this.closed.keys()) if (sec > max) max = sec;
    this.maxSec = max;
    return [...this.closed.entries()];
  }

  static fromSnapshot(seconds: Array<[number, Uint32Array]>): SecondSketches {
    const s = new SecondSketches();
    for (const [sec, pairs] of seconds) {
      s.closed.set(sec, pairs);
      if (sec > s.maxSec) s.maxSec = sec;
    }
    return s;
  }

  private reopen(sec: number): Uint32Array {
    const d = this.pool.pop() ?? new Uint32Array(SKETCH_BUCKETS);
    const c = this.closed.get(sec);
    if (c !== undefined) {
      for (let k = 0; k < c.length; k += 2) d[c[k]!] = c[k + 1]!;
      this.closed.delete(sec);
    }
    this.open.set(sec, d);
    return d;
  }

  private compact(): void {
    const limit = this.maxSec - OPEN_WINDOW;
    for (const [sec, d] of this.open) {
      if (sec > limit) continue;
      let n = 0;
      for (let i = 0; i < d.length; i++) if (d[i] !== 0) n++;
      const c = new Uint32Array(2 * n);
      let k = 0;
      for (let i = 0; i < d.length; i++) {
        if (d[i] !== 0) {
          c[k++] = i;
          c[k++] = d[i]!;
          d[i] = 0;
        }
      }
      this.closed.set(sec, c);
      this.open.delete(sec);
      if (this.pool.length < POOL_MAX) this.pool.push(d);
      if (sec === this.lastSec) this.lastSec = NaN;
    }
  }
}

/** Two compacted seconds (ascending bucket, count pairs) as one. */
function mergePairs(a: Closed, b: Closed): Closed {
  const out = new Uint32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) {
      out[k++] = a[i]!;
      out[k++] = a[i + 1]!;
      i += 2;
    } else if (i >= a.length || b[j]! < a[i]!) {
      out[k++] = b[j]!;
      out[k++] = b[j + 1]!;
      j += 2;
    } else {
      out[k++] = a[i]!;
      out[k++] = a[i + 1]! + b[j + 1]!;
      i += 2;
      j += 2;
    }
  }
  return k === out.length ? out : out.slice(0, k);
}
