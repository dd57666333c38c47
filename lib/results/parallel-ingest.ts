/**
 * Ingests several NDJSON files (runners, segments, scenarios) on worker threads: each worker reads
 * its share into its own ResultsStore (one HDR set per worker), the main thread merges the stores.
 * Merging is exact for counts and histograms, so the result equals a one-thread ingestion.
 */
import { build } from 'esbuild';
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createError } from '../errors/index.js';
import { ingestInto, type ByteRange } from './ingest.js';
import { ResultsStore, type StoreSnapshot } from './store.js';

/** A file, or a byte range of a plain file, read by one reader. */
export interface IngestPiece {
  path: string;
  range?: ByteRange;
  bytes: number;
}

export interface IngestWorkerTask {
  seriesTags: string[];
}

/** Main thread -> worker. */
export type IngestWorkerCommand = { kind: 'piece'; piece: IngestPiece } | { kind: 'finish' };

/** Worker -> main thread: `ready` asks for the next piece. */
export type IngestWorkerMessage =
  | { kind: 'ready' }
  | { kind: 'progress'; lines: number }
  | { kind: 'done'; snapshot: StoreSnapshot }
  | { kind: 'error'; code: string | null; message: string };

/** Plain files above this are read as several pieces, so that one large file is shared by every reader. */
export const PIECE_BYTES = 16 << 20;

/** Below this many bytes in total, starting workers costs more than it saves. */
export const PARALLEL_MIN_BYTES = 8 << 20;

/** Default number of ingestion threads: one per core. */
export function defaultIngestThreads(): number {
  return availableParallelism();
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return -1;
  }
}

/**
 * Cuts the input into pieces (whole files; plain files above `pieceBytes` into byte ranges),
 * largest first, or returns null when one thread is the better choice (small input, an unreadable
 * path: the one-thread path reports it with its usual error).
 */
export function planParallelIngest(
  paths: readonly string[],
  threads: number,
  minBytes: number,
  pieceBytes = PIECE_BYTES,
): { pieces: IngestPiece[]; readers: number } | null {
  if (threads < 2 || paths.length === 0) return null;
  const sized = paths.map((p) => ({ p, size: sizeOf(p) }));
  if (sized.some((s) => s.size < 0)) return null;
  if (sized.reduce((a, s) => a + s.size, 0) < minBytes) return null;
  const pieces: IngestPiece[] = [];
  for (const { p, size } of sized) {
    const n = p.endsWith('.gz') ? 1 : Math.max(1, Math.round(size / pieceBytes));
    if (n === 1) pieces.push({ path: p, bytes: size });
    else
      for (let i = 0; i < n; i++) {
        const start = Math.floor((size * i) / n);
        const end = Math.floor((size * (i + 1)) / n);
        pieces.push({ path: p, range: { start, end }, bytes: end - start });
      }
  }
  if (pieces.length < 2) return null;
  return { pieces: pieces.sort((a, b) => b.bytes - a.bytes), readers: Math.min(threads, pieces.length) };
}

let workerSource: Promise<string> | null = null;

/**
 * The worker's code as one CommonJS bundle, built once per process: a worker started from it is
 * reading within milliseconds, where loading the TypeScript through tsx took a few hundred.
 */
function ingestWorkerSource(): Promise<string> {
  workerSource ??= build({
    entryPoints: [fileURLToPath(new URL('./ingest-worker.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0]!.text);
  return workerSource;
}

/**
 * Reads the pieces with `readers` readers: this thread and readers - 1 workers, each taking the next
 * piece from one queue when done with its last (so a fast reader takes more), each into its own
 * store; the workers' stores are then merged into this thread's.
 */
export async function ingestParallel(
  pieces: readonly IngestPiece[],
  readers: number,
  seriesTags: readonly string[],
  onProgress?: (lines: number) => void,
): Promise<ResultsStore> {
  const queue = [...pieces];
  const progress = new Array<number>(readers).fill(0);
  const report = (i: number, lines: number) => {
    progress[i] = lines;
    onProgress?.(progress.reduce((a, b) => a + b, 0));
  };
  let failed = false;
  const source = await ingestWorkerSource();
  const out = new ResultsStore(seriesTags);
  const workers = Promise.all(
    Array.from(
      { length: readers - 1 },
      (_, k) =>
        new Promise<StoreSnapshot>((resolve, reject) => {
          const worker = new Worker(source, { eval: true, workerData: { seriesTags: [...seriesTags] } satisfies IngestWorkerTask });
          const send = (c: IngestWorkerCommand) => worker.postMessage(c);
          let settled = false;
          worker.on('message', (m: IngestWorkerMessage) => {
            if (m.kind === 'ready') {
              const piece = failed ? undefined : queue.shift();
              send(piece ? { kind: 'piece', piece } : { kind: 'finish' });
            } else if (m.kind === 'progress') report(k + 1, m.lines);
            else if (m.kind === 'done') {
              settled = true;
              resolve(m.snapshot);
              void worker.terminate();
            } else {
              settled = true;
              failed = true;
              reject(m.code === 'QSL_RUN_DIR_INVALID' ? createError('QSL_RUN_DIR_INVALID', m.message) : new Error(m.message));
              void worker.terminate();
            }
          });
          worker.on('error', (e) => {
            failed = true;
            if (!settled) reject(e);
          });
          worker.on('exit', (code) => {
            if (!settled) reject(new Error(`an ingestion worker exited with code ${code} before finishing`));
          });
        }),
    ),
  );
  // Mark the workers' promise handled now: this thread's own reading may throw first.
  workers.catch(() => {});
  try {
    for (let piece = queue.shift(); piece && !failed; piece = queue.shift()) {
      await ingestInto(out, piece.path, (lines) => report(0, lines), piece.range);
    }
  } catch (e) {
    failed = true;
    throw e;
  }
  for (const s of await workers) out.absorb(ResultsStore.fromSnapshot(s));
  return out;
}
