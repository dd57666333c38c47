/**
 * The EventBridge event-pattern language: {@link parsePattern} validates a pattern once (rules
 * parse theirs at PutRule), {@link matchesPattern} tests an event against it.
 *
 * Semantics follow AWS's "event patterns" and "content filtering" pages:
 * - fields AND together, the values in a leaf array OR together, `$or` picks one of several sub-patterns;
 * - an event field holding an array matches when any element does (arrays of objects: one element must
 *   match the whole sub-pattern);
 * - numbers compare by value; `numeric` matches numbers only; prefix/suffix/equals-ignore-case/wildcard
 *   match strings only;
 * - `exists` looks at leaf values only (a field holding an object has no leaf there);
 * - `anything-but` never matches a missing field, but does match `null`; inside it, `prefix`, `suffix`,
 *   `wildcard` and `equals-ignore-case` take one string or a list, and an empty prefix/suffix is rejected;
 * - keys are joined with "." as AWS compiles them: a dotted pattern key is a nested path, and an event
 *   key containing dots is seen nested as well;
 * - wildcard values AWS would call too complex are rejected (see wildcard-complexity.ts).
 */
import { InvalidEventPatternError } from './errors.js';
import { cidrContains, parseCidr, type CidrBlock } from './ip-address.js';
import { WILDCARD_COMPLEXITY_LIMIT, wildcardComplexity } from './wildcard-complexity.js';

type Scalar = string | number | boolean | null;

type StringTest =
  | { kind: 'prefix'; value: string; ignoreCase: boolean }
  | { kind: 'suffix'; value: string; ignoreCase: boolean }
  | { kind: 'equals-ignore-case'; value: string }
  | { kind: 'wildcard'; regex: RegExp; source: string };

type Matcher =
  | { kind: 'exact'; value: Scalar }
  | StringTest
  | { kind: 'anything-but-values'; values: Scalar[] }
  | { kind: 'anything-but-string'; tests: StringTest[] }
  | { kind: 'numeric'; bounds: Array<{ op: NumericOp; value: number }> }
  | { kind: 'exists'; value: boolean }
  | { kind: 'cidr'; block: CidrBlock };

type NumericOp = '<' | '<=' | '=' | '>' | '>=';

type FieldCondition = { kind: 'leaf'; matchers: Matcher[] } | { kind: 'object'; node: PatternNode };

interface PatternNode {
  fields: Array<[string, FieldCondition]>;
  /** Each entry is one `$or`: at least one alternative must match. */
  or: PatternNode[][];
}

/** A validated pattern; build it with {@link parsePattern}. */
export class ParsedPattern {
  /** @internal */
  constructor(
    readonly root: PatternNode,
    readonly source: string,
  ) {}
}

const NUMERIC_LIMIT = 5e9;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(reason: string): never {
  throw new InvalidEventPatternError(reason);
}

/**
 * Validates an event pattern (JSON text or an already-parsed object).
 * @throws InvalidEventPatternError (code `InvalidEventPatternException`) naming what is wrong.
 */
export function parsePattern(pattern: string | object): ParsedPattern {
  let value: unknown = pattern;
  let source: string;
  if (typeof pattern === 'string') {
    source = pattern;
    try {
      value = JSON.parse(pattern);
    } catch (err) {
      fail(`Filter is not valid JSON: ${(err as Error).message}`);
    }
  } else {
    source = JSON.stringify(pattern);
  }
  if (!isPlainObject(value)) fail('Filter is not an object');
  const root = parseNode(value, '');
  for (const patterns of wildcardsByField(root, '', new Map()).values()) {
    if (wildcardComplexity(patterns) > WILDCARD_COMPLEXITY_LIMIT) {
      fail('Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character');
    }
  }
  return new ParsedPattern(root, source);
}

/** Every field's wildcard values (plain and anything-but), `$or` alternatives included: AWS scores them as one machine per field. */
function wildcardsByField(node: PatternNode, path: string, out: Map<string, string[]>): Map<string, string[]> {
  for (const [key, cond] of node.fields) {
    const here = path ? `${path}.${key}` : key;
    if (cond.kind === 'object') {
      wildcardsByField(cond.node, here, out);
      continue;
    }
    for (const m of cond.matchers) {
      const tests = m.kind === 'wildcard' ? [m] : m.kind === 'anything-but-string' ? m.tests : [];
      for (const t of tests) if (t.kind === 'wildcard') out.set(here, [...(out.get(here) ?? []), t.source]);
    }
  }
  for (const alternatives of node.or) for (const alt of alternatives) wildcardsByField(alt, path, out);
  return out;
}

