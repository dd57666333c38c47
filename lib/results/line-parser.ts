/**
 * Parses one k6 NDJSON line without JSON.parse on the hot path.
 *
 * k6 writes Go-encoded JSON in two fixed shapes (older/newer versions order keys differently):
 *   A: {"type":"Point","data":{"time":"…","value":1.5,"tags":{…}},"metric":"name"}
 *   B: {"metric":"name","type":"Point","data":{"time":"…","value":1.5,"tags":{…}}}
 * The fast path walks those shapes with indexOf and short compares on offsets into the chunk string,
 * and only slices the values of kept tag keys of a tag object it has not seen recently. Anything
 * else (Metric lines, `metadata`, unexpected key order, non-string tags) goes to the slow path,
 * which is a plain JSON.parse, so odd but valid lines are still read correctly.
 */

export const LINE_BLANK = 0;
export const LINE_POINT = 1;
export const LINE_METRIC = 2;
export const LINE_MALFORMED = 3;
export type LineKind = typeof LINE_BLANK | typeof LINE_POINT | typeof LINE_METRIC | typeof LINE_MALFORMED;

const PREFIX_A = '{"type":"Point","data":{"time":"';
const PREFIX_B = '{"metric":"';
/** PREFIX_A + YYYY-MM-DDTHH:MM:SS */
const HEAD_LEN = PREFIX_A.length + 19;
const AFTER_B = '","type":"Point","data":{"time":"';
const VALUE = '","value":';
const TAGS = '"tags":';
const METRIC_A = '},"metric":"';
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const BRACE_CLOSE = 125;
const DOT = 46;
/** 10^(3-n): turns n fraction digits into ms. */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
const FRACTION_SCALE = [1, 100, 10, 1, 0.1, 0.01, 0.001, 1e-4, 1e-5, 1e-6];

/** Maps the values of the kept tag keys (by index; undefined = tag absent) to a stable small integer. */
export type InternTags = (vals: ReadonlyArray<string | undefined>) => number;

/**
 * Slots of the tag cache (a power of two). k6 writes a request's ~10 samples with identical tags in
 * a row, and iterations cycle through a few tag sets (checks, per-scenario samples): all stay cached.
 */
const TAG_SLOTS = 256;

/** Cache slot of the tag object text s[p, p + len) (len > 0): its length and a few characters. */
function tagSlot(s: string, p: number, len: number): number {
  const h =
    len * 31 +
    s.charCodeAt(p + (len >> 1)) * 7 +
    s.charCodeAt(p + (len >> 2)) * 13 +
    s.charCodeAt(p + len - 1 - (len >> 2)) * 17 +
    s.charCodeAt(p + len - 3 + (len < 3 ? 2 : 0)) * 3;
  return h & (TAG_SLOTS - 1);
}

export class LineParser {
  /**
   * Set by parse() for LINE_POINT and LINE_METRIC: the metric name is metricSrc[metricA, metricB),
   * so the hot path can look it up without allocating a string.
   */
  metricSrc = '';
  metricA = 0;
  metricB = 0;
  value = 0;
  timeMs = 0;
  /** Interned id of the kept tag values (see InternTags). */
  tags = 0;
  /** Set by parse() for LINE_METRIC: the declared k6 metric type (unvalidated). */
  metricType = '';

  private readonly intern: InternTags;
  private readonly vals: Array<string | undefined>;
  /** Tag cache, direct-mapped by tagSlot(): raw tag object text and its interned id. */
  private readonly cacheRaw = new Array<string | undefined>(TAG_SLOTS).fill(undefined);
  private readonly cacheId = new Array<number>(TAG_SLOTS).fill(0);

  private readonly keys: readonly string[];
  /** keysByLength[len] = indices of kept keys of that length (fast key match without slicing). */
  private readonly keysByLength: number[][] = [];
  private chunk = '';
  private nextBackslash = -1;
  private lastPrefix = '';
  private lastZone = '';
  private lastBase = 0;
  /** PREFIX_A + the first 19 time characters of the last shape-A line whose time parsed. */
  private lastHead = '\0';

  constructor(keys: readonly string[], intern: InternTags) {
    this.keys = keys;
    this.intern = intern;
    this.vals = new Array<string | undefined>(keys.length).fill(undefined);
    keys.forEach((k, i) => (this.keysByLength[k.length] ??= []).push(i));
  }

  /** Must be called before parsing lines of a new chunk string. */
  beginChunk(text: string): void {
    this.chunk = text;
    this.nextBackslash = -1;
  }

