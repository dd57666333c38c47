/**
 * How AWS decides a wildcard rule is "too complex" (InvalidEventPatternException at PutRule).
 *
 * AWS's matcher (event-ruler) runs all wildcard values of one field as one byte machine and scores
 * it by the worst case: the most wildcard-pattern states a single input string can keep active at
 * once, each state weighted by how many distinct patterns share it. AWS documents the limit only as
 * "too complex" (eb-create-pattern-operators, "Wildcards and event pattern complexity"); the
 * threshold below reproduces observed AWS verdicts: three `*:stack/<name>/*` values on one field
 * are accepted, four are rejected.
 *
 * The machine: literal characters before the first `*` form a trie shared by every pattern with the
 * same beginning (so is the first star state); after a `*` every pattern keeps its own states. A star
 * state is entered on any character and loops on any character; the literal after a star can also
 * be reached straight from the state before the star (a star matches the empty string).
 */

/** Scores above this are rejected, as AWS does. */
export const WILDCARD_COMPLEXITY_LIMIT = 10;

/** Bounds the worst-case search; patterns are at most 4096 characters, real ones explore a few hundred sets. */
const MAX_EXPLORED_SETS = 20_000;

interface State {
  /** Distinct patterns passing through this state. */
  weight: Set<string>;
  /** Successors on one literal character. */
  literal: Map<string, number[]>;
  /** Successor on any character (a star state, or the star after this state). */
  any: number | undefined;
}

type Token = { star: true } | { star: false; char: string };

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') tokens.push({ star: false, char: pattern[++i] ?? '\\' });
    else if (c === '*') tokens.push({ star: true });
    else tokens.push({ star: false, char: c });
  }
  return tokens;
}

/**
 * The worst-case score of one field's wildcard values; returns early with a value above the limit
 * as soon as one input exceeds it.
 */
export function wildcardComplexity(patterns: readonly string[]): number {
  const states: State[] = [{ weight: new Set(), literal: new Map(), any: undefined }];
  const add = (): number => states.push({ weight: new Set(), literal: new Map(), any: undefined }) - 1;
  const shared = new Map<string, number>();
  const alphabet = new Set<string>();
  const link = (from: number, char: string, to: number): void => {
    const list = states[from].literal.get(char) ?? [];
    if (!list.includes(to)) list.push(to);
    states[from].literal.set(char, list);
  };

  for (const pattern of new Set(patterns)) {
    const tokens = tokenize(pattern);
    let current = 0;
    let beforeStar: number | undefined; // the state a star was entered from, while on that star
    let determinate = true;
    let prefix = '';
    for (const token of tokens) {
      let next: number;
      if (token.star) {
        if (determinate) {
          const key = `${prefix}*`;
          next = shared.get(key) ?? add();
          shared.set(key, next);
        } else {
          next = add();
        }
        states[current].any = next;
        states[next].any = next;
        determinate = false;
        beforeStar = current;
      } else {
        alphabet.add(token.char);
        if (determinate) {
          prefix += token.char;
          next = shared.get(prefix) ?? add();
          shared.set(prefix, next);
        } else {
          next = add();
        }
        link(current, token.char, next);
        if (beforeStar !== undefined) link(beforeStar, token.char, next);
        beforeStar = undefined;
      }
      states[next].weight.add(pattern);
      current = next;
    }
  }
  if (states.length === 1) return 0;

  const OTHER = '\u0000other';
  const symbols = [OTHER, ...alphabet];
  const seen = new Set<string>();
  const pending: number[][] = [[0]];
  let worst = 0;
  while (pending.length > 0 && seen.size < MAX_EXPLORED_SETS) {
    const active = pending.pop()!;
    for (const symbol of symbols) {
      const next = new Set<number>();
      for (const id of active) {
        const s = states[id];
        if (s.any !== undefined) next.add(s.any);
        if (symbol !== OTHER) for (const to of s.literal.get(symbol) ?? []) next.add(to);
      }
      if (next.size === 0) continue;
      let score = 0;
      for (const id of next) {
        score += states[id].weight.size;
        const star = states[id].any;
        if (star !== undefined && !next.has(star)) score += states[star].weight.size;
      }
      if (score > WILDCARD_COMPLEXITY_LIMIT) return score;
      worst = Math.max(worst, score);
      const sorted = [...next].sort((a, b) => a - b);
      const key = sorted.join(',');
      if (!seen.has(key)) {
        seen.add(key);
        pending.push(sorted);
      }
    }
  }
  return worst;
}