function parseNode(obj: Record<string, unknown>, path: string): PatternNode {
  const keys = Object.keys(obj);
  if (keys.length === 0) fail(`Empty objects are not allowed${path ? ` at ${path}` : ''}`);
  const node: PatternNode = { fields: [], or: [] };
  for (const key of keys) {
    const value = obj[key];
    const here = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) fail(`"$or" at ${path || 'top level'} must be an array of at least 2 objects`);
      node.or.push(
        value.map((alt, i) => {
          if (!isPlainObject(alt)) fail(`"$or" alternative ${i} at ${path || 'top level'} must be an object`);
          return parseNode(alt, path);
        }),
      );
    } else {
      let cond: FieldCondition;
      if (Array.isArray(value)) {
        if (value.length === 0) fail(`Empty arrays are not allowed (field "${here}")`);
        cond = { kind: 'leaf', matchers: value.map((v) => parseMatcher(v, here)) };
      } else if (isPlainObject(value)) {
        cond = { kind: 'object', node: parseNode(value, here) };
      } else {
        fail(`Match value must be an array or an object, got ${JSON.stringify(value)} (field "${here}")`);
      }
      // AWS joins keys with "." when it compiles a pattern: {"a.b": [1]} is the same rule as {"a": {"b": [1]}}.
      const segments = key.split('.');
      for (let i = segments.length - 1; i > 0; i--) cond = { kind: 'object', node: { fields: [[segments[i], cond]], or: [] } };
      node.fields.push([segments[0], cond]);
    }
  }
  return node;
}

function parseMatcher(v: unknown, field: string): Matcher {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return { kind: 'exact', value: v };
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) fail(`Non-finite number in field "${field}"`);
    return { kind: 'exact', value: v };
  }
  if (Array.isArray(v)) fail(`Nested arrays are not allowed in match values (field "${field}")`);
  if (!isPlainObject(v)) fail(`Unsupported match value in field "${field}"`);
  const keys = Object.keys(v);
  if (keys.length !== 1) fail(`A match expression must have exactly one operator, got ${keys.length} (field "${field}")`);
  const op = keys[0];
  const arg = v[op];
  switch (op) {
    case 'prefix':
    case 'suffix':
      return parseAffix(op, arg, field);
    case 'equals-ignore-case':
      if (typeof arg !== 'string') fail(`equals-ignore-case match pattern must be a string (field "${field}")`);
      return { kind: 'equals-ignore-case', value: arg };
    case 'wildcard':
      return { kind: 'wildcard', regex: parseWildcard(arg, field), source: arg as string };
    case 'anything-but':
      return parseAnythingBut(arg, field);
    case 'numeric':
      return parseNumeric(arg, field);
    case 'exists':
      if (typeof arg !== 'boolean') fail(`exists match pattern must be either true or false (field "${field}")`);
      return { kind: 'exists', value: arg };
    case 'cidr': {
      const block = typeof arg === 'string' ? parseCidr(arg) : undefined;
      if (!block) fail(`Malformed CIDR, one '/' required, got ${JSON.stringify(arg)} (field "${field}")`);
      return { kind: 'cidr', block };
    }
    default:
      fail(`Unrecognized match type ${op} (field "${field}")`);
  }
}

function parseAffix(op: 'prefix' | 'suffix', arg: unknown, field: string): StringTest {
  if (typeof arg === 'string') return { kind: op, value: arg, ignoreCase: false };
  if (isPlainObject(arg)) {
    const keys = Object.keys(arg);
    const inner = arg['equals-ignore-case'];
    if (keys.length === 1 && typeof inner === 'string') return { kind: op, value: inner.toLowerCase(), ignoreCase: true };
  }
  fail(`${op} match pattern must be a string or {"equals-ignore-case": string} (field "${field}")`);
}