  /** The metric name of the last parsed line. */
  get metric(): string {
    return this.metricSrc.slice(this.metricA, this.metricB);
  }

  private setMetric(src: string, a: number, b: number, escaped: boolean): void {
    if (escaped && src.slice(a, b).indexOf('\\') !== -1) {
      const name = unescapeSlice(src, a, b, true);
      this.metricSrc = name;
      this.metricA = 0;
      this.metricB = name.length;
    } else {
      this.metricSrc = src;
      this.metricA = a;
      this.metricB = b;
    }
  }

  /** Parses text[a, e) (no newline). */
  parse(s: string, a: number, e: number): LineKind {
    if (a >= e) return LINE_BLANK;
    if (s !== this.chunk) this.beginChunk(s);
    // Does the line contain a backslash (an escape)? Tracked per chunk so the scan stays linear.
    let bs = this.nextBackslash;
    if (bs !== Infinity && bs < a) {
      bs = s.indexOf('\\', a);
      if (bs === -1) bs = Infinity;
      this.nextBackslash = bs;
    }
    const escaped = bs < e;
    const r = this.fast(s, a, e, escaped);
    if (r !== LINE_MALFORMED) return r;
    return this.slow(s.slice(a, e));
  }

  private fast(s: string, a: number, e: number, escaped: boolean): LineKind {
    let p: number;
    let shapeA: boolean;
    // Lines of the same second share their first HEAD_LEN characters (shape A prefix + time up to
    // the second): one compare checks both.
    let sameSecond = false;
    const head = s.slice(a, a + HEAD_LEN);
    if (head === this.lastHead) {
      shapeA = true;
      sameSecond = true;
      p = a + PREFIX_A.length;
    } else if (textAt(head, 0, PREFIX_A)) {
      shapeA = true;
      p = a + PREFIX_A.length;
    } else if (textAt(s, a, PREFIX_B)) {
      shapeA = false;
      const ms = a + PREFIX_B.length;
      const me = stringEnd(s, ms, escaped);
      if (me < 0 || me >= e || !textAt(s, me, AFTER_B)) return LINE_MALFORMED;
      this.setMetric(s, ms, me, escaped);
      p = me + AFTER_B.length;
    } else {
      return LINE_MALFORMED;
    }

    const te = s.indexOf('"', p);
    if (te < 0 || te >= e) return LINE_MALFORMED;
    const t = this.parseTime(s, p, te, sameSecond);
    if (t !== t) return LINE_MALFORMED;
    if (shapeA && !sameSecond && te - p >= 20) this.lastHead = flat(head);
    if (!textAt(s, te, VALUE)) return LINE_MALFORMED;
    const vs = te + VALUE.length;
    const v = this.parseNumber(s, vs, e);
    const ve = this.numberEnd;
    if (v !== v || s.charCodeAt(ve) !== COMMA) return LINE_MALFORMED;
    if (!textAt(s, ve + 1, TAGS)) return LINE_MALFORMED;
    p = ve + 1 + TAGS.length;

    // Where the tag object must end, found from the end of the line: shape A ends with
    // `},"metric":"NAME"}` (NAME without quotes), shape B with `}}`. -1: not known.
    let tagsEnd = -1;
    let nameQuote = -1;
    if (shapeA) {
      if (s.charCodeAt(e - 1) === BRACE_CLOSE && s.charCodeAt(e - 2) === QUOTE) {
        let q = e - 3;
        while (q > p && s.charCodeAt(q) !== QUOTE) q--;
        const end = q - METRIC_A.length + 1;
        // With escapes in the line, the last quote may be escaped (a cut-off or invalid line).
        if (end > p && textAt(s, end, METRIC_A) && (!escaped || stringEnd(s, q + 1, true) === e - 2)) {
          tagsEnd = end;
          nameQuote = q;
        }
      }
    } else if (s.charCodeAt(e - 1) === BRACE_CLOSE && s.charCodeAt(e - 2) === BRACE_CLOSE) {
      tagsEnd = e - 2;
    }

    p = this.readTags(s, p, tagsEnd, e, escaped);
    if (p < 0) return LINE_MALFORMED;

    if (shapeA) {
      if (p === tagsEnd) {
        this.setMetric(s, nameQuote + 1, e - 2, escaped);
      } else {
        if (!textAt(s, p, METRIC_A)) return LINE_MALFORMED;
        const ms = p + METRIC_A.length;
        const me = stringEnd(s, ms, escaped);
        if (me !== e - 2 || s.charCodeAt(e - 1) !== BRACE_CLOSE) return LINE_MALFORMED;
        this.setMetric(s, ms, me, escaped);
      }
    } else if (p !== e - 2 || s.charCodeAt(p) !== BRACE_CLOSE || s.charCodeAt(p + 1) !== BRACE_CLOSE) {
      return LINE_MALFORMED;
    }
    this.timeMs = t;
    this.value = v;
    return LINE_POINT;
  }

