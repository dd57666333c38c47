import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../lib/fixtures/index.js';
import { normalQuantile, normalUpper } from '../../lib/verdict/stats/normal.js';
import { newcombeDifference, wilsonBounds, wilsonInterval } from '../../lib/verdict/stats/proportions.js';
import { bucketMedian, bucketQuantile, hodgesLehmann, mannWhitney, type Buckets } from '../../lib/verdict/stats/ranks.js';

/** Raw values to (value, count) buckets. */
function bucketsOf(values: readonly number[]): Buckets {
  const m = new Map<number, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].sort((a, b) => a[0] - b[0]);
}

/** Brute force: every pairwise difference y − x, sorted. */
function differences(x: readonly number[], y: readonly number[]): number[] {
  const d: number[] = [];
  for (const a of x) for (const b of y) d.push(b - a);
  return d.sort((p, q) => p - q);
}

/** Brute force: U of y by counting pairs, and Var U as the permutation variance of the midrank sum. */
function bruteMannWhitney(x: readonly number[], y: readonly number[]): { u: number; variance: number } {
  let u = 0;
  for (const a of x) for (const b of y) u += b > a ? 1 : b === a ? 0.5 : 0;
  const all = [...x, ...y].sort((p, q) => p - q);
  const rank = (v: number) => {
    const first = all.indexOf(v);
    const last = all.lastIndexOf(v);
    return (first + last) / 2 + 1;
  };
  const n = all.length;
  const mean = (n + 1) / 2;
  const ss = all.reduce((s, v) => s + (rank(v) - mean) ** 2, 0);
  // Var of a sample-of-size-m rank sum drawn without replacement from N midranks = m(N−m)/(N(N−1)) · Σ(r − r̄)²; U = R − m(m+1)/2.
  return { u, variance: ((x.length * y.length) / (n * (n - 1))) * ss };
}

function draw(random: () => number, n: number, median: number, scale = 1): number[] {
  return Array.from({ length: n }, () => Math.round(median * scale * Math.exp(0.4 * (random() + random() + random() - 1.5))));
}

describe('normal distribution', () => {
  it('quantiles match the tables (AS 241)', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.995)).toBeCloseTo(2.5758293035489, 12);
    expect(normalQuantile(0.98)).toBeCloseTo(2.0537489106318225, 12);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 12);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 9);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });

  it('the upper tail matches the tables and inverts the quantile', () => {
    expect(normalUpper(1.959963984540054)).toBeCloseTo(0.025, 7);
    expect(normalUpper(-1)).toBeCloseTo(0.8413447460685429, 6);
    expect(normalUpper(5) / 2.866515718791939e-7).toBeCloseTo(1, 5);
    for (const p of [0.2, 0.05, 0.005, 1e-6]) expect(normalUpper(normalQuantile(1 - p)) / p).toBeCloseTo(1, 5);
  });
});

describe('Wilson score interval', () => {
  it("matches Newcombe's (1998) worked examples at 95%", () => {
    const r = (k: number, n: number) => {
      const w = wilsonInterval(k, n);
      return [Number(w.lower.toFixed(4)), Number(w.upper.toFixed(4))];
    };
    expect(r(81, 263)).toEqual([0.2553, 0.3662]);
    expect(r(15, 148)).toEqual([0.0624, 0.1605]);
    expect(r(0, 20)).toEqual([0, 0.1611]);
    expect(r(1, 29)).toEqual([0.0061, 0.1718]);
  });

  it('never collapses at 0 or n, and is [0, 1] with no observations', () => {
    expect(wilsonInterval(0, 3000).upper).toBeCloseTo(0.00128, 5);
    expect(wilsonInterval(29, 29).upper).toBe(1);
    expect(wilsonBounds(0, 0, 2)).toEqual({ lower: 0, upper: 1 });
  });
});

describe("Newcombe's hybrid score interval for a difference", () => {
  it('matches the published examples (Newcombe 1998, method 10) at 95%', () => {
    const z = normalQuantile(0.975);
    const r = (a: number, b: number, c: number, d: number) => {
      const x = newcombeDifference(a, b, c, d, z);
      return [Number(x.lower.toFixed(4)), Number(x.upper.toFixed(4))];
    };
    expect(r(56, 70, 48, 80)).toEqual([0.0524, 0.3339]);
    expect(r(9, 10, 3, 10)).toEqual([0.1705, 0.809]);
    expect(r(5, 56, 0, 29)).toEqual([-0.0381, 0.1926]);
    expect(r(0, 10, 0, 20)).toEqual([-0.1611, 0.2775]);
    expect(r(0, 10, 0, 10)).toEqual([-0.2775, 0.2775]);
    expect(r(10, 10, 0, 20)).toEqual([0.6791, 1]);
    expect(r(10, 10, 0, 10)).toEqual([0.6075, 1]);
  });

  it('its p-value is the one-sided level at which the lower bound reaches 0', () => {
    const x = newcombeDifference(56, 70, 48, 80, 1.96);
    expect(newcombeDifference(56, 70, 48, 80, normalQuantile(1 - x.p)).lower).toBeCloseTo(0, 8);
    expect(newcombeDifference(48, 80, 56, 70, 1.96).p).toBeCloseTo(1 - x.p, 8);
    expect(newcombeDifference(3, 100, 3, 100, 1.96).p).toBe(0.5);
  });
});

