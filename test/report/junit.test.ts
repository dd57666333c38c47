import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../lib/report/index.js';
import { buildSummary, XSS } from './fixtures/build-summary.js';

const XSD = fileURLToPath(new URL('./fixtures/junit.xsd', import.meta.url));
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
if (!hasXmllint) console.warn('SKIPPED junit schema tests: xmllint not found (apt-get install -y libxml2-utils)');

function xmllint(xml: string): { ok: boolean; output: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'qsl-junit-')), 'junit.xml');
  writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

describe('renderJunit', () => {
  it('has a testsuite per run and a testcase per criterion, with failure and skipped', () => {
    const s = buildSummary();
    const xml = renderJunit(s);
    expect(xml).toContain('<testsuite name="mvp2"');
    for (const c of s.criteria) expect(xml).toContain(`<testcase classname="qsl.mvp2" name="${c.id}"`);
    expect(xml).toContain('<failure message="measured 2.34%, threshold &lt;= 1%" type="threshold">');
    expect(xml).toContain('<failure message="measured not measured, threshold &gt;= 99.9%" type="not-measured">');
    expect(xml).toContain('<skipped message="not evaluated: no --baseline given"/>');
    expect(xml).toContain(`<property name="runId" value="${s.runId}"/>`);
    expect(xml).toContain('<property name="target" value="sandbox"/>');
    expect(xml).toContain('<property name="profile" value="smoke"/>');
    expect(xml).toMatch(/<testsuite [^>]*tests="7" failures="2" errors="0" skipped="1"/);
  });

  it("states a rate's 95% interval and counts in its testcase's output", () => {
    const xml = renderJunit(buildSummary());
    const errorRate = xml.slice(xml.indexOf('name="error-rate"'), xml.indexOf('</testcase>', xml.indexOf('name="error-rate"')));
    expect(errorRate).toContain('interval: 95% CI [2.06%, 2.66%] (234 of 10,000), Wilson score');
    expect(xml.match(/interval: /g)).toHaveLength(2); // the failure's text and system-out
  });

  it('escapes hostile text', () => {
    const xml = renderJunit(buildSummary({ hostile: true }));
    expect(xml).not.toContain(XSS);
    expect(xml).not.toMatch(/<[a-z][^>]*"onerror="/i);
    expect(xml).toContain('&quot;onerror=&quot;');
  });

  it.skipIf(!hasXmllint)('validates against the Jenkins-style JUnit XSD (plain, hostile, undecided, several runs)', () => {
    const plain = buildSummary();
    const cases = [
      renderJunit(plain),
      renderJunit(buildSummary({ hostile: true })),
      renderJunit({ ...plain, verdict: 'UNDECIDED', undecided: 'k6 missing', criteria: [] }),
      renderJunit([plain, { ...buildSummary({ failing: false }), milestone: 'mvp3' }]),
    ];
    for (const xml of cases) {
      const r = xmllint(xml);
      expect(r.output).toContain('validates');
      expect(r.ok, r.output).toBe(true);
    }
  });

  it.skipIf(!hasXmllint)('the XSD really rejects malformed JUnit (guards the guard)', () => {
    const r = xmllint('<?xml version="1.0"?><testsuites><testsuite><testcase/></testsuite></testsuites>');
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/testsuite|name|tests/);
  });
});
