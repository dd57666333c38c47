import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import type { FormatsPlugin } from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ensureK6, type K6Binary } from '../../lib/run/k6-binary.js';
import type { RunMeta } from '../../lib/run/run-dir.js';
import { writeK8sRun } from '../../lib/run/k8s-run.js';

// `npm run k8s` output checked without a cluster: every TestRun against the k6-operator CRD's
// openAPIV3Schema, the scripts with real `k6 inspect`.
const addFormats = createRequire(import.meta.url)('ajv-formats') as FormatsPlugin;
let validateTestRun: ValidateFunction;
let k6: K6Binary;
let work: string;
let targetFile: string;

beforeAll(async () => {
  const crd = parseAllDocuments(readFileSync('schema/k6-operator/k6.io_testruns.yaml', 'utf8'))[0]!.toJS() as {
    spec: { versions: Array<{ name: string; schema: { openAPIV3Schema: object } }> };
  };
  // OpenAPI v3 subset: Kubernetes' x-kubernetes-* keywords and int32/int64 formats carry no constraint ajv must check.
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  for (const f of ['int32', 'int64', 'double', 'float', 'byte']) ajv.addFormat(f, true);
  validateTestRun = ajv.compile(crd.spec.versions.find((v) => v.name === 'v1alpha1')!.schema.openAPIV3Schema);
  k6 = await ensureK6({ projectRoot: process.cwd(), build: false });
  work = mkdtempSync(join(tmpdir(), 'qsl-k8s-'));
  targetFile = join(work, 'staging.json');
  writeFileSync(
    targetFile,
    JSON.stringify({
      name: 'staging',
      environment: 'staging',
      gateway: 'https://api.staging.example.com',
      admin: 'https://admin.staging.example.com',
      aws: { region: 'eu-west-1' },
      queues: { audit: 'qsl-audit', services: ['qsl-orchestration', 'qsl-user', 'qsl-notification'] },
      rollback: { http: { method: 'POST', url: 'https://admin.staging.example.com/admin/rollback' } },
    }),
  );
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

function docs(file: string): Array<Record<string, any>> {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as Record<string, any>);
}

const envOf = (tr: Record<string, any>): Record<string, string> =>
  Object.fromEntries(
    (tr.spec.runner.env as Array<{ name: string; value?: string }>).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]),
  );

