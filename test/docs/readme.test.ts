import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('README', () => {
  const readme = readFileSync('README.md', 'utf8');

  it('is a front door: under 200 lines', () => {
    expect(readme.split('\n').length).toBeLessThan(200);
  });

  it('links only to files that exist', () => {
    const links = [...readme.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^https?:/.test(l));
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(existsSync(l), `README links to ${l}`).toBe(true);
  });

  it('links every page in docs/', () => {
    for (const page of readdirSync('docs').filter((f) => f.endsWith('.md')))
      expect(readme, `README links docs/${page}`).toContain(`(docs/${page})`);
  });
});
