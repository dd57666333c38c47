/** lib/scaleout: one verdict from many k6 processes on k6-operator (`npm run k8s`, `npm run collect`). */
export { writeK8sRun, maxVUsOf, type K8sOptions, type K8sOutcome } from './k8s-run.js';
export { collectRun, takeRunnerFiles, type CollectOptions, type CollectOutcome } from './collect.js';
export { CONFIGMAP_LIMIT_BYTES, type Manifest } from './manifests.js';
