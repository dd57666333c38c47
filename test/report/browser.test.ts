/**
 * Opens report.html in headless Chromium the way a reviewer would (file://, no network) and checks
 * what they would see. Skips with a message only when /usr/bin/chromium is absent (CI installs it).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from '../../lib/report/index.js';
import type { Summary } from '../../lib/verdict/types.js';
import { buildSummary, XSS } from './fixtures/build-summary.js';

// The page.evaluate callbacks run inside Chromium. tsconfig has no DOM lib (this is Node code), so the
// few browser globals they use are declared here, loosely and for this file only.
declare const document: any;
declare const window: any;
declare const Event: any;

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`SKIPPED report browser tests: ${CHROMIUM} not found (apt-get install -y chromium)`);

const OUT = resolve('test-output/report');

interface Visit {
  consoleErrors: string[];
  network: string[];
  dialogs: string[];
  page: import('playwright-core').Page;
}

describe.skipIf(!hasChromium)('report.html in a browser', () => {
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    profile = await mkdtemp(join(tmpdir(), 'qsl-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
    });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  async function open(summary: Summary, name: string): Promise<Visit> {
    const dir = join(OUT, name);
    const { html } = await writeReports(dir, summary);
    const url = pathToFileURL(html).href;
    const page = await context.newPage();
    const visit: Visit = { consoleErrors: [], network: [], dialogs: [], page };
    page.on('console', (m) => {
      if (m.type() === 'error') visit.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => visit.consoleErrors.push(String(e)));
    page.on('dialog', (d) => {
      visit.dialogs.push(d.message());
      void d.dismiss();
    });
    await page.route('**/*', (route) => {
      const u = route.request().url();
      if (u === url) return route.continue();
      visit.network.push(u);
      return route.abort();
    });
    page.on('request', (r) => {
      if (r.url() !== url && !visit.network.includes(r.url())) visit.network.push(r.url());
    });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => document.documentElement.hasAttribute('data-charts'), null, { timeout: 10_000 });
    return visit;
  }

  it('shows the verdict, every criterion and drawn charts, offline and without errors', async () => {
    const summary = { ...buildSummary({ points: 600, requestRows: 50 }), interrupted: true };
    const v = await open(summary, 'plain');
    try {
      expect(v.consoleErrors).toEqual([]);
      expect(v.network).toEqual([]);
      expect(v.dialogs).toEqual([]);

      await expect.poll(() => v.page.locator('#verdict .verdict').innerText()).toBe('NO-GO');
      expect(await v.page.locator('#verdict').isVisible()).toBe(true);
      expect(await v.page.locator('#interrupted').isVisible()).toBe(true);
      const criteriaText = await v.page.locator('#criteria').innerText();
      for (const c of summary.criteria) expect(criteriaText).toContain(c.id);

      const canvases = await v.page.evaluate(() =>
        Array.from<any>(document.querySelectorAll('.uplot canvas')).map((c) => {
          const ctx = c.getContext('2d');
          const px = ctx ? ctx.getImageData(0, 0, c.width, c.height).data : new Uint8ClampedArray();
          let painted = 0;
          for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) painted++;
          return { parent: String(c.closest('[id^="chart-"]')?.id ?? ''), width: Number(c.width), height: Number(c.height), painted };
        }),
      );
      expect(canvases.map((c) => c.parent).sort()).toEqual(['chart-errors', 'chart-latency', 'chart-p95', 'chart-rps']);
      for (const c of canvases) {
        expect(c.width, c.parent).toBeGreaterThan(0);
        expect(c.painted, `${c.parent} has painted pixels`).toBeGreaterThan(500);
      }
      // Threshold lines are series in the legend of the p95 and error-rate charts.
      expect(await v.page.locator('#chart-p95 .u-legend').innerText()).toContain('p95-latency');
      expect(await v.page.locator('#chart-errors .u-legend').innerText()).toContain('error-rate');

      await mkdir(OUT, { recursive: true });
      await v.page.screenshot({ path: join(OUT, 'report.png'), fullPage: true });
      // Print to PDF (what a reviewer attaches to the change ticket): charts shrink to the A4 width.
      await v.page.emulateMedia({ media: 'print' });
      await v.page.setViewportSize({ width: 720, height: 1000 });
      await v.page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
      const printWidths = await v.page.evaluate(() =>
        Array.from<any>(document.querySelectorAll('.uplot')).map((e): number => e.getBoundingClientRect().right),
      );
      expect(printWidths).toHaveLength(4);
      for (const right of printWidths) expect(right).toBeLessThanOrEqual(720);
      const pdf = await v.page.pdf({ path: join(OUT, 'report.pdf'), format: 'A4', printBackground: true });
      expect(pdf.byteLength).toBeGreaterThan(10_000);
      expect(v.consoleErrors).toEqual([]);
    } finally {
      await v.page.close();
    }
  });

  it('shows hostile text as text and runs none of it', async () => {
    const v = await open(buildSummary({ hostile: true }), 'hostile');
    try {
      await v.page.waitForTimeout(0);
      expect(v.dialogs).toEqual([]);
      expect(v.network).toEqual([]);
      expect(v.consoleErrors).toEqual([]);
      const dom = await v.page.evaluate(() => ({
        scripts: Number(document.scripts.length),
        imgs: Number(document.images.length),
        onAttrs: Array.from<any>(document.querySelectorAll('*')).flatMap((el): string[] =>
          Array.from<any>(el.attributes)
            .filter((a) => String(a.name).startsWith('on'))
            .map((a) => `${el.tagName}.${a.name}`),
        ),
        text: String(document.body.innerText),
      }));
      expect(dom.scripts).toBe(3);
      expect(dom.imgs).toBe(0);
      expect(dom.onAttrs).toEqual([]);
      expect(dom.text).toContain(XSS);
      expect(dom.text).toContain('"onerror="alert(1)');
      await v.page.screenshot({ path: join(OUT, 'report-hostile.png'), fullPage: false });
    } finally {
      await v.page.close();
    }
  });
});
