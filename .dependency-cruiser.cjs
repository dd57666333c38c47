// The harness's boundaries, checked by `npm run lint` (dependency-cruiser). Paths are relative to the project root.
//
// One direction, as a run flows: scripts (and the live commands lib/watch, lib/gate, which the CLI registers) ->
// run -> milestones -> verify / results -> verdict -> report, with sandbox, config, fixtures (and workers, errors,
// contract) below everything. Orchestrators import what they drive (scripts -> run -> milestones -> verify); the
// verdict reads results and probe results; the report reads the verdict's Summary. Nothing imports upstream: only
// the entry points and the live commands import run, no probe imports a milestone, the verdict never imports a
// probe or the report, results import neither, and the bottom folders import none of them.
// thresholds/ is the criteria as data: the verdict reads it, and it uses the verdict's vocabulary as types only.
const { existsSync } = require('node:fs');

const K6_SIDE = '^(scenarios|lib/k6)/';
const BOTTOM = 'sandbox|config|fixtures|workers|errors|contract';

/** For each lib/ folder, the lib/ folders it must not import (lib/watch and lib/gate: their own rules below). */
const UPSTREAM = {
  milestones: ['run'],
  // soak (MVP 4's SSE soak) and cost (its cost model) are probes too, at verify's level.
  'verify|soak|cost': ['run', 'milestones', 'report'],
  results: ['run', 'milestones', 'verify', 'soak', 'cost', 'verdict', 'report'],
  verdict: ['run', 'milestones', 'verify', 'soak', 'cost', 'report'],
  report: ['run', 'milestones', 'verify', 'soak', 'cost', 'results'],
  [BOTTOM]: ['run', 'milestones', 'verify', 'soak', 'cost', 'results', 'verdict', 'report'],
};

function layerRules() {
  return Object.entries(UPSTREAM).map(([from, above]) => ({
    name: `one-way-${from === BOTTOM ? 'bottom' : from.split('|')[0]}`,
    comment: `lib/${from} must not import ${above.map((f) => `lib/${f}`).join(', ')}: imports flow one way (scripts -> run -> milestones -> verify/results -> verdict -> report; sandbox, config, fixtures below)`,
    severity: 'error',
    from: { path: `^lib/(${from})/` },
    to: { path: `^lib/(${above.join('|')})/` },
  }));
}

module.exports = {
  forbidden: [
    {
      name: 'k6-side-imports-k6-only',
      comment: 'Code that runs inside k6 (scenarios/, lib/k6/) imports only k6/*, lib/k6/ and lib/contract/: k6 has no Node runtime.',
      severity: 'error',
      from: { path: K6_SIDE },
      to: { pathNot: ['^lib/k6/', '^lib/contract/', '^k6(/|$)'] },
    },
    {
      name: 'node-side-imports-no-k6',
      comment: 'Node code never imports k6 modules or lib/k6/ (they exist only inside k6); shared shapes live in lib/contract/.',
      severity: 'error',
      from: { pathNot: [K6_SIDE, '^test/'] },
      to: { path: ['^lib/k6/', '^k6(/|$)'] },
    },
    {
      name: 'tests-load-no-k6-modules',
      comment: 'A unit test may check a pure lib/k6 helper in Node, but nothing that loads a k6 module at run time.',
      severity: 'error',
      from: { path: '^test/' },
      to: { path: '^k6(/|$)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'contract-imports-nothing',
      comment: 'lib/contract/ is types and constants only, compiled on both sides: it imports nothing.',
      severity: 'error',
      from: { path: '^lib/contract/' },
      to: {},
    },
    {
      name: 'no-circular',
      comment: 'No import cycles (runtime imports; a types-only edge vanishes at compile time).',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'folders-through-index',
      comment:
        'Another lib/ folder is imported through its index.ts, its public face. (lib/k6 is imported file by file: each file defines k6 metrics and SharedArrays at load, and a scenario must load only what it uses.)',
      severity: 'error',
      from: { path: '^lib/([^/]+)/' },
      to: { path: '^lib/[^/]+/', pathNot: ['^lib/$1/', '^lib/[^/]+/index\\.ts$', '^lib/k6/'] },
    },
    {
      name: 'entry-points-through-index',
      comment: 'scripts/ and thresholds/ import lib/ folders through their index.ts.',
      severity: 'error',
      from: { path: '^(scripts|thresholds)/' },
      to: { path: '^lib/[^/]+/', pathNot: ['^lib/[^/]+/index\\.ts$'] },
    },
    {
      name: 'thresholds-are-data',
      comment: "thresholds/ holds the criteria as data: it may use the verdict's vocabulary (types only) and config, nothing that runs.",
      severity: 'error',
      from: { path: '^thresholds/' },
      to: { path: '^lib/', pathNot: ['^lib/config/index\\.ts$'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'lib-not-importing-entry-points',
      comment: 'lib/ never imports scripts/, bench/ or test/.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(scripts|bench|test)/' },
    },
    ...layerRules(),
    {
      name: 'watch-and-gate-on-top',
      comment:
        'lib/watch and lib/gate sit above lib/run (the entry point registers their commands): only the entry points, tests and lib/gate import lib/watch; only the entry points and tests import lib/gate.',
      severity: 'error',
      from: { path: '^lib/', pathNot: '^lib/(gate|watch)/' },
      to: { path: '^lib/(watch|gate)/' },
    },
    {
      name: 'watch-below-gate',
      comment: 'lib/watch never imports lib/gate.',
      severity: 'error',
      from: { path: '^lib/watch/' },
      to: { path: '^lib/gate/' },
    },
    {
      name: 'no-unresolvable',
      comment:
        'Every import resolves (k6 modules excepted: they exist only inside k6; @surrealdb/node has an exports map with only an import condition, which the resolver misses).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: ['^k6(/|$)', '^@surrealdb/node$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^node_modules', '^dist/', '^reports/'] },
    tsPreCompilationDeps: true,
    ...(existsSync('tsconfig.json') ? { tsConfig: { fileName: 'tsconfig.json' } } : {}),
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
    moduleSystems: ['es6'],
  },
};
