/**
 * `npm run k8s -- <milestone> --parallelism N --target FILE`: writes a run directory from which the
 * milestone's k6 part runs on k6-operator, split over N runner pods per scenario. The directory is a
 * real run directory from the start (run.json: plan, run id, target, criteria); `npm run collect`
 * later takes the runners' NDJSON into it and derives the verdict.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { guardProduction, loadTargetFile } from '../config/index.js';
import { createError } from '../errors/index.js';
import { getMilestone, type Profile } from '../milestones/index.js';
import { bundleScenarios } from './bundle.js';
import { ensureK6 } from './k6-binary.js';
import { K6_VERSION } from './k6-version.js';
import { newRunId, newRunMeta, RunDir, runTimestamp, type K8sPlan, type RunMeta } from './run-dir.js';
import { checkSegmentCount, segmentArgs } from './segments.js';
import { k6ThresholdsFor } from '../verdict/index.js';
import {
  CONFIGMAP_LIMIT_BYTES,
  dnsLabel,
  labels,
  resultsClaim,
  SCRIPT_MOUNT,
  scriptConfigMap,
  testRun,
  type Manifest,
} from './k8s-manifests.js';

export interface K8sOptions {
  milestone: string;
  parallelism: number;
  targetFile: string | undefined;
  namespace?: string;
  profile: Profile;
  seed?: number;
  out?: string;
  /** The runner image (default grafana/k6 at the harness's pinned k6 version). */
  image?: string;
  storageClass?: string;
  /** Bundle plus data above this go as a k6 archive (default CONFIGMAP_LIMIT_BYTES; tests lower it). */
  configMapLimitBytes?: number;
  projectRoot: string;
  iKnowThisIsProduction: boolean;
  log: (line: string) => void;
}

export interface K8sOutcome {
  dir: string;
  plan: K8sPlan;
  files: string[];
}

/** `k6 inspect --execution-requirements`: the most VUs the script needs, with the runners' environment. */
export function maxVUsOf(k6: string, script: string, env: Record<string, string>): number {
  const args = ['inspect', '--execution-requirements', ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), script];
  const r = spawnSync(k6, args, { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } });
  if (r.status !== 0) {
    throw createError(
      'QSL_BUILD_FAILED',
      `k6 inspect --execution-requirements ${script} failed (exit ${r.status}):\n${r.stderr.trim().split('\n').slice(-5).join('\n')}`,
    );
  }
  const o = JSON.parse(r.stdout) as { maxVUs?: number };
  if (typeof o.maxVUs !== 'number')
    throw createError('QSL_BUILD_FAILED', `k6 inspect --execution-requirements ${script} reported no maxVUs.`);
  return o.maxVUs;
}

function k6Archive(k6: string, script: string, out: string, env: Record<string, string>): void {
  const args = ['archive', '-O', out, ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), script];
  const r = spawnSync(k6, args, { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } });
  if (r.status !== 0)
    throw createError(
      'QSL_BUILD_FAILED',
      `k6 archive ${script} failed (exit ${r.status}):\n${r.stderr.trim().split('\n').slice(-5).join('\n')}`,
    );
}

/** Env values naming files the harness wrote or generated: shipped with the script. */
function dataFiles(env: Record<string, string>): Array<{ key: string; path: string }> {
  return Object.entries(env)
    .filter(([, v]) => v.startsWith('/') && existsSync(v) && statSync(v).isFile())
    .map(([key, path]) => ({ key, path }));
}

