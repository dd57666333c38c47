import { build } from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createError } from '../errors/index.js';

export interface ScenarioBundle {
  milestone: string;
  scenario: string;
  source: string;
  bundle: string;
}

/** Every `scenarios/<milestone>/<scenario>.ts` entry (helpers in subfolders are not entries). */
export function listScenarioSources(projectRoot: string, milestone?: string): Array<Omit<ScenarioBundle, 'bundle'>> {
  const root = join(projectRoot, 'scenarios');
  const milestones = milestone
    ? [milestone]
    : readdirSync(root, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name);
  const out: Array<Omit<ScenarioBundle, 'bundle'>> = [];
  for (const m of milestones.sort()) {
    const dir = join(root, m);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) {
      if (f.endsWith('.ts') && !f.endsWith('.d.ts')) out.push({ milestone: m, scenario: f.slice(0, -3), source: join(dir, f) });
    }
  }
  return out;
}

/**
 * Bundles scenarios into k6-ready ES modules at dist/k6/<milestone>/<scenario>.js: k6's built-in
 * modules stay external. Source maps sit beside the bundles (`<scenario>.js.map`, linked by a comment): k6 still maps
 * stack traces to the TypeScript lines, and the bundle text each VU holds stays small (bench vus).
 */
export async function bundleScenarios(projectRoot: string, milestone?: string): Promise<ScenarioBundle[]> {
  const sources = listScenarioSources(projectRoot, milestone);
  const bundles = sources.map((s) => ({ ...s, bundle: join(projectRoot, 'dist', 'k6', s.milestone, `${s.scenario}.js`) }));
  if (bundles.length === 0) return bundles;
  try {
    await build({
      entryPoints: Object.fromEntries(bundles.map((b) => [join(b.milestone, b.scenario), b.source])),
      outdir: join(projectRoot, 'dist', 'k6'),
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2020',
      external: ['k6', 'k6/*'],
      // Minified: every VU evaluates the bundle into its own runtime, so shorter code is less memory per VU
      // (bench vus); the linked source map still maps stack traces to the TypeScript lines.
      minify: true,
      sourcemap: 'linked',
      sourceRoot: projectRoot,
      logLevel: 'silent',
      legalComments: 'none',
    });
  } catch (e) {
    const detail = (e as { errors?: Array<{ text: string; location?: { file: string; line: number } }> }).errors
      ?.map((x) => `${x.location ? `${relative(projectRoot, x.location.file)}:${x.location.line}: ` : ''}${x.text}`)
      .join('\n');
    throw createError(
      'QSL_BUILD_FAILED',
      `bundling the k6 scenarios failed:\n${detail ?? String(e)}\nFix the scenario source and run "npm run build" again.`,
    );
  }
  return bundles;
}