describe('npm run k8s', () => {
  it('writes a run directory: one CRD-valid TestRun per scenario, bundle and data in a ConfigMap, run.json with plan and criteria', async () => {
    const out = join(work, 'mvp1');
    const r = await writeK8sRun({
      milestone: 'mvp1',
      parallelism: 3,
      targetFile,
      namespace: 'load-tests',
      profile: 'smoke',
      out,
      projectRoot: process.cwd(),
      iKnowThisIsProduction: false,
      log: () => {},
    });
    const meta = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunMeta;
    expect(meta.plan?.kind).toBe('k6-operator');
    expect(meta.criteria).toContain('p95-latency');
    expect(meta.target).toEqual({ name: 'staging', environment: 'staging', sandbox: false });
    expect(meta.scenarios.map((s) => [s.name, s.status])).toEqual([
      ['user-journey', 'not-run'],
      ['workflow', 'not-run'],
      ['load', 'not-run'],
    ]);

    const testRuns = readdirSync(join(out, 'k8s'))
      .filter((f) => f.endsWith('-testrun.yaml'))
      .sort();
    expect(testRuns).toEqual(['20-01-user-journey-testrun.yaml', '20-02-workflow-testrun.yaml', '20-03-load-testrun.yaml']);
    for (const [i, f] of testRuns.entries()) {
      const [tr] = docs(join(out, 'k8s', f));
      expect(validateTestRun(tr), JSON.stringify(validateTestRun.errors)).toBe(true);
      expect(tr!.apiVersion).toBe('k6.io/v1alpha1');
      expect(tr!.metadata.namespace).toBe('load-tests');
      expect(tr!.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(tr!.spec.parallelism).toBe(3);
      const scenario = meta.plan!.scenarios[i]!;
      expect(tr!.spec.arguments).toBe(`--out json=/results/${scenario.name}-$(POD_NAME).ndjson --no-usage-report`);
      const env = envOf(tr!);
      expect(env).toMatchObject({
        QSL_RUN_ID: meta.runId,
        QSL_PROFILE: 'smoke',
        QSL_SEGMENTS: '3',
        QSL_GATEWAY_URL: 'https://api.staging.example.com',
        QSL_DATA: '/test/identities.json',
      });
      expect(JSON.parse(env.QSL_THRESHOLDS!)).toHaveProperty('http_req_duration');
      // The script's ConfigMap carries the bundle and the data the env points at.
      const [cm] = docs(join(out, 'k8s', f.replace('-testrun', '-script').replace(/^20-/, '10-')));
      expect(cm!.metadata.name).toBe(tr!.spec.script.configMap.name);
      expect(Object.keys(cm!.data).sort()).toEqual([`${scenario.name}.js`, `${scenario.name}.js.map`, 'identities.json'].sort());
      expect(JSON.parse(cm!.data['identities.json']).identities).toHaveLength(1000);
      // k6 inspect --execution-requirements with the runners' env: enough VUs for every runner.
      expect(scenario.maxVUs).toBeGreaterThanOrEqual(3);
      expect(scenario.runnerArgs[2]).toEqual(['--execution-segment', '2/3:1', '--execution-segment-sequence', '0,1/3,2/3,1']);
    }
    // The arrival-rate scenario's VUs are rounded up to a multiple of the runners: 100 -> 102.
    expect(meta.plan!.scenarios.find((s) => s.name === 'load')!.maxVUs).toBe(102);
    const [pvc] = docs(join(out, 'k8s', '00-results-volume.yaml'));
    expect(pvc).toMatchObject({ kind: 'PersistentVolumeClaim', spec: { accessModes: ['ReadWriteMany'] } });
    expect(r.files.some((f) => f.endsWith('STEPS.md'))).toBe(true);
  });

  it('ships a k6 archive on the shared volume when bundle and data exceed the ConfigMap limit', async () => {
    const out = join(work, 'archive');
    await writeK8sRun({
      milestone: 'mvp1',
      parallelism: 2,
      targetFile,
      profile: 'smoke',
      out,
      configMapLimitBytes: 10_000,
      projectRoot: process.cwd(),
      iKnowThisIsProduction: false,
      log: () => {},
    });
    const meta = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunMeta;
    expect(meta.plan!.scenarios.every((s) => s.script === 'archive-volume')).toBe(true);
    const [tr] = docs(join(out, 'k8s', '20-03-load-testrun.yaml'));
    expect(validateTestRun(tr), JSON.stringify(validateTestRun.errors)).toBe(true);
    expect(tr!.spec.script).toEqual({ volumeClaim: { name: meta.plan!.resultsClaim, file: 'scripts/load.tar' } });
    expect(existsSync(join(out, 'k8s', '10-03-load-script.yaml'))).toBe(false);
    // The archive is a k6 script with the data inside: inspect it with no local files referenced.
    const inspect = spawnSync(k6.path, ['inspect', '--execution-requirements', '-e', 'QSL_SEGMENTS=2', join(out, 'k8s', 'load.tar')], {
      encoding: 'utf8',
      env: {},
    });
    expect(inspect.status, inspect.stderr).toBe(0);
    expect((JSON.parse(inspect.stdout) as { maxVUs: number }).maxVUs).toBe(100);
    const list = spawnSync('tar', ['-tf', join(out, 'k8s', 'load.tar')], { encoding: 'utf8' });
    expect(list.stdout).toMatch(/identities\.json/);
  });

  it('refuses what cannot work, naming the fix', async () => {
    const base = { milestone: 'mvp1', profile: 'smoke' as const, projectRoot: process.cwd(), iKnowThisIsProduction: false, log: () => {} };
    await expect(writeK8sRun({ ...base, parallelism: 2, targetFile: undefined, out: join(work, 'x1') })).rejects.toThrow(
      /--target is required/,
    );
    await expect(writeK8sRun({ ...base, parallelism: 0, targetFile, out: join(work, 'x2') })).rejects.toThrow(
      /--parallelism must be a whole number from 1/,
    );
    await expect(writeK8sRun({ ...base, parallelism: 64, targetFile, out: join(work, 'x3') })).rejects.toThrow(
      /needs at most \d+ VUs .*Use --parallelism \d+ or less/,
    );
    await expect(writeK8sRun({ ...base, parallelism: 2, targetFile, namespace: 'Load_Tests', out: join(work, 'x4') })).rejects.toThrow(
      /--namespace "Load_Tests"/,
    );
  });
});
