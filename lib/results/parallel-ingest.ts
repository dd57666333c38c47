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
import { HarnessError } from '../errors/index.js';
import { ResultsStore, type StoreSnapshot } from './store.js';

export interface IngestWorkerTask {
  paths: string[];
  seriesTags: string[];
}

export type IngestWorkerMessage =
  | { kind: 'progress'; lines: number }
  | { kind: 'done'; snapshot: StoreSnapshot }
  | { kind: 'error'; code: string | null; message: string };

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
 * Splits files over at most `threads` workers, largest first onto the least-loaded worker, or
 * returns null when one thread is the better choice (one file, small input, an unreadable path:
 * the one-thread path reports it with its usual error).
 */
export function planParallelIngest(paths: readonly string[], threads: number, minBytes: number): string[][] | null {
  const n = Math.min(threads, paths.length);
  if (n < 2) return null;
  const sized = paths.map((p) => ({ p, size: sizeOf(p) }));
  if (sized.some((s) => s.size < 0)) return null;
  if (sized.reduce((a, s) => a + s.size, 0) < minBytes) return null;
  const shares = Array.from({ length: n }, () => ({ paths: [] as string[], bytes: 0 }));
  for (const s of sized.sort((a, b) => b.size - a.size)) {
    const least = shares.reduce((m, x) => (x.bytes < m.bytes ? x : m));
    least.paths.push(s.p);
    least.bytes += s.size;
  }
  return shares.map((s) => s.paths);
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

/** Runs one worker per share and merges their stores in share order. */
export async function ingestParallel(shares: string[][], seriesTags: readonly string[], onProgress?: (lines: number) => void): Promise<ResultsStore> {
  const progress = new Array<number>(shares.length).fill(0);
  const source = await ingestWorkerSource();
  const snapshots = await Promise.all(
    shares.map(
      (paths, i) =>
        new Promise<StoreSnapshot>((resolve, reject) => {
          const worker = new Worker(source, { eval: true, workerData: { paths, seriesTags: [...seriesTags] } satisfies IngestWorkerTask });
          let settled = false;
          worker.on('message', (m: IngestWorkerMessage) => {
            if (m.kind === 'progress') {
              progress[i] = m.lines;
              onProgress?.(progress.reduce((a, b) => a + b, 0));
            } else if (m.kind === 'done') {
              settled = true;
              resolve(m.snapshot);
              void worker.terminate();
            } else {
              settled = true;
              reject(m.code === 'QSL_RUN_DIR_INVALID' ? new HarnessError('QSL_RUN_DIR_INVALID', m.message) : new Error(m.message));
              void worker.terminate();
            }
          });
          worker.on('error', (e) => {
            if (!settled) reject(e);
          });
          worker.on('exit', (code) => {
            if (!settled) reject(new Error(`ingestion worker for ${paths.join(', ')} exited with code ${code} before finishing`));
          });
        }),
    ),
  );
  const out = new ResultsStore(seriesTags);
  for (const s of snapshots) out.absorb(ResultsStore.fromSnapshot(s));
  return out;
}
