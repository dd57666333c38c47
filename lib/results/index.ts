/**
 * lib/results: k6 NDJSON (`k6 run --out json=<file>`) → HDR histograms + 1-second time series.
 * Memory is bounded by series (metric × kept tag values) and run duration, not by file size.
 */
import { createError } from '../errors/index.js';
import { ingestInto, type IngestOptions } from './ingest.js';
import { defaultIngestThreads, ingestParallel, PARALLEL_MIN_BYTES, planParallelIngest } from './parallel-ingest.js';
import { ResultsStore } from './store.js';
import { DEFAULT_SERIES_TAGS, type RunResults } from './types.js';

export type * from './types.js';
export { SCENARIO_SAMPLES } from './types.js';
export { decodeBuckets, encodeBuckets } from './histogram.js';
export type { IngestOptions } from './ingest.js';

/**
 * Reads one or more k6 NDJSON files (plain or `.gz`) into one result set. Several paths are
 * combined exactly as `mergeResults` would (e.g. k6 execution segments, k6-operator runners). With
 * enough to read, files (and large plain files cut into byte ranges) are read on every core: this
 * thread and worker threads, one store each, merged at the end. Malformed lines, including
 * a last line cut off by a killed run, are counted in `stats().malformed`, never thrown; so are
 * the Metric line and Points of a metric declared with a type other than counter/gauge/rate/trend.
 * @throws HarnessError QSL_RUN_DIR_INVALID when a file cannot be read.
 */
export async function ingestK6Ndjson(paths: string | string[], opts: IngestOptions = {}): Promise<RunResults> {
  const tags = opts.seriesTags ?? DEFAULT_SERIES_TAGS;
  const list = typeof paths === 'string' ? [paths] : paths;
  const plan = planParallelIngest(
    list,
    opts.threads ?? defaultIngestThreads(),
    opts.parallelMinBytes ?? PARALLEL_MIN_BYTES,
    opts.pieceBytes,
  );
  if (plan !== null) return ingestParallel(plan.pieces, plan.readers, tags, opts.onProgress?.bind(opts));
  const store = new ResultsStore(tags);
  for (const p of list) await ingestInto(store, p, opts.onProgress?.bind(opts));
  return store;
}

/**
 * Combines results of several runs or execution segments: histograms are added (percentiles equal
 * those of one combined file, within HDR precision), counters and rates summed, gauges keep the
 * latest value, time series added second by second. The inputs are not modified.
 * @throws HarnessError QSL_CONFIG_INVALID when a part was not produced by this module.
 */
export function mergeResults(parts: RunResults[]): RunResults {
  const stores = parts.map((p, i) => {
    if (!(p instanceof ResultsStore)) {
      throw createError(
        'QSL_CONFIG_INVALID',
        `mergeResults: part ${i} was not produced by ingestK6Ndjson/mergeResults; pass the objects those functions return.`,
      );
    }
    return p;
  });
  const keys = [...new Set(stores.flatMap((s) => s.keptKeys))];
  const out = new ResultsStore(stores.length === 0 ? DEFAULT_SERIES_TAGS : keys);
  for (const s of stores) out.absorb(s);
  return out;
}