  /**
   * Reads the tag object (or null) at s[p…) into this.tags; returns the index after it, -1 if it is
   * not a flat object of strings. `tagsEnd` (-1 if unknown) is where the line's shape says it ends:
   * then the tag cache slot for that length is the only candidate, and one compare decides.
   */
  private readTags(s: string, p: number, tagsEnd: number, e: number, escaped: boolean): number {
    if (tagsEnd > p) {
      const slot = tagSlot(s, p, tagsEnd - p);
      const raw = this.cacheRaw[slot];
      // The cached text was read as a whole tag object: an equal text is the same object.
      if (raw !== undefined && raw.length === tagsEnd - p && s.slice(p, tagsEnd) === raw) {
        this.tags = this.cacheId[slot]!;
        return tagsEnd;
      }
    }
    const start = p;
    const vals = this.vals;
    for (let i = 0; i < vals.length; i++) vals[i] = undefined;
    if (textAt(s, p, 'null')) {
      p += 4;
    } else if (s.charCodeAt(p) === 123 /* { */) {
      p++;
      if (s.charCodeAt(p) === BRACE_CLOSE) p++;
      else {
        for (;;) {
          if (s.charCodeAt(p) !== QUOTE) return -1;
          const ks = p + 1;
          const ke = stringEnd(s, ks, escaped);
          if (ke < 0 || ke >= e || s.charCodeAt(ke + 1) !== COLON || s.charCodeAt(ke + 2) !== QUOTE) return -1;
          const vStart = ke + 3;
          const vEnd = stringEnd(s, vStart, escaped);
          if (vEnd < 0 || vEnd >= e) return -1;
          const cands = this.keysByLength[ke - ks];
          if (cands !== undefined) {
            for (let c = 0; c < cands.length; c++) {
              const k = cands[c]!;
              if (textAt(s, ks, this.keys[k]!)) {
                vals[k] = unescapeSlice(s, vStart, vEnd, escaped);
                break;
              }
            }
          }
          const c = s.charCodeAt(vEnd + 1);
          p = vEnd + 2;
          if (c === COMMA) continue;
          if (c === BRACE_CLOSE) break;
          return -1;
        }
      }
    } else {
      return -1;
    }
    this.tags = this.cacheTags(s, start, p);
    return p;
  }

  /** Interns this.vals and remembers the raw tag object s[a, b) for the next lines. */
  private cacheTags(s: string, a: number, b: number): number {
    const id = this.intern(this.vals);
    if (b > a) {
      const slot = tagSlot(s, a, b - a);
      // A flat copy, so the cache never pins a whole chunk string.
      this.cacheRaw[slot] = flat(s.slice(a, b));
      this.cacheId[slot] = id;
    }
    return id;
  }

  private numberEnd = 0;

  /**
   * JSON number at s[p…): plain decimals with ≤ 15 digits are computed exactly (an integer below
   * 2^53 divided by an exact power of ten is correctly rounded); anything else goes to Number().
   * Sets numberEnd to the index after the number.
   */
  private parseNumber(s: string, p: number, e: number): number {
    let i = p;
    let neg = false;
    if (s.charCodeAt(i) === 45 /* - */) {
      neg = true;
      i++;
    }
    let m = 0;
    let digits = 0;
    let scale = 0;
    let c = s.charCodeAt(i);
    while (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      c = s.charCodeAt(++i);
    }
    if (c === DOT) {
      c = s.charCodeAt(++i);
      while (c >= 48 && c <= 57) {
        m = m * 10 + (c - 48);
        digits++;
        scale++;
        c = s.charCodeAt(++i);
      }
    }
    if (digits === 0 || digits > 15 || c === 101 || c === 69 /* e E */ || i > e) {
      let end = i;
      while (end < e && s.charCodeAt(end) !== COMMA) end++;
      this.numberEnd = end;
      const raw = s.slice(p, end);
      return raw.length === 0 ? NaN : Number(raw);
    }
    this.numberEnd = i;
    const v = scale === 0 ? m : m / POW10[scale]!;
    return neg ? -v : v;
  }