export async function writeK8sRun(opts: K8sOptions): Promise<K8sOutcome> {
  const def = getMilestone(opts.milestone);
  if (!def.k6Data) {
    throw createError(
      'QSL_CONFIG_INVALID',
      `${def.title} sets up live state before its k6 part (e.g. users it signs up against the target), which k6-operator runners cannot share yet: run it with "npm run ${def.id}" (--segments N splits it locally).`,
    );
  }
  const parallelism = checkSegmentCount(opts.parallelism, '--parallelism');
  if (!opts.targetFile) {
    throw createError(
      'QSL_CONFIG_INVALID',
      '--target is required: the runner pods reach the environment described by a target file (the embedded sandbox does not run in the cluster). Pass e.g. --target targets/staging.json.',
    );
  }
  const target = loadTargetFile(opts.targetFile);
  guardProduction(target, { ...def.intent, faults: [] }, opts.iKnowThisIsProduction);
  const namespace = opts.namespace ?? 'default';
  if (dnsLabel(namespace) !== namespace)
    throw createError(
      'QSL_CONFIG_INVALID',
      `--namespace "${namespace}" is not a Kubernetes namespace name (lowercase letters, digits and "-"). Pass e.g. --namespace load-tests.`,
    );
  const seed = opts.seed ?? 1;
  const image = opts.image ?? `grafana/k6:${K6_VERSION.replace(/^v/, '')}`;

  const k6 = await ensureK6({ projectRoot: opts.projectRoot, log: opts.log });
  const bundles = await bundleScenarios(opts.projectRoot, def.id);
  const started = new Date();
  const runId = newRunId(def.id, started);
  const short = dnsLabel(runId);
  const dir = new RunDir(resolve(opts.out ?? join(opts.projectRoot, 'reports', `${def.id}-k8s-${runTimestamp(started)}`))).create();
  const k8sDir = join(dir.root, 'k8s');
  mkdirSync(k8sDir, { recursive: true });

  const dataEnv: Record<string, string> = await def.k6Data!({ runId, profile: opts.profile, seed, dir, target, log: opts.log });
  const files = dataFiles(dataEnv);
  const baseEnv: Record<string, string> = {
    QSL_PROFILE: opts.profile,
    QSL_RUN_ID: runId,
    QSL_GATEWAY_URL: target.gateway,
    QSL_THRESHOLDS: JSON.stringify(k6ThresholdsFor(def.criteria, opts.profile)),
    QSL_SEGMENTS: String(parallelism),
    K6_NO_USAGE_REPORT: 'true',
  };
  const claim = `qsl-results-${short}`.slice(0, 63).replace(/-+$/, '');
  const written: string[] = [];
  const write = (name: string, docs: Manifest[]) => {
    const file = join(k8sDir, name);
    writeFileSync(file, docs.map((d) => stringify(d, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n'));
    written.push(file);
  };
  write('00-results-volume.yaml', [resultsClaim(claim, namespace, runId, def.id, opts.storageClass)]);

  const scenarios: K8sPlan['scenarios'] = [];
  for (const [i, s] of def.scenarios.entries()) {
    const bundle = bundles.find((b) => b.scenario === s.name);
    if (!bundle) throw createError('QSL_BUILD_FAILED', `scenario scenarios/${def.id}/${s.name}.ts is missing.`);
    const lbl = labels(runId, def.id, s.name);
    const name = `qsl-${short}-${dnsLabel(s.name)}`.slice(0, 63).replace(/-+$/, '');
    const localEnv = { ...baseEnv, ...dataEnv };
    const need = maxVUsOf(k6.path, bundle.bundle, localEnv);
    if (need < parallelism) {
      throw createError(
        'QSL_CONFIG_INVALID',
        `scenario ${s.name} needs at most ${need} VUs (k6 inspect --execution-requirements), fewer than --parallelism ${parallelism}: some runners would have nothing to do. Use --parallelism ${need} or less.`,
      );
    }
    const bundleText = readFileSync(bundle.bundle, 'utf8');
    // The source map beside the bundle: k6 maps stack traces with it on the runners too.
    const mapFile = `${bundle.bundle}.map`;
    const mapText = existsSync(mapFile) ? readFileSync(mapFile, 'utf8') : null;
    const plain =
      Buffer.byteLength(bundleText) + (mapText ? Buffer.byteLength(mapText) : 0) + files.reduce((a, f) => a + statSync(f.path).size, 0);
    let script: Parameters<typeof testRun>[0]['script'];
    let env: Record<string, string>;
    let delivery: K8sPlan['scenarios'][number]['script'];
    const cmName = `${name}-script`.slice(0, 63).replace(/-+$/, '');
    if (plain <= (opts.configMapLimitBytes ?? CONFIGMAP_LIMIT_BYTES)) {
      // Bundle and data side by side in one ConfigMap; the runners read the data at /test/<file>.
      const cmFiles: Record<string, string> = { [`${s.name}.js`]: bundleText, ...(mapText ? { [`${s.name}.js.map`]: mapText } : {}) };
      for (const f of files) cmFiles[basename(f.path)] = readFileSync(f.path, 'utf8');
      write(`10-${String(i + 1).padStart(2, '0')}-${s.name}-script.yaml`, [scriptConfigMap(cmName, namespace, lbl, cmFiles)]);
      script = { configMap: { name: cmName, file: `${s.name}.js` } };
      env = { ...baseEnv, ...dataEnv, ...Object.fromEntries(files.map((f) => [f.key, `${SCRIPT_MOUNT}/${basename(f.path)}`])) };
      delivery = 'configmap';
    } else {
      // Over the ConfigMap limit: a k6 archive carries the script and every file it opens (at the
      // paths it opened them, which the runners' env keeps). An archive is no smaller than its
      // files, so it reaches the runners through the shared volume (copied under scripts/).
      k6Archive(k6.path, bundle.bundle, join(k8sDir, `${s.name}.tar`), localEnv);
      env = localEnv;
      script = { volumeClaim: { name: claim, file: `scripts/${s.name}.tar` } };
      delivery = 'archive-volume';
    }
    write(`20-${String(i + 1).padStart(2, '0')}-${s.name}-testrun.yaml`, [
      testRun({ name, namespace, labels: lbl, parallelism, script, resultsPrefix: s.name, resultsClaim: claim, image, env }),
    ]);
    scenarios.push({
      name: s.name,
      testRun: name,
      manifest: `k8s/20-${String(i + 1).padStart(2, '0')}-${s.name}-testrun.yaml`,
      script: delivery,
      maxVUs: need,
      resultsPrefix: s.name,
      runnerArgs: Array.from({ length: parallelism }, (_, r) => segmentArgs(r, parallelism)),
    });
  }

  const plan: K8sPlan = {
    kind: 'k6-operator',
    parallelism,
    namespace,
    seed,
    image,
    resultsClaim: claim,
    targetFile: resolve(opts.targetFile),
    scenarios,
  };
  const meta: RunMeta = {
    ...newRunMeta({
      milestone: def.id,
      scenarios: def.scenarios,
      profile: opts.profile,
      runId,
      target,
      started,
      projectRoot: opts.projectRoot,
      k6Version: k6.version,
      faults: [],
    }),
    segments: parallelism,
    criteria: def.criteria.map((c) => c.id),
    plan,
  };
  dir.writeMeta(meta);
  writeFileSync(join(k8sDir, 'STEPS.md'), steps(dir.root, meta, plan));
  written.push(join(k8sDir, 'STEPS.md'));
  opts.log(`${def.title}: k6-operator run ${runId}, ${parallelism} runners per scenario, namespace ${namespace}`);
  opts.log(`  written: ${relative(process.cwd(), dir.root) || '.'} (run.json, k8s/*.yaml, k8s/STEPS.md)`);
  return { dir: dir.root, plan, files: written };
}

function steps(root: string, meta: RunMeta, plan: K8sPlan): string {
  const d = relative(process.cwd(), root) || '.';
  const ns = `-n ${plan.namespace}`;
  const lines = [
    `# Run ${meta.runId} on k6-operator`,
    '',
    `Milestone ${meta.milestone}, profile ${meta.profile}, ${plan.parallelism} runners per scenario, target ${meta.target.name}.`,
    '',
    '1. Start the live observation (event tap, health and flags before) and leave it running; once every runner is done it',
    '   runs the phase after the scenarios from this machine (MVP 1: the rollback drill and its background load) and restores the flags:',
    '',
    `       npm run collect -- ${d} --during --results <local mount of the results volume>`,
    '',
    '   Without --during, the criteria that need it are reported unmeasured (NO-GO), naming this step.',
    '',
    '2. Create the results volume and the scripts, then run the scenarios one after the other:',
    '',
    `       kubectl apply ${ns} -f ${d}/k8s/00-results-volume.yaml`,
    ...(plan.scenarios.some((s) => s.script === 'archive-volume')
      ? [
          `       # then copy ${plan.scenarios
            .filter((s) => s.script === 'archive-volume')
            .map((s) => `k8s/${s.name}.tar`)
            .join(', ')} into the volume under scripts/ (e.g. kubectl cp through a pod that mounts it)`,
        ]
      : []),
    ...plan.scenarios.flatMap((s) => [
      ...(s.script === 'archive-volume'
        ? []
        : [
            `       kubectl apply ${ns} -f ${d}/k8s/${s.manifest
              .replace(/^k8s\//, '')
              .replace('-testrun.yaml', '-script.yaml')
              .replace(/^20-/, '10-')}`,
          ]),
      `       kubectl apply ${ns} -f ${d}/${s.manifest}`,
      `       kubectl wait ${ns} testrun/${s.testRun} --for=jsonpath='{.status.stage}'=finished --timeout=2h`,
    ]),
    '',
    `3. Copy the runners' NDJSON (${plan.scenarios.map((s) => `${s.resultsPrefix}-*.ndjson`).join(', ')}) from the volume to a local folder, then:`,
    '',
    `       npm run collect -- ${d} --results <folder>`,
    '',
    '   Collecting again is safe: a file already collected is counted once.',
    '',
    `4. Clean up: kubectl delete ${ns} testrun,configmap,pvc -l qsl-harness/run=${dnsLabel(meta.runId)}`,
    '',
  ];
  return lines.join('\n');
}
