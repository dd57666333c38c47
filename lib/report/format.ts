/** Formatting of measured values and thresholds for humans (HTML) and CI (JUnit). */
import { formatNumber, type Comparator, type RateInterval, type Unit } from '../verdict/index.js';

export { formatNumber };

/** Display symbol for a comparator; `ascii` keeps `<=` etc. (JUnit messages). */
export function comparatorText(c: Comparator, ascii = false): string {
  if (ascii) return c;
  switch (c) {
    case '<=':
      return '≤';
    case '>=':
      return '≥';
    case '==':
      return '=';
    default:
      return c;
  }
}

/** A value in its unit: ratio as %, ms, s, count, bool. `null` = not measured. */
export function formatValue(value: number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined) return 'not measured';
  switch (unit) {
    case 'ratio':
      return `${formatNumber(value * 100, 2)}%`;
    case 'ms':
      return `${formatNumber(value, Math.abs(value) < 10 ? 2 : 1)} ms`;
    case 's':
      return `${formatNumber(value, 2)} s`;
    case 'count':
      return formatNumber(value, 2);
    case 'bool':
      return value ? 'true' : 'false';
  }
}

/** A rate's interval and the counts behind it, in ASCII (console and JUnit too): `95% CI [0%, 0.13%] (0 of 3,000)`. */
export function formatInterval(i: RateInterval): string {
  return `${formatNumber(i.confidence * 100, 1)}% CI [${formatValue(i.lower, 'ratio')}, ${formatValue(i.upper, 'ratio')}] (${formatNumber(i.count, 0)} of ${formatNumber(i.total, 0)})`;
}

/** Milliseconds, or a dash when null. */
export function formatMs(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : formatValue(value, 'ms');
}

/** A ratio as %, or a dash when null. */
export function formatRatio(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : formatValue(value, 'ratio');
}

/** A relative change with its sign: +25.0% / −10.0%. */
export function formatDelta(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const pct = formatNumber(Math.abs(value) * 100, 1);
  return `${value > 0 ? '+' : value < 0 ? '−' : '±'}${pct}%`;
}

/** Duration between two ISO timestamps, e.g. `10m 02s`; empty when either is unparsable. */
export function formatDuration(startIso: string, endIso: string): string {
  const ms = Date.parse(endIso) - Date.parse(startIso);
  if (!Number.isFinite(ms) || ms < 0) return '';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (x: number) => x.toString().padStart(2, '0');
  return h > 0 ? `${h}h ${pad(m)}m ${pad(sec)}s` : m > 0 ? `${m}m ${pad(sec)}s` : `${sec}s`;
}
