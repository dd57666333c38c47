/**
 * The seed's EventJournaler: every event on both paths (legacy and EventBridge) goes into SurrealDB, table
 * `journal`, one record per write (record ids are generated, so a duplicate delivery shows up as a duplicate).
 *
 * Writes are batched: a write joins a queue that is flushed as one INSERT every FLUSH_MS or every BATCH entries,
 * whichever comes first. `write()` resolves once its entry is committed and rejects if it could not be; nothing
 * is lost except what the `journal.drop` fault gate drops on purpose. `close()` flushes before disconnecting.
 */
import { Surreal, Table } from 'surrealdb';

export const JOURNAL_TABLE = 'journal';
const FLUSH_MS = 4;
const BATCH = 250;

export interface JournalEntry {
  eventId: string;
  runId: string;
  path: 'legacy' | 'eventbridge';
  type: string;
  source: string;
  occurredAt: string;
  correlationId?: string;
  payload: unknown;
}

export interface EventJournal {
  /** Resolves when the entry is committed (or was dropped by the fault gate). */
  write(entry: JournalEntry): Promise<void>;
  /** Flush every queued entry, then disconnect (unless the client was passed in). Idempotent. */
  close(): Promise<void>;
  /** `mem://` for the embedded engine, else the server URL. */
  readonly url: string;
  /** The connected client; the harness (same process) queries the embedded journal through it. */
  readonly client: Surreal;
}

export interface JournalOptions {
  /** Absent: embedded in-memory engine (`mem://`, @surrealdb/node). Else a server, e.g. `ws://host:8000/rpc`. */
  url?: string;
  /** An already connected client to write through (kept open by close()); `url` is then only informative. */
  client?: Surreal;
  /** Default `qsl`. */
  namespace?: string;
  /** Default `journal`. */
  database?: string;
  /** Root (system) user for a real server. */
  username?: string;
  password?: string;
  /** The `journal.drop` fault: called once per write; true = the entry is silently lost. */
  drop?: () => boolean;
}

interface Pending {
  record: Record<string, unknown>;
  resolve(): void;
  reject(err: unknown): void;
}

const EMBEDDED_URL = 'mem://';

/** Open (connect to) the event journal and make sure its table and runId index exist. */
export async function openJournal(opts: JournalOptions = {}): Promise<EventJournal> {
  const namespace = opts.namespace ?? 'qsl';
  const database = opts.database ?? 'journal';
  const url = opts.url ?? EMBEDDED_URL;
  const owned = !opts.client;
  const client = opts.client ?? (await connect(url, namespace, database, opts));
  try {
    if (!owned) await client.use({ namespace, database });
    // No index on the embedded engine: with @surrealdb/node 3.0.x any DEFINE INDEX on mem:// keeps the process
    // from exiting after close() (native engine teardown; surrealdb/surrealdb.js#673 shows it for FULLTEXT, a plain
    // index does it too). A table scan of one run's events is cheap in memory; a real server gets the index.
    const index = url === EMBEDDED_URL ? '' : ` DEFINE INDEX IF NOT EXISTS ${JOURNAL_TABLE}_run ON ${JOURNAL_TABLE} FIELDS runId;`;
    await client.query(`DEFINE TABLE IF NOT EXISTS ${JOURNAL_TABLE} SCHEMALESS;${index}`);
  } catch (err) {
    if (owned) await client.close();
    throw err;
  }
  return new SurrealJournal(client, url, owned, opts.drop);
}

async function connect(url: string, namespace: string, database: string, opts: JournalOptions): Promise<Surreal> {
  let client: Surreal;
  if (url === EMBEDDED_URL) {
    // Loaded only for the embedded case, so a run against a real server never needs the native engine.
    const { createNodeEngines } = await import('@surrealdb/node');
    client = new Surreal({ engines: createNodeEngines() });
  } else {
    client = new Surreal();
  }
  const authentication = opts.username !== undefined ? { username: opts.username, password: opts.password ?? '' } : undefined;
  try {
    await client.connect(url, { namespace, database, authentication });
  } catch (err) {
    throw new Error(`event journal: could not connect to SurrealDB at ${url} (is it running? check url/username/password)`, {
      cause: err,
    });
  }
  return client;
}

class SurrealJournal implements EventJournal {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The flush in progress; flushes run one at a time so batches commit in write order. */
  private flushing: Promise<void> = Promise.resolve();
  private closed: Promise<void> | undefined;

  constructor(
    readonly client: Surreal,
    readonly url: string,
    private readonly owned: boolean,
    private readonly drop: (() => boolean) | undefined,
  ) {}

  write(entry: JournalEntry): Promise<void> {
    if (this.closed) return Promise.reject(new Error('event journal: write after close()'));
    if (this.drop?.()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ record: toRecord(entry), resolve, reject });
      if (this.queue.length >= BATCH) this.flushSoon(0);
      else this.flushSoon(FLUSH_MS);
    });
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      clearTimeout(this.timer);
      this.timer = undefined;
      await this.flush();
      if (this.owned) await this.client.close();
    })();
    return this.closed;
  }

  private flushSoon(ms: number): void {
    if (ms === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      void this.flush();
    } else {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, ms);
    }
  }

  /** Chain a flush of whatever is queued behind the one in progress; never rejects (writers get the error). */
  private flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, BATCH);
        try {
          await this.client.insert<Record<string, unknown>>(
            new Table(JOURNAL_TABLE),
            batch.map((p) => p.record),
          );
          for (const p of batch) p.resolve();
        } catch (err) {
          const wrapped = new Error(`event journal: writing ${batch.length} entries to SurrealDB failed`, { cause: err });
          for (const p of batch) p.reject(wrapped);
        }
      }
    });
    return this.flushing;
  }
}

/** The stored shape: no undefined fields (SurrealDB has NONE, not undefined). */
function toRecord(e: JournalEntry): Record<string, unknown> {
  const r: Record<string, unknown> = {
    eventId: e.eventId,
    runId: e.runId,
    path: e.path,
    type: e.type,
    source: e.source,
    occurredAt: e.occurredAt,
    payload: e.payload ?? null,
  };
  if (e.correlationId !== undefined) r.correlationId = e.correlationId;
  return r;
}
