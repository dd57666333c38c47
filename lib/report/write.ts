/** Writes the three report files of a run directory. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Summary } from '../verdict/index.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';

/**
 * Writes DIR/summary.json, DIR/report.html and DIR/junit.xml (creating DIR) and returns their paths.
 * The summary is written as given; call validateSummary first if it comes from outside the harness.
 */
export async function writeReports(dir: string, summary: Summary): Promise<{ summary: string; html: string; junit: string }> {
  await mkdir(dir, { recursive: true });
  const paths = { summary: join(dir, 'summary.json'), html: join(dir, 'report.html'), junit: join(dir, 'junit.xml') };
  // Render everything before writing anything, so a rendering error leaves no half-written run directory.
  const html = renderHtml(summary);
  const junit = renderJunit(summary);
  await writeFile(paths.summary, `${JSON.stringify(summary, null, 2)}\n`, 'utf8');
  await writeFile(paths.html, html, 'utf8');
  await writeFile(paths.junit, junit, 'utf8');
  return paths;
}
