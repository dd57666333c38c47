/**
 * Generic rendering of probe `details` (unknown JSON) as HTML: arrays of objects become tables,
 * objects become key/value tables, arrays of scalars become lists. Everything is escaped and capped
 * so a probe that dumps thousands of samples cannot blow up the report.
 */
import { escapeHtml } from './escape.js';

/** Rows / keys / list items shown before "N more". */
export const MAX_ROWS = 50;
const MAX_COLUMNS = 20;
const MAX_DEPTH = 4;
const MAX_TEXT = 500;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(s: string): string {
  const cut = s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}… (${s.length - MAX_TEXT} more characters)` : s;
  return escapeHtml(cut);
}

function more(n: number, what: string): string {
  return n > 0 ? `<p class="more">${n} more ${what} not shown</p>` : '';
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return '<span class="muted">—</span>';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isFinite(v) ? escapeHtml(String(v)) : escapeHtml(String(v));
  if (typeof v === 'string') return text(v);
  return text(JSON.stringify(v) ?? String(v));
}

function objectTable(rows: Record<string, unknown>[], depth: number): string {
  const shown = rows.slice(0, MAX_ROWS);
  const columns: string[] = [];
  for (const r of shown) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  const cols = columns.slice(0, MAX_COLUMNS);
  const head = cols.map((c) => `<th>${text(c)}</th>`).join('');
  const body = shown.map((r) => `<tr>${cols.map((c) => `<td>${renderDetail(r[c], depth + 1)}</td>`).join('')}</tr>`).join('');
  return (
    `<div class="scroll"><table class="details"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>` +
    more(columns.length - cols.length, 'columns') +
    more(rows.length - shown.length, 'rows')
  );
}

/** Renders any JSON-ish value as escaped HTML. */
export function renderDetail(value: unknown, depth = 0): string {
  if (!isPlainObject(value) && !Array.isArray(value)) return scalar(value);
  if (depth >= MAX_DEPTH) return `<code>${text(JSON.stringify(value) ?? '')}</code>`;
  if (Array.isArray(value)) {
    if (value.length === 0) return '<span class="muted">(empty)</span>';
    if (value.every(isPlainObject)) return objectTable(value, depth);
    const shown = value.slice(0, MAX_ROWS);
    if (value.every((v) => !isPlainObject(v) && !Array.isArray(v))) {
      return `<span class="list">${shown.map(scalar).join(', ')}</span>${more(value.length - shown.length, 'items')}`;
    }
    return `<ol class="details">${shown.map((v) => `<li>${renderDetail(v, depth + 1)}</li>`).join('')}</ol>${more(value.length - shown.length, 'items')}`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '<span class="muted">(empty)</span>';
  const shown = entries.slice(0, MAX_ROWS);
  const rows = shown.map(([k, v]) => `<tr><th scope="row">${text(k)}</th><td>${renderDetail(v, depth + 1)}</td></tr>`).join('');
  return `<table class="kv"><tbody>${rows}</tbody></table>${more(entries.length - shown.length, 'keys')}`;
}
