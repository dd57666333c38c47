/**
 * Kubernetes manifests for running a milestone's k6 scenarios on k6-operator: one TestRun
 * (k6.io/v1alpha1) per scenario, the ConfigMap that carries its script (bundle and data, or a k6
 * archive), and the shared results volume every runner writes its NDJSON to.
 */

/** The ConfigMap size limit (etcd object size) is 1 MiB; keep room for names and YAML overhead. */
export const CONFIGMAP_LIMIT_BYTES = 1024 * 1024 - 16 * 1024;

/** Where k6-operator mounts a TestRun's script (ConfigMap or volume claim) in the runner pods. */
export const SCRIPT_MOUNT = '/test';
/** Where the runners see the shared results volume. */
export const RESULTS_MOUNT = '/results';

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  [k: string]: unknown;
}

/** A DNS-1123 label from free text (lowercase, [a-z0-9-], at most 63 characters). */
export function dnsLabel(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s.slice(0, 63).replace(/-+$/, '');
}

export function labels(runId: string, milestone: string, scenario?: string): Record<string, string> {
  return {
    'app.kubernetes.io/part-of': 'qsl-harness',
    'qsl-harness/milestone': dnsLabel(milestone),
    'qsl-harness/run': dnsLabel(runId),
    ...(scenario ? { 'qsl-harness/scenario': dnsLabel(scenario) } : {}),
  };
}

export function resultsClaim(name: string, namespace: string, runId: string, milestone: string, storageClass?: string): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace, labels: labels(runId, milestone) },
    spec: {
      // Every runner pod writes to it at once, possibly from different nodes.
      accessModes: ['ReadWriteMany'],
      resources: { requests: { storage: '2Gi' } },
      ...(storageClass ? { storageClassName: storageClass } : {}),
    },
  };
}

/** A script ConfigMap: file name -> text (the bundle and the data files it opens). */
export function scriptConfigMap(name: string, namespace: string, lbl: Record<string, string>, files: Record<string, string>): Manifest {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels: lbl }, data: files };
}

export interface TestRunSpec {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  parallelism: number;
  script: { configMap: { name: string; file: string } } | { volumeClaim: { name: string; file: string; readOnly?: boolean } };
  /** The runner's file name prefix: `<resultsPrefix>-<pod name>.ndjson` on the results volume. */
  resultsPrefix: string;
  resultsClaim: string;
  image: string;
  env: Record<string, string>;
}

export function testRun(t: TestRunSpec): Manifest {
  return {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: { name: t.name, namespace: t.namespace, labels: t.labels },
    spec: {
      parallelism: t.parallelism,
      script: t.script,
      // Kubernetes expands $(POD_NAME) from the container's env: one NDJSON file per runner.
      arguments: `--out json=${RESULTS_MOUNT}/${t.resultsPrefix}-$(POD_NAME).ndjson --no-usage-report`,
      runner: {
        image: t.image,
        metadata: { labels: t.labels },
        env: [
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          ...Object.entries(t.env).map(([name, value]) => ({ name, value })),
        ],
        volumeMounts: [{ name: 'qsl-results', mountPath: RESULTS_MOUNT }],
        volumes: [{ name: 'qsl-results', persistentVolumeClaim: { claimName: t.resultsClaim } }],
      },
    },
  };
}
