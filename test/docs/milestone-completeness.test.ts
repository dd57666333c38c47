import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MILESTONES, type MilestoneDefinition } from '../../lib/milestones/index.js';
import { tableRows } from '../helpers/markdown.js';

/**
 * docs/extending.md's "A milestone" table as a check: what every milestone in MILESTONES needs besides its definition.
 * Each piece names the files it needs and, where a file must say something about the milestone, what.
 */

/** A file's text by path from the project root, undefined when there is no such file. */
type ReadFile = (path: string) => string | undefined;

interface Need {
  file: string;
  /** What the file must hold for this milestone, and what to say when it does not (absent: being there is enough). */
  holds?: { test(text: string): boolean; otherwise: string };
}

const PIECES = {
  thresholds: (m) => [
    {
      file: `thresholds/${m.id}.ts`,
      holds: {
        otherwise: `lacks one of the criteria ${m.criteria.map((c) => c.id).join(', ')}`,
        test: (text) => m.criteria.length > 0 && m.criteria.every((c) => text.includes(`id: '${c.id}'`)),
      },
    },
  ],
  scenarios: (m) => m.scenarios.map((s) => ({ file: scenarioFile(m, s.name) })),
  flags: (m) => [
    {
      file: `flags/${m.id}.json`,
      holds: { otherwise: `is not the definition's flagsFile (${m.flagsFile})`, test: () => m.flagsFile === `flags/${m.id}.json` },
    },
  ],
  'npm script': (m) => [
    {
      file: 'package.json',
      holds: { otherwise: `lacks the script "${m.id}": "${npmScript(m)}"`, test: (text) => scriptsOf(text)[m.id] === npmScript(m) },
    },
  ],
  'end-to-end test': (m) => [{ file: `test/milestones/${m.id}.test.ts` }],
  'README row': (m) => [
    {
      file: 'README.md',
      holds: {
        otherwise: `lacks the milestone table's row "| \`npm run ${m.id}\` | ${m.title} (…) |"`,
        test: (text) => readmeRow(text, m) !== undefined,
      },
    },
  ],
} satisfies Record<string, (m: MilestoneDefinition) => Need[]>;

type Piece = keyof typeof PIECES;

/** What milestone `m` lacks, one line per missing piece; empty when it is complete. */
function missingPieces(m: MilestoneDefinition, read: ReadFile): { piece: Piece; problem: string }[] {
  const out: { piece: Piece; problem: string }[] = [];
  for (const [piece, needs] of Object.entries(PIECES) as [Piece, (m: MilestoneDefinition) => Need[]][]) {
    for (const need of needs(m)) {
      const text = read(need.file);
      if (text === undefined) out.push({ piece, problem: `${m.id}: ${piece}: ${need.file} does not exist` });
      else if (need.holds && !need.holds.test(text))
        out.push({ piece, problem: `${m.id}: ${piece}: ${need.file} ${need.holds.otherwise}` });
    }
  }
  return out;
}

function scenarioFile(m: MilestoneDefinition, scenario: string): string {
  return `scenarios/${m.bundleOf ?? m.id}/${scenario}.ts`;
}

function npmScript(m: MilestoneDefinition): string {
  return `tsx scripts/qsl.ts run ${m.id}`;
}

function scriptsOf(packageJson: string): Record<string, string> {
  return (JSON.parse(packageJson) as { scripts?: Record<string, string> }).scripts ?? {};
}

/** The README's milestone command table ("| command | milestone |"): the row running `m`, naming its title. */
function readmeRow(readme: string, m: MilestoneDefinition): string[] | undefined {
  return tableRows(readme, ['command', 'milestone']).find(
    ([command, title]) => command === `\`npm run ${m.id}\`` && title?.startsWith(m.title),
  );
}

const readProjectFile: ReadFile = (path) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);

/**
 * How to take each piece away from a milestone, for the proof that the check notices: the project's files with one
 * path gone or one file's text changed. Keyed by piece, so a new piece without a proof does not compile.
 */
const REMOVALS: Record<Piece, (m: MilestoneDefinition) => { path: string; text?: (text: string) => string }> = {
  thresholds: (m) => ({ path: `thresholds/${m.id}.ts` }),
  scenarios: (m) => ({ path: scenarioFile(m, m.scenarios.at(-1)!.name) }),
  flags: (m) => ({ path: `flags/${m.id}.json` }),
  'npm script': (m) => ({
    path: 'package.json',
    text: (text) => {
      const pkg = JSON.parse(text) as { scripts: Record<string, string> };
      delete pkg.scripts[m.id];
      return JSON.stringify(pkg, null, 2);
    },
  }),
  'end-to-end test': (m) => ({ path: `test/milestones/${m.id}.test.ts` }),
  'README row': (m) => ({
    path: 'README.md',
    text: (text) => text.replace(new RegExp(`^\\| \`npm run ${m.id}\` \\|.*\\n`, 'm'), ''),
  }),
};

/** The project as `read` sees it, with the change to `path` (gone when there is no `text`). */
function without(read: ReadFile, change: { path: string; text?: (text: string) => string }): ReadFile {
  return (path) => {
    const text = read(path);
    if (path !== change.path || text === undefined) return text;
    return change.text ? change.text(text) : undefined;
  };
}

describe('every milestone in MILESTONES is complete (docs/extending.md, "A milestone")', () => {
  const milestones = Object.values(MILESTONES);

  it.each(milestones.map((m) => [m.id, m] as const))(
    '%s has its thresholds, scenarios, flags, npm script, end-to-end test and README row',
    (_, m) => {
      expect(missingPieces(m, readProjectFile)).toEqual([]);
    },
  );

  describe('fails when a piece is taken away', () => {
    const cases = milestones.flatMap((m) => (Object.keys(REMOVALS) as Piece[]).map((piece) => [m.id, piece, m] as const));

    it.each(cases)('%s without its %s', (_, piece, m) => {
      const missing = missingPieces(m, without(readProjectFile, REMOVALS[piece](m)));
      expect(missing.map((p) => p.piece)).toEqual([piece]);
    });

    it('thresholds that do not hold every criterion of the definition', () => {
      const m = MILESTONES.mvp2!;
      const renamed = without(readProjectFile, {
        path: 'thresholds/mvp2.ts',
        text: (text) => text.replace(`id: '${m.criteria[0]!.id}'`, `id: 'renamed'`),
      });
      expect(missingPieces(m, renamed)).toEqual([
        { piece: 'thresholds', problem: expect.stringContaining('thresholds/mvp2.ts lacks one of the criteria') },
      ]);
    });

    it('a README row with another title', () => {
      const m = MILESTONES.mvp3!;
      const retitled = without(readProjectFile, {
        path: 'README.md',
        text: (text) => text.replace(`| ${m.title} (`, '| MVP 3: Something Else ('),
      });
      expect(missingPieces(m, retitled).map((p) => p.piece)).toEqual(['README row']);
    });
  });
});
