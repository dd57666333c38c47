import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../lib/errors/index.js';
import { parseFeatureFlags } from '../../lib/config/index.js';
import { parseFaults } from '../../lib/sandbox/index.js';

describe('error catalogue', () => {
  it('lists the same codes as the README', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Errors'), readme.indexOf('\n## ', readme.indexOf('## Errors') + 3));
    const documented = [...section.matchAll(/^\| `(QSL_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it('covers the codes the sandbox and the flags loader throw', () => {
    expect(() => parseFaults(['x'])).toThrow(expect.objectContaining({ code: 'QSL_FAULT_INVALID' }));
    expect(() => parseFeatureFlags({ bogus: 1 })).toThrow(expect.objectContaining({ code: 'QSL_FLAGS_INVALID' }));
    expect(Object.keys(ERROR_CODES)).toEqual(expect.arrayContaining(['QSL_FAULT_INVALID', 'QSL_FLAGS_INVALID']));
  });
});
