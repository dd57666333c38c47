/**
 * Starts a worker thread whose entry is a TypeScript file, under vitest, `tsx` scripts and any cwd.
 *
 * Gotcha: on Node 20, `execArgv: ['--import', 'tsx']` does not apply tsx's hooks to a worker's own
 * entry (ERR_UNKNOWN_FILE_EXTENSION), so the worker starts from a tiny eval'd bootstrap that loads the
 * entry through tsx's `tsImport`. tsx is resolved from this file, not from the cwd.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

function bootstrap(entry: URL): string {
  // The ESM build of tsx's API (require.resolve would pick the CJS one, which cannot register ESM hooks here).
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  const api = pathToFileURL(join(dirname(pkg), 'dist/esm/api/index.mjs')).href;
  return `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`;
}

export function startTsWorker(entry: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  return new Worker(bootstrap(entry), { ...options, eval: true });
}
