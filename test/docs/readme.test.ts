import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { localLinks } from '../helpers/markdown.js';

describe('README', () => {
  const readme = readFileSync('README.md', 'utf8');

  it('is a front door: under 200 lines', () => {
    expect(readme.split('\n').length).toBeLessThan(200);
  });

  it('links only to files that exist', () => {
    const links = localLinks(readme);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(existsSync(l), `README links to ${l}`).toBe(true);
  });

  it('links every page in docs/', () => {
    for (const page of readdirSync('docs').filter((f) => f.endsWith('.md')))
      expect(readme, `README links docs/${page}`).toContain(`(docs/${page})`);
  });
});