/** `*` matches any run of characters; `\*` and `\\` are a literal star and backslash. */
function parseWildcard(arg: unknown, field: string): RegExp {
  if (typeof arg !== 'string') fail(`wildcard match pattern must be a string (field "${field}")`);
  let re = '';
  for (let i = 0; i < arg.length; i++) {
    const c = arg[i];
    if (c === '\\') {
      const next = arg[i + 1];
      if (next !== '*' && next !== '\\') fail(`Invalid escape in wildcard pattern ${JSON.stringify(arg)} (field "${field}")`);
      re += `\\${next}`;
      i++;
    } else if (c === '*') {
      if (arg[i + 1] === '*') fail(`Consecutive wildcard characters are not allowed in ${JSON.stringify(arg)} (field "${field}")`);
      re += '[\\s\\S]*';
    } else {
      re += c.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

function parseAnythingBut(arg: unknown, field: string): Matcher {
  const scalar = (x: unknown): x is string | number => typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x));
  if (scalar(arg)) return { kind: 'anything-but-values', values: [arg] };
  if (Array.isArray(arg)) {
    if (arg.length === 0 || !arg.every(scalar)) fail(`anything-but list must be a non-empty list of strings or numbers (field "${field}")`);
    const allStrings = arg.every((x) => typeof x === 'string');
    const allNumbers = arg.every((x) => typeof x === 'number');
    if (!allStrings && !allNumbers) fail(`anything-but list must contain only strings or only numbers (field "${field}")`);
    return { kind: 'anything-but-values', values: arg };
  }
  if (isPlainObject(arg)) {
    const keys = Object.keys(arg);
    if (keys.length !== 1) fail(`anything-but expression must have exactly one operator (field "${field}")`);
    const op = keys[0];
    const inner = arg[op];
    const strings = (x: unknown, what: string): string[] => {
      const list = Array.isArray(x) ? x : [x];
      if (list.length === 0 || !list.every((s) => typeof s === 'string'))
        fail(`anything-but ${what} must be a string or a list of strings (field "${field}")`);
      return list as string[];
    };
    switch (op) {
      case 'prefix':
      case 'suffix': {
        // AWS rejects an empty prefix/suffix here: "anything but starting with nothing" matches no string.
        const values = strings(inner, op);
        if (values.some((s) => s.length === 0)) fail(`anything-but ${op} cannot be empty (field "${field}")`);
        return { kind: 'anything-but-string', tests: values.map((value) => ({ kind: op, value, ignoreCase: false })) };
      }
      case 'equals-ignore-case':
        return { kind: 'anything-but-string', tests: strings(inner, op).map((s) => ({ kind: 'equals-ignore-case', value: s })) };
      case 'wildcard':
        return {
          kind: 'anything-but-string',
          tests: strings(inner, op).map((s) => ({ kind: 'wildcard', regex: parseWildcard(s, field), source: s })),
        };
      default:
        fail(`Unsupported anything-but operator ${op} (field "${field}")`);
    }
  }
  fail(`Value of anything-but must be a string, number, list or object (field "${field}")`);
}

function parseNumeric(arg: unknown, field: string): Matcher {
  const bad: (why: string) => never = (why) => fail(`Invalid numeric expression ${JSON.stringify(arg)}: ${why} (field "${field}")`);
  if (!Array.isArray(arg) || (arg.length !== 2 && arg.length !== 4)) bad('expected [op, number] or [op, number, op, number]');
  const bounds: Array<{ op: NumericOp; value: number }> = [];
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    const value = arg[i + 1];
    if (op !== '<' && op !== '<=' && op !== '=' && op !== '>' && op !== '>=') bad(`unknown operator ${JSON.stringify(op)}`);
    if (typeof value !== 'number' || !Number.isFinite(value)) bad(`${JSON.stringify(value)} is not a number`);
    if (Math.abs(value) > NUMERIC_LIMIT) bad(`${value} is outside [-5e9, 5e9]`);
    bounds.push({ op, value });
  }
  if (bounds.length === 2) {
    const [lower, upper] = bounds;
    if (lower.op !== '>' && lower.op !== '>=') bad('a range starts with a lower bound (">" or ">=")');
    if (upper.op !== '<' && upper.op !== '<=') bad('a range ends with an upper bound ("<" or "<=")');
    if (lower.value >= upper.value) bad('the lower bound must be below the upper bound');
  }
  return { kind: 'numeric', bounds };
}

