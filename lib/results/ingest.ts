/**
 * Streams k6 `--out json` NDJSON files into a ResultsStore. Reads 256 KiB chunks (plain files into two
 * reused buffers, see plainChunks), decodes them in newline-aligned 8 KiB pieces, and hands line
 * offsets to the parser (no per-line strings). A last line cut off by a killed run is counted as
 * malformed, never thrown.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { createError } from '../errors/index.js';
import { LINE_BLANK, LINE_MALFORMED, LINE_METRIC, LINE_POINT, LineParser } from './line-parser.js';
import { ResultsStore } from './store.js';

export interface IngestOptions {
  /** Tag keys kept as separate series (default DEFAULT_SERIES_TAGS). */
  seriesTags?: readonly string[];
  /** Called after each chunk with the number of lines read so far (all files). */
  onProgress?(lines: number): void;
  /** Worker threads for several files (default: one per core; 1 reads everything on this thread). */
  threads?: number;
  /** Total input size below which everything is read on this thread (default PARALLEL_MIN_BYTES). */
  parallelMinBytes?: number;
  /** Plain files above this are cut into byte ranges for parallel reading (default PIECE_BYTES). */
  pieceBytes?: number;
}

/** Read size: large reads mean few thread-pool round trips. */
const CHUNK = 1 << 18;
/**
 * Decode size: strings under ~128 KiB stay in V8's young generation (1 MiB strings are several times slower), and
 * the piece being parsed is most of what survives each scavenge: with 16 KiB pieces, V8 doubled its young
 * generation after about 2 M lines, and a 4 M-line read peaked 12% above a 1 M-line one (8 KiB: flat).
 */
const PIECE = 1 << 13;

/**
 * Part of a plain (not gzipped) file: the lines that start at a byte offset in [start, end). Lines
 * are never split: a reader skips the line in progress at `start` and finishes the one crossing `end`.
 */
export interface ByteRange {
  start: number;
  end: number;
}

export async function ingestInto(
  store: ResultsStore,
  path: string,
  onProgress?: (lines: number) => void,
  range?: ByteRange,
): Promise<void> {
  const parser = new LineParser(store.keptKeys, store.internTags);
  // From one byte before the range: if that byte is a newline, the range starts with a whole line.
  const from = range && range.start > 0 ? range.start - 1 : 0;
  let chunks: AsyncIterable<Buffer>;
  if (path.endsWith('.gz')) {
    const file = createReadStream(path, { highWaterMark: CHUNK });
    const gunzip = file.pipe(createGunzip({ chunkSize: CHUNK }));
    file.on('error', (err) => gunzip.destroy(err));
    chunks = gunzip;
  } else {
    chunks = plainChunks(path, from, range ? Math.max(from, range.end) : Infinity);
  }
  let rest: Buffer | null = null;
  let skipping = from > 0;
  try {
    for await (let chunk of chunks) {
      if (skipping) {
        const nl = chunk.indexOf(10);
        if (nl === -1) continue;
        chunk = chunk.subarray(nl + 1);
        skipping = false;
        if (chunk.length === 0) continue;
      }
      const lastNl = chunk.lastIndexOf(10);
      if (lastNl === -1) {
        rest = rest === null ? Buffer.from(chunk) : Buffer.concat([rest, chunk]);
        continue;
      }
      let from = 0;
      if (rest !== null) {
        // Complete the line carried over from the previous chunk (bytes, so UTF-8 stays intact).
        const firstNl = chunk.indexOf(10);
        feed(store, parser, Buffer.concat([rest, chunk.subarray(0, firstNl + 1)]).toString('utf8'));
        from = firstNl + 1;
        rest = null;
      }
      // Decode in newline-aligned pieces of about PIECE bytes.
      while (from <= lastNl) {
        let to = lastNl;
        if (to - from > PIECE) {
          to = chunk.lastIndexOf(10, from + PIECE);
          if (to < from) to = chunk.indexOf(10, from + PIECE); // a line longer than PIECE
        }
        feed(store, parser, chunk.toString('utf8', from, to + 1));
        from = to + 1;
      }
      if (lastNl + 1 < chunk.length) rest = Buffer.from(chunk.subarray(lastNl + 1));
      onProgress?.(store.lineCount);
    }
  } catch (err) {
    throw createError(
      'QSL_RUN_DIR_INVALID',
      `cannot read k6 results "${path}": ${(err as Error).message}. Check the path, and that k6 ran with --out json=<file>.`,
      { cause: err },
    );
  }
  if (skipping) return; // no line starts in this range
  // The line crossing the range's end belongs to this range: read on to its newline.
  if (rest !== null && rest.length > 0 && range) rest = Buffer.concat([rest, lineTail(path, range.end)]);
  // A file not ending in a newline: its last line may be complete (parsed) or cut off (malformed).
  if (rest !== null) feed(store, parser, rest.toString('utf8') + '\n');
  onProgress?.(store.lineCount);
}

/**
 * The bytes of a plain file from `start` to `end` (exclusive) in chunks of up to CHUNK bytes, read
 * into two buffers in turn: the next read is under way while the caller parses the current chunk,
 * and no buffer is allocated per chunk. A chunk is valid until the caller asks for the next one.
 */
async function* plainChunks(path: string, start: number, end: number): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r');
  const bufs = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
  let k = 0;
  let pos = start;
  const readInto = (buf: Buffer) => fh.read(buf, 0, Math.min(CHUNK, end - pos), pos);
  let pending: ReturnType<typeof readInto> | null = pos < end ? readInto(bufs[0]!) : null;
  try {
    while (pending !== null) {
      const { bytesRead } = await pending;
      pending = null;
      if (bytesRead === 0) break;
      const chunk = bufs[k]!.subarray(0, bytesRead);
      pos += bytesRead;
      k ^= 1;
      if (pos < end) pending = readInto(bufs[k]!);
      yield chunk;
    }
  } finally {
    // Never close the file under a read in flight (the caller stopped early or failed).
    await pending?.catch(() => undefined);
    await fh.close();
  }
}

/** The bytes from `at` up to and including the next newline (or the end of the file). */
function lineTail(path: string, at: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const parts: Buffer[] = [];
    let pos = at;
    for (;;) {
      const buf = Buffer.alloc(1 << 16);
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      const nl = buf.subarray(0, n).indexOf(10);
      if (nl !== -1) {
        parts.push(buf.subarray(0, nl + 1));
        break;
      }
      parts.push(buf.subarray(0, n));
      pos += n;
    }
    return Buffer.concat(parts);
  } finally {
    closeSync(fd);
  }
}

/** Parses every newline-terminated line of `text` into `store`. */
function feed(store: ResultsStore, parser: LineParser, text: string): void {
  parser.beginChunk(text);
  let a = 0;
  let nl: number;
  while ((nl = text.indexOf('\n', a)) !== -1) {
    let e = nl;
    if (e > a && text.charCodeAt(e - 1) === 13) e--;
    store.lineCount++;
    const kind = parser.parse(text, a, e);
    if (kind === LINE_POINT) {
      const m = store.metricAt(parser.metricSrc, parser.metricA, parser.metricB);
      if (!store.addPoint(m, parser.tags, parser.value, parser.timeMs)) store.malformedCount++;
    } else if (kind === LINE_METRIC) {
      const m = store.metricAt(parser.metricSrc, parser.metricA, parser.metricB);
      if (!store.declareMetric(m, parser.metricType)) store.malformedCount++;
    } else if (kind === LINE_MALFORMED) {
      store.malformedCount++;
    } else if (kind === LINE_BLANK) {
      store.lineCount--;
    }
    a = nl + 1;
  }
}
