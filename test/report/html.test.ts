import { describe, expect, it } from 'vitest';
import { escapeHtml, renderHtml, writeReports } from '../../lib/report/index.js';
import { jsonForScript } from '../../lib/report/escape.js';
import { renderDetail } from '../../lib/report/html-details.js';
import { ATTR_BREAK, buildSummary, XSS } from './fixtures/build-summary.js';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('escaping helpers', () => {
  it('escapes content and both attribute quote kinds', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(escapeHtml(null)).toBe('');
  });

  it('keeps script-closing sequences out of embedded JSON', () => {
    const json = jsonForScript({ a: '</script><!-- & \u2028' });
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(json)).toEqual({ a: '</script><!-- & \u2028' });
  });
});

describe('renderDetail', () => {
  it('renders arrays of objects as tables capped at 50 rows', () => {
    const html = renderDetail({ rows: Array.from({ length: 70 }, (_, i) => ({ i, v: `x${i}` })) });
    expect((html.match(/<tr>/g) ?? []).length).toBe(1 + 50 + 1); // kv row + 50 data rows + header
    expect(html).toContain('20 more rows not shown');
  });
});

describe('renderHtml', () => {
  it('contains hostile payloads only escaped', () => {
    const html = renderHtml(buildSummary({ hostile: true }));
    expect(html).not.toContain(XSS);
    expect(html).not.toContain(ATTR_BREAK);
    expect(html).not.toContain('<img');
    expect(html).toContain(escapeHtml(XSS));
    // Only our own three script elements are ever closed.
    expect((html.match(/<\/script/gi) ?? []).length).toBe(3);
    expect((html.match(/<script/gi) ?? []).length).toBe(3);
    // No tag got an injected attribute (escaped text may still read "onerror=", harmlessly).
    const markup = html.replace(/<script[^>]*>[\s\S]*?<\/script>/gi, '');
    const attributeNames: string[] = [];
    for (const tag of markup.matchAll(/<[a-z][a-z0-9-]*((?:\s+[^\s"'>/=]+(?:="[^"]*")?)*)\s*\/?>/gi)) {
      for (const a of tag[1]!.matchAll(/\s+([^\s"'>/=]+)(?:="[^"]*")?/g)) attributeNames.push(a[1]!.toLowerCase());
    }
    expect(attributeNames.length).toBeGreaterThan(100);
    expect(attributeNames.filter((n) => n.startsWith('on') || n === 'src' || n === 'href')).toEqual([]);
  });

  it('references nothing outside the file', () => {
    const html = renderHtml(buildSummary());
    expect(html).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\s(src|href)=/i);
    expect(html).not.toMatch(/@import|url\(\s*['"]?(https?:)?\/\//i);
    expect(html).toContain('Content-Security-Policy');
  });

  it('shows verdict, criteria, formatted values, hints, and delta columns only with a baseline', () => {
    const s = buildSummary();
    const html = renderHtml(s);
    expect(html).toContain('>NO-GO<');
    for (const c of s.criteria) expect(html).toContain(`data-criterion="${c.id}"`);
    expect(html).toContain('2.34%'); // ratio as %
    expect(html).toContain('312.4 ms');
    expect(html).toContain('4.2 s');
    expect(html).toContain('What to look at');
    expect(html).toContain('not evaluated: no --baseline given');
    expect(html).not.toContain('Δ p95');
    const withBaseline = renderHtml({
      ...s,
      baseline: { file: 'old/summary.json', runId: 'run-old', p95: 250, errorRate: 0.001 },
      requests: s.requests.map((r) => ({ ...r, delta: { p95: 0.25, errorRate: -0.1 } })),
    });
    expect(withBaseline).toContain('Δ p95');
    expect(withBaseline).toContain('+25%');
    expect(withBaseline).toContain('run-old');
  });

  it("shows a rate's 95% interval and its counts under the measured value, and none for other units", () => {
    const html = renderHtml(buildSummary());
    expect(html).toContain('<td class="num">2.34%<div class="interval">95% CI [2.06%, 2.66%] (234 of 10,000)</div></td>');
    expect(html.match(/class="interval"/g)).toHaveLength(1);
    expect(html).toContain('id="interval-legend"');
    expect(renderHtml({ ...buildSummary(), criteria: [] })).not.toContain('id="interval-legend"');
  });

  it('shows undecided and interrupted states', () => {
    const html = renderHtml({ ...buildSummary(), verdict: 'UNDECIDED', undecided: 'target down: connection refused', interrupted: true });
    expect(html).toContain('>UNDECIDED<');
    expect(html).toContain('target down: connection refused');
    expect(html).toContain('id="interrupted"');
    expect(renderHtml(buildSummary({ failing: false }))).toContain('verdict-go');
  });

  it("shows each criterion's sample, a shortfall marked", () => {
    const s = buildSummary();
    const [first, second, ...rest] = s.criteria;
    const html = renderHtml({
      ...s,
      criteria: [
        { ...first, sample: { text: '500 of 500 load-test iterations <ok>', ok: true } },
        { ...second, measured: null, pass: false, sample: { text: '812 of 1,000 validations', ok: false } },
        ...rest,
      ],
    });
    expect(html).toContain('<strong>Sample:</strong> 500 of 500 load-test iterations &lt;ok&gt;');
    expect(html).toContain('<div class="sample short"><strong>Sample:</strong> 812 of 1,000 validations</div>');
  });

  it('stays under 2 MB for a 10-minute run (600 points, 50 request rows)', () => {
    const html = renderHtml(buildSummary({ points: 600, requestRows: 50 }));
    expect(Buffer.byteLength(html)).toBeLessThan(2 * 1024 * 1024);
  });
});

describe('writeReports', () => {
  it('writes summary.json, report.html and junit.xml', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'qsl-report-')), 'nested');
    const s = buildSummary();
    const paths = await writeReports(dir, s);
    expect(JSON.parse(await readFile(paths.summary, 'utf8'))).toEqual(JSON.parse(JSON.stringify(s)));
    expect((await stat(paths.html)).size).toBeGreaterThan(50_000);
    expect(await readFile(paths.junit, 'utf8')).toContain('<testsuites');
  });
});