// ---------------------------------------------------------------- matching

/**
 * True when `event` (a full event envelope, or any JSON object) matches `pattern`.
 * A raw pattern is validated first and may throw InvalidEventPatternError.
 */
export function matchesPattern(pattern: ParsedPattern | string | object, event: unknown): boolean {
  const parsed = pattern instanceof ParsedPattern ? pattern : parsePattern(pattern);
  return isPlainObject(event) && matchNode(parsed.root, event);
}

function matchNode(node: PatternNode, obj: Record<string, unknown>): boolean {
  for (const [key, cond] of node.fields) {
    if (!matchField(cond, childAt(obj, key))) return false;
  }
  return node.or.every((alternatives) => alternatives.some((alt) => matchNode(alt, obj)));
}

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/**
 * The value at `key`. AWS flattens events to dotted paths too, so an event key that itself contains
 * dots ("a.b": 1) is seen as nested under "a": the view merges such keys into the object at `key`.
 */
function childAt(obj: Record<string, unknown>, key: string): unknown {
  const direct = Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
  let merged: Record<string, unknown> | undefined;
  for (const k of Object.keys(obj)) {
    if (k.length > key.length && k.startsWith(key) && k[key.length] === '.') {
      merged ??= isPlainObject(direct) ? { ...direct } : {};
      merged[k.slice(key.length + 1)] = obj[k];
    }
  }
  return merged ?? direct;
}

function matchField(cond: FieldCondition, value: unknown): boolean {
  if (cond.kind === 'object') {
    if (isPlainObject(value)) return matchNode(cond.node, value);
    if (Array.isArray(value)) {
      const objects = value.filter(isPlainObject);
      if (objects.length > 0) return objects.some((o) => matchNode(cond.node, o));
    }
    // No object here: only conditions satisfied by absence (exists:false) can hold.
    return matchNode(cond.node, EMPTY);
  }
  const leaves = leafValues(value);
  return cond.matchers.some((m) => matchLeaf(m, leaves));
}

/** The scalar values at a field: none when missing or an object, every scalar element of an array. */
function leafValues(value: unknown): Scalar[] {
  if (value === undefined || isPlainObject(value)) return [];
  if (Array.isArray(value)) return value.flatMap((v) => leafValues(v));
  return [value as Scalar];
}

function matchLeaf(m: Matcher, leaves: Scalar[]): boolean {
  if (m.kind === 'exists') return m.value === leaves.length > 0;
  return leaves.some((v) => matchValue(m, v));
}

function matchString(t: StringTest, v: string): boolean {
  switch (t.kind) {
    case 'prefix':
      return t.ignoreCase ? v.toLowerCase().startsWith(t.value) : v.startsWith(t.value);
    case 'suffix':
      return t.ignoreCase ? v.toLowerCase().endsWith(t.value) : v.endsWith(t.value);
    case 'equals-ignore-case':
      return v.toLowerCase() === t.value.toLowerCase();
    case 'wildcard':
      return t.regex.test(v);
  }
}

function matchValue(m: Exclude<Matcher, { kind: 'exists' }>, v: Scalar): boolean {
  switch (m.kind) {
    case 'exact':
      return m.value === v;
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
    case 'wildcard':
      return typeof v === 'string' && matchString(m, v);
    case 'anything-but-values':
      return !m.values.some((x) => x === v);
    case 'anything-but-string':
      return typeof v !== 'string' || !m.tests.some((t) => matchString(t, v));
    case 'numeric':
      return typeof v === 'number' && m.bounds.every((b) => compare(v, b.op, b.value));
    case 'cidr':
      return typeof v === 'string' && cidrContains(m.block, v);
  }
}

function compare(v: number, op: NumericOp, bound: number): boolean {
  switch (op) {
    case '<':
      return v < bound;
    case '<=':
      return v <= bound;
    case '=':
      return v === bound;
    case '>':
      return v > bound;
    case '>=':
      return v >= bound;
  }
}