  /** Any valid JSON line, any key order. */
  private slow(line: string): LineKind {
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      return LINE_MALFORMED;
    }
    if (typeof o !== 'object' || o === null) return LINE_MALFORMED;
    const obj = o as { type?: unknown; metric?: unknown; data?: unknown };
    const data = obj.data as Record<string, unknown> | null | undefined;
    if (typeof data !== 'object' || data === null) return LINE_MALFORMED;
    if (obj.type === 'Metric') {
      const name = typeof data.name === 'string' ? data.name : obj.metric;
      if (typeof name !== 'string' || typeof data.type !== 'string') return LINE_MALFORMED;
      this.metricSrc = name;
      this.metricA = 0;
      this.metricB = name.length;
      this.metricType = data.type;
      return LINE_METRIC;
    }
    if (obj.type !== 'Point' || typeof obj.metric !== 'string') return LINE_MALFORMED;
    const { time, value, tags } = data;
    if (typeof time !== 'string' || typeof value !== 'number') return LINE_MALFORMED;
    const t = this.parseTime(time, 0, time.length);
    if (t !== t) return LINE_MALFORMED;
    const vals = this.vals;
    for (let i = 0; i < vals.length; i++) vals[i] = undefined;
    if (tags !== null && tags !== undefined) {
      if (typeof tags !== 'object') return LINE_MALFORMED;
      const tagObj = tags as Record<string, unknown>;
      for (let i = 0; i < this.keys.length; i++) {
        const tv = tagObj[this.keys[i]!];
        if (tv !== undefined && tv !== null) vals[i] = typeof tv === 'string' ? tv : JSON.stringify(tv);
      }
    }
    this.tags = this.intern(vals);
    this.metricSrc = obj.metric;
    this.metricA = 0;
    this.metricB = obj.metric.length;
    this.value = value;
    this.timeMs = t;
    return LINE_POINT;
  }

  /**
   * RFC 3339 time in s[p, te): YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm) → epoch ms (NaN if invalid).
   * The whole-second part is cached: consecutive lines almost always share it.
   */
  private parseTime(s: string, p: number, te: number, sameSecond = false): number {
    if (te - p < 20) return NaN;
    let z = p + 19;
    let frac = 0;
    if (s.charCodeAt(z) === DOT) {
      z++;
      let n = 0;
      for (;;) {
        const d = s.charCodeAt(z) - 48;
        if (d < 0 || d > 9 || z >= te) break;
        if (n < 9) {
          frac = frac * 10 + d;
          n++;
        }
        z++;
      }
      frac *= FRACTION_SCALE[n]!;
    }
    const zoneLen = te - z;
    if (zoneLen === this.lastZone.length && zoneLen > 0 && (sameSecond || textAt(s, p, this.lastPrefix)) && textAt(s, z, this.lastZone)) {
      return this.lastBase + frac;
    }
    const prefix = s.slice(p, p + 19);
    const zone = s.slice(z, te);
    if (zone !== 'Z' && !/^[+-]\d\d:\d\d$/.test(zone)) return NaN;
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(prefix)) return NaN;
    const base = Date.parse(prefix + zone);
    if (base !== base) return NaN;
    this.lastPrefix = prefix;
    this.lastHead = '\0'; // the caller re-arms it for shape A lines
    this.lastZone = zone;
    this.lastBase = base;
    return base + frac;
  }
}

/**
 * s[i, i + lit.length) === lit. A slice and === is several times faster than startsWith (or a
 * charCodeAt loop) in V8 here: ~12 ns against ~50 ns per call, and the hot path makes several.
 */
function textAt(s: string, i: number, lit: string): boolean {
  return s.slice(i, i + lit.length) === lit;
}

/** Index of the closing quote of a JSON string whose content starts at `from`; -1 if none. */
function stringEnd(s: string, from: number, escaped: boolean): number {
  let q = s.indexOf('"', from);
  if (!escaped) return q;
  while (q > 0) {
    let n = 0;
    for (let i = q - 1; i >= from && s.charCodeAt(i) === BACKSLASH; i--) n++;
    if ((n & 1) === 0) return q;
    q = s.indexOf('"', q + 1);
  }
  return q;
}

function unescapeSlice(s: string, a: number, b: number, escaped: boolean): string {
  const raw = s.slice(a, b);
  if (!escaped || raw.indexOf('\\') === -1) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/** Forces a flat (non-sliced) copy of a short string. */
function flat(str: string): string {
  return (' ' + str).slice(1);
}
