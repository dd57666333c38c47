/**
 * Worker thread entry for parallel ingestion: reads its share of the files into one ResultsStore
 * (one HDR set per worker) and posts it back as a snapshot for the main thread to merge.
 * Bundled to CommonJS at run time (parallel-ingest.ts), hence no top-level await.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ingestInto } from './ingest.js';
import { ResultsStore } from './store.js';
import type { IngestWorkerMessage, IngestWorkerTask } from './parallel-ingest.js';

async function run(task: IngestWorkerTask, post: (m: IngestWorkerMessage) => void): Promise<void> {
  try {
    const store = new ResultsStore(task.seriesTags);
    let lastPost = 0;
    for (const path of task.paths) {
      await ingestInto(store, path, (lines) => {
        const now = Date.now();
        if (now - lastPost >= 250) {
          lastPost = now;
          post({ kind: 'progress', lines });
        }
      });
    }
    post({ kind: 'progress', lines: store.lineCount });
    post({ kind: 'done', snapshot: store.snapshot() });
  } catch (e) {
    post({ kind: 'error', code: (e as { code?: string }).code ?? null, message: (e as Error).message });
  }
}

void run(workerData as IngestWorkerTask, (m) => parentPort!.postMessage(m));
