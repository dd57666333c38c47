/** The JSONPath subset EventBridge accepts in a target's InputPath: `$`, `$.a.b`, `$['a']`, `$.a[0]`. */
import { ValidationError } from './errors.js';

export type PathSegment = string | number;

/** Parses an InputPath; throws ValidationError when it is not a simple JSONPath. */
export function parseJsonPath(path: string): PathSegment[] {
  if (!path.startsWith('$'))
    throw new ValidationError(`InputPath ${JSON.stringify(path)} is not valid JSONPath; it must start with "$", e.g. "$.detail"`);
  const segments: PathSegment[] = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/gy;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const at = re.lastIndex;
    const m = re.exec(path);
    if (!m)
      throw new ValidationError(
        `InputPath ${JSON.stringify(path)} is not valid JSONPath near position ${at}; use forms like $.detail.a, $.resources[0] or $['detail-type']`,
      );
    if (m[1] !== undefined) segments.push(m[1]);
    else if (m[2] !== undefined) segments.push(Number(m[2]));
    else segments.push(m[3] ?? m[4]);
  }
  return segments;
}

/** The value at `segments`, or undefined when the path leads nowhere. */
export function evaluateJsonPath(value: unknown, segments: PathSegment[]): unknown {
  let current = value;
  for (const seg of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[seg];
  }
  return current;
}
