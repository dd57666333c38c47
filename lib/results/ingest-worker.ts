/**
 * Worker thread entry for parallel ingestion: reads the pieces the main thread hands it, one at a
 * time, into one ResultsStore (one HDR set per worker), and posts that store back as a snapshot.
 * Bundled to CommonJS at run time (parallel-ingest.ts), hence no top-level await.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ingestInto } from './ingest.js';
import { ResultsStore } from './store.js';
import type { IngestWorkerCommand, IngestWorkerMessage, IngestWorkerTask } from './parallel-ingest.js';

const port = parentPort!;
const post = (m: IngestWorkerMessage) => port.postMessage(m);
const store = new ResultsStore((workerData as IngestWorkerTask).seriesTags);
let lastPost = 0;
const progress = (lines: number) => {
  const now = Date.now();
  if (now - lastPost >= 250) {
    lastPost = now;
    post({ kind: 'progress', lines });
  }
};

port.on('message', (c: IngestWorkerCommand) => {
  if (c.kind === 'finish') {
    post({ kind: 'progress', lines: store.lineCount });
    post({ kind: 'done', snapshot: store.snapshot() });
    return;
  }
  ingestInto(store, c.piece.path, progress, c.piece.range).then(
    () => post({ kind: 'ready' }),
    (e: unknown) => post({ kind: 'error', code: (e as { code?: string }).code ?? null, message: (e as Error).message }),
  );
});
post({ kind: 'ready' });
