import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MILESTONES } from '../../lib/milestones/index.js';
import { FAULT_KNOBS } from '../../lib/sandbox/index.js';
import { criterionSample } from '../../lib/verdict/index.js';
import { MILESTONES_DOC, renderMilestonesDoc } from '../../scripts/docs.js';

describe('docs/milestones.md', () => {
  const doc = renderMilestonesDoc();

  it('is what the code generates today (run "npm run docs" after changing criteria, milestones or knobs)', () => {
    expect(readFileSync(MILESTONES_DOC, 'utf8') === doc, 'docs/milestones.md is stale: run "npm run docs" and commit it').toBe(true);
  });

  it('has every milestone, criterion and fault knob in it', () => {
    for (const m of Object.values(MILESTONES)) {
      expect(doc).toContain(`## ${m.title}`);
      for (const c of m.criteria) expect(doc).toContain(`| \`${c.id}\` |`);
    }
    for (const k of FAULT_KNOBS) expect(doc).toContain(`| \`${k.name}\` |`);
  });

  it("shows every criterion's minimum sample beside its planned one, and names each full-profile shortfall", () => {
    const section = doc.slice(doc.indexOf('## Rate criteria: interval and minimum sample'), doc.indexOf('## Rollback triggers'));
    expect(section).toMatch(/no rate .* gets no interval/s);
    for (const m of Object.values(MILESTONES))
      for (const c of m.criteria) {
        const s = criterionSample(c);
        const row = section.split('\n').find((l) => l.startsWith(`| ${m.id} \`${c.id}\` |`));
        expect(row, `${m.id} ${c.id}`).toBeDefined();
        expect(row).toContain(s.rate ? '| yes |' : '| no: ');
        if (s.profiles.full.short) {
          expect(row).toContain('**SHORT**');
          expect(section).toContain(`- ${m.id} \`${c.id}\` (`);
        }
      }
    expect(section).toContain('| mvp1 `error-rate` | yes | < 0.1% | 2,995 |');
  });
});
