import { describe, expect, it } from 'vitest';
import { renderHtml, validateSummary } from '../../lib/report/index.js';
import type { PhaseStats } from '../../lib/verdict/index.js';
import { buildSummary, XSS } from './fixtures/build-summary.js';

const phase = (name: string, p95: number, configuration = 'migrated: the flags as found'): PhaseStats => ({
  name,
  configuration,
  scenario: 'payment-flow',
  runId: `run-${name}`,
  requests: 200,
  errorRate: 0,
  p95,
  p99: p95 * 2,
});

describe('report: phases side by side and a target left changed', () => {
  it('shows one column per phase, escaped, and the summary with phases is valid', () => {
    const s = { ...buildSummary({ failing: false }), phases: [phase('legacy-baseline', 5.1, `legacy ${XSS}`), phase('migrated', 59.3)] };
    expect(validateSummary(JSON.parse(JSON.stringify(s)))).toEqual({ ok: true });
    const html = renderHtml(s);
    const table = html.slice(html.indexOf('<table id="phases">'), html.indexOf('</table>', html.indexOf('<table id="phases">')));
    expect(table).toContain('data-phase="legacy-baseline"');
    expect(table).toContain('data-phase="migrated"');
    expect(table).toMatch(/5\.1 ms.*59\.3 ms/s);
    expect(table).not.toContain(XSS);
    expect(renderHtml(buildSummary())).not.toContain('id="phases"');
  });

  it('puts a red alarm at the top when the target was not restored', () => {
    const s = buildSummary();
    s.probes['target-restored'] = { value: 0, veto: 'the target was NOT restored: UserService: false, was true' };
    const html = renderHtml(s);
    expect(html).toMatch(
      /<div class="warning danger" role="alert" id="not-restored"><strong>The target was NOT restored:<\/strong> the target was NOT restored: UserService: false, was true/,
    );
    expect(html.indexOf('id="not-restored"')).toBeLessThan(html.indexOf('<h2>Criteria</h2>'));
    expect(renderHtml(buildSummary())).not.toContain('id="not-restored"');
  });
});
