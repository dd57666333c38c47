/** lib/workers: TypeScript worker threads (tsx inside the worker; Node 20 needs a bootstrap). Public face. */
export { startTsWorker } from './ts-worker.js';
