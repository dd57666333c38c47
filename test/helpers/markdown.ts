/**
 * Reading the project's Markdown in tests: what a page points at (links, code spans, table rows), so a test can check
 * each against the tree and the code.
 */

/** Fenced code blocks, which hold commands and examples rather than references. */
const FENCED = /^```[^\n]*\n[\s\S]*?^```$/gm;

/** The local targets of a page's Markdown links (`[text](path#anchor)`), without the anchor; web links left out. */
export function localLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^https?:/.test(l));
}

/** The text of every inline code span (`like this`) outside fenced code blocks, in order. */
export function codeSpans(markdown: string): string[] {
  return [...markdown.replace(FENCED, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
}

/** The rows of the first table whose header row has exactly these cells, each row as its trimmed cells (no cell holds a `|`). */
export function tableRows(markdown: string, header: readonly string[]): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith('|') && sameCells(cells(l), header));
  if (start < 0) return [];
  const rows: string[][] = [];
  // Skip the header and its |---| separator; the table ends at the first line that is not a row.
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(cells(line));
  }
  return rows;
}

function cells(row: string): string[] {
  return row
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());
}

function sameCells(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}
