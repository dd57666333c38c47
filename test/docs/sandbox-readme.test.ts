import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { codeSpans, localLinks } from '../helpers/markdown.js';

const DIR = 'lib/sandbox';
const README = join(DIR, 'README.md');

/** A code span naming a file (`faults.ts`, `services/ledger/`), relative to lib/sandbox unless it starts at the root. */
const PATH = /^(?:[\w.-]+\/)*[\w.-]+(?:\/|\.(?:ts|json|ya?ml|md))$/;
const FROM_ROOT = /^(?:lib|test|docs|scripts|flags|thresholds|scenarios)\//;
/** A code span naming code: `RatioGate`, `buildSandbox(options)`, `onValidation`. */
const NAME = /^([A-Za-z_$][\w$]*)(?:\(.*\))?$/;
const NOT_NAMES = new Set(['true', 'false', 'null', 'undefined']);

/**
 * The names lib/sandbox's sources declare: what a file exports, and inside an exported declaration the names of its
 * members, object keys and string literal types (`onValidation`, `LedgerTransactionPosted`, `'primary'`). Function
 * bodies are not read: a name there is an implementation detail, not something a reader can look up.
 */
function declaredNames(dir: string): Set<string> {
  const names = new Set<string>();
  const collectInside = (node: ts.Node): void => {
    if (ts.isBlock(node)) return;
    const name = (node as { name?: ts.Node }).name;
    if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name))) names.add(name.text);
    if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) names.add(node.literal.text);
    ts.forEachChild(node, collectInside);
  };
  for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
    const source = ts.createSourceFile(file, readFileSync(join(dir, file), 'utf8'), ts.ScriptTarget.Latest);
    for (const statement of source.statements) {
      const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (exported || ts.isExportDeclaration(statement)) collectInside(statement);
    }
  }
  return names;
}

/**
 * What lib/sandbox/README.md says that the tree and the code do not bear out: files and links that do not exist,
 * names lib/sandbox does not declare, and top-level files and folders of lib/sandbox it does not describe.
 */
function staleReferences(readme: string, names: ReadonlySet<string>): string[] {
  const spans = codeSpans(readme);
  const problems: string[] = [];
  for (const span of spans.filter((s) => PATH.test(s))) {
    const path = FROM_ROOT.test(span) ? span : join(DIR, span);
    if (!existsSync(path)) problems.push(`names the file ${span}, but there is no ${path}`);
  }
  for (const link of localLinks(readme)) {
    if (!existsSync(join(DIR, link))) problems.push(`links to ${link}, which does not exist`);
  }
  for (const span of spans) {
    const name = NAME.exec(span)?.[1];
    if (name && !NOT_NAMES.has(name) && !names.has(name)) problems.push(`names \`${span}\`, which lib/sandbox does not declare`);
  }
  for (const entry of readdirSync(DIR, { withFileTypes: true })) {
    const named = entry.isDirectory() ? `${entry.name}/` : entry.name;
    if (entry.name !== 'README.md' && !spans.includes(named)) problems.push(`does not describe \`${named}\``);
  }
  return problems;
}

describe('lib/sandbox/README.md', () => {
  const readme = readFileSync(README, 'utf8');
  const names = declaredNames(DIR);

  it('names only files, links and symbols that exist, and describes every file and folder of lib/sandbox', () => {
    expect(codeSpans(readme).filter((s) => PATH.test(s)).length).toBeGreaterThan(20);
    expect(staleReferences(readme, names)).toEqual([]);
  });

  it('is caught naming a symbol, a file or a link that does not exist, or leaving out a milestone file', () => {
    const stale =
      readme.replaceAll('`mvp4.ts`', 'mvp4.ts') + '\n`FaultError` in `fault-error.ts`, `services/billing/`, [gone](../gone.md)\n';
    expect(staleReferences(stale, names)).toEqual([
      `names the file fault-error.ts, but there is no ${join(DIR, 'fault-error.ts')}`,
      `names the file services/billing/, but there is no ${join(DIR, 'services/billing/')}`,
      'links to ../gone.md, which does not exist',
      'names `FaultError`, which lib/sandbox does not declare',
      'does not describe `mvp4.ts`',
    ]);
  });

  it('reads exported names, their members and literal types, not what a function body declares', () => {
    for (const name of ['buildSandbox', 'RatioGate', 'faultError', 'EVENT_CATALOGUE', 'LedgerTransactionPosted', 'onValidation', 'primary'])
      expect(names, name).toContain(name);
    // `SeenSet` is a class local to events/consumer.ts; `oldest` a variable inside one of its methods.
    for (const name of ['FaultError', 'SeenSet', 'oldest']) expect(names, name).not.toContain(name);
  });
});