describe('Mann-Whitney U on buckets', () => {
  it('a hand-worked example with ties: x = 1 2 2 3, y = 2 3 3 4', () => {
    // Pairs y > x: y=2 beats 1 (1, plus two ties: +1); y=3 (twice) beats 1 2 2 (3, plus one tie: +0.5) = 3.5 each; y=4 beats all 4.
    // U = 2 + 3.5 + 3.5 + 4 = 13. Ties: 2 (×3), 3 (×3): Σ(t³ − t) = 48. Var = 16/12 · (9 − 48/56) = 10.857.
    const r = mannWhitney(bucketsOf([1, 2, 2, 3]), bucketsOf([2, 3, 3, 4]));
    expect(r.u).toBe(13);
    expect(r.sd ** 2).toBeCloseTo((16 / 12) * (9 - 48 / 56), 12);
    expect(r.z).toBeCloseTo((13 - 8 - 0.5) / Math.sqrt((16 / 12) * (9 - 48 / 56)), 12);
    expect(r.p).toBeCloseTo(normalUpper(r.z), 12);
  });

  it('equals brute force (pair counts, midrank permutation variance) on samples full of ties', () => {
    const random = seededRandom(3);
    for (let t = 0; t < 20; t++) {
      const x = draw(random, 20 + t * 7, 18);
      const y = draw(random, 25 + t * 5, 18, 1 + t / 40);
      const want = bruteMannWhitney(x, y);
      const got = mannWhitney(bucketsOf(x), bucketsOf(y));
      expect(got.u).toBe(want.u);
      expect(got.sd ** 2).toBeCloseTo(want.variance, 6);
    }
  });

  it('all values tied: U cannot move, p = 1; bucket order does not matter', () => {
    expect(mannWhitney([[5, 30]], [[5, 40]]).p).toBe(1);
    const a = mannWhitney(
      [
        [3, 10],
        [1, 10],
      ],
      [[2, 20]],
    );
    expect(a.u).toBe(200);
  });
});

describe('Hodges-Lehmann shift and Moses bounds on buckets', () => {
  it('equal brute-force order statistics of the pairwise differences', () => {
    const random = seededRandom(11);
    const z = normalQuantile(0.995);
    for (let t = 0; t < 20; t++) {
      const x = draw(random, 20 + t * 3, 30);
      const y = draw(random, 21 + t * 4, 30, 1.2);
      const d = differences(x, y);
      const total = d.length;
      const median = total % 2 ? d[(total - 1) / 2]! : (d[total / 2 - 1]! + d[total / 2]!) / 2;
      const { sd } = mannWhitney(bucketsOf(x), bucketsOf(y));
      const c = Math.floor(total / 2 - 0.5 - z * sd) + 1;
      const got = hodgesLehmann(bucketsOf(x), bucketsOf(y), z);
      expect(got.estimate).toBeCloseTo(median, 9);
      expect(got.lower).toBeCloseTo(d[c - 1]!, 9);
      expect(got.upper).toBeCloseTo(d[total - c]!, 9);
    }
  });

  it('recovers a known shift: y = x + 7 exactly gives 7, inside its bounds', () => {
    const x = Array.from({ length: 40 }, (_, i) => 10 + ((i * 37) % 23));
    const r = hodgesLehmann(bucketsOf(x), bucketsOf(x.map((v) => v + 7)), 2);
    expect(r.estimate).toBe(7);
    expect(r.lower).toBeLessThan(7);
    expect(r.upper).toBeGreaterThan(7);
  });

  it('works on fractional HDR-like values and large counts in bounded time', () => {
    const x: Array<[number, number]> = [];
    const y: Array<[number, number]> = [];
    for (let i = 0; i < 2000; i++) {
      x.push([10 + i * 0.013, 50]);
      y.push([11 + i * 0.013, 50]);
    }
    const r = hodgesLehmann(x, y, normalQuantile(0.995));
    expect(r.estimate).toBeCloseTo(1, 2);
  });

  it('median and quantiles of buckets', () => {
    const b = bucketsOf([1, 2, 2, 3, 10]);
    expect(bucketMedian(b)).toBe(2);
    expect(bucketQuantile(b, 0.95)).toBe(10);
    expect(bucketMedian([])).toBeNaN();
  });
});
