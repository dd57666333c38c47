/**
 * Harness-side reader of the event journal: counts what the platform journaled for one run, per path, through
 * the `surrealdb` client and SurrealQL (so it works the same against the embedded engine and a real server).
 */
import { Surreal } from 'surrealdb';

export interface JournalCount {
  /** Records for the run (a duplicate delivery counts twice; compare with eventIds.size). */
  total: number;
  /** Records per path (`legacy`, `eventbridge`). */
  byPath: Record<string, number>;
  eventIds: Set<string>;
  /** Event ids per path: an event published on both paths must be journaled once per path. */
  eventIdsByPath: Record<string, Set<string>>;
}

export interface CountJournalOptions {
  /**
   * A server URL (`ws://host:8000/rpc`), or the connected client of an embedded journal (`EventJournal.client`):
   * an embedded `mem://` database lives inside the sandbox process and cannot be reached by URL.
   * With a client, its current namespace/database are used.
   */
  url: string | Surreal;
  runId: string;
  /** Default `qsl` (URL connections only). */
  namespace?: string;
  /** Default `journal` (URL connections only). */
  database?: string;
  username?: string;
  password?: string;
  /** Default `journal`. */
  table?: string;
}

/** Count the journal records of one run. */
export async function countJournal(opts: CountJournalOptions): Promise<JournalCount> {
  const table = opts.table ?? 'journal';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table))
    throw new Error(`countJournal: invalid table name; expected an identifier, got \`${table}\``);
  if (typeof opts.url !== 'string') return query(opts.url, table, opts.runId);

  if (opts.url.startsWith('mem://')) {
    throw new Error('countJournal: an embedded mem:// journal cannot be opened by URL; pass its connected client (EventJournal.client)');
  }
  const client = new Surreal();
  const authentication = opts.username !== undefined ? { username: opts.username, password: opts.password ?? '' } : undefined;
  try {
    await client.connect(opts.url, { namespace: opts.namespace ?? 'qsl', database: opts.database ?? 'journal', authentication });
  } catch (err) {
    throw new Error(`countJournal: could not connect to SurrealDB at ${opts.url} (is it running? check url/username/password)`, {
      cause: err,
    });
  }
  try {
    return await query(client, table, opts.runId);
  } finally {
    await client.close();
  }
}

async function query(client: Surreal, table: string, runId: string): Promise<JournalCount> {
  const [groups, rows] = await client
    .query(
      `SELECT path, count() AS n FROM ${table} WHERE runId = $runId GROUP BY path; ` +
        `SELECT path, eventId FROM ${table} WHERE runId = $runId;`,
      { runId },
    )
    .collect<[Array<{ path: string; n: number }>, Array<{ path: string; eventId: string }>]>();
  const byPath: Record<string, number> = {};
  let total = 0;
  for (const g of groups) {
    byPath[g.path] = Number(g.n);
    total += Number(g.n);
  }
  const eventIds = new Set<string>();
  const eventIdsByPath: Record<string, Set<string>> = {};
  for (const r of rows) {
    eventIds.add(r.eventId);
    (eventIdsByPath[r.path] ??= new Set()).add(r.eventId);
  }
  return { total, byPath, eventIds, eventIdsByPath };
}
