import type { Surreal } from 'surrealdb';
import type { ProbeResult } from '../verdict/index.js';
import type { EventTap } from './event-tap.js';
import { countJournal, type JournalCount } from './journal-capture.js';
import { targetFileLacks } from './target-file-lacks.js';
import { settle } from './wait.js';

/** Where the journal is: a SurrealDB server URL (target file `journal.url`) or an embedded journal's client. */
export type JournalSource = { url: string; username?: string; password?: string } | { client: Surreal };

/**
 * `journal-capture`: every event of this run that the harness's event tap saw, on either path, must be in the
 * journal for the same path. The journal is read with the `surrealdb` client (SurrealQL by run id). Waits until
 * the journal has caught up, or stops making progress, or the time-out.
 */
export async function journalCapture(
  tap: EventTap,
  runId: string,
  source: JournalSource | null,
  opts: { timeoutMs: number; stallMs: number; signal?: AbortSignal },
): Promise<ProbeResult> {
  if (!source)
    return targetFileLacks('journal.url', "give the SurrealDB event journal's URL (credentials in QSL_JOURNAL_USER / QSL_JOURNAL_PASS)");
  const read = (): Promise<JournalCount> =>
    countJournal(
      'client' in source ? { url: source.client, runId } : { url: source.url, runId, username: source.username, password: source.password },
    );

  const expected = () => ({
    eventbridge: new Set(tap.eventbridge.map((e) => e.event.eventId)),
    legacy: new Set(tap.legacy.map((e) => e.event.eventId)),
  });
  const compare = (j: JournalCount) => {
    const exp = expected();
    const missing: Record<string, string[]> = {};
    let total = 0;
    let found = 0;
    for (const [path, ids] of Object.entries(exp)) {
      const got = j.eventIdsByPath[path] ?? new Set<string>();
      total += ids.size;
      for (const id of ids) {
        if (got.has(id)) found += 1;
        else (missing[path] ??= []).push(id);
      }
    }
    return { total, found, missing, journaled: j.total, byPath: j.byPath };
  };

  let lastTotal = -1;
  try {
    const { value: c, waitedMs } = await settle(
      async () => {
        const c = compare(await read());
        // Done once nothing is missing and the tap saw nothing new since the last look.
        const done = c.total > 0 && c.found === c.total && c.total === lastTotal;
        lastTotal = c.total;
        return { done, progress: c.found + c.total, value: c };
      },
      { ...opts, intervalMs: 500 },
    );
    if (c.total === 0) return { value: null, note: 'the event tap saw no events of this run on either path' };
    const missingCount = c.total - c.found;
    return {
      value: c.found / c.total,
      note: `${c.found}/${c.total} events journaled${missingCount ? `; ${missingCount} missing` : ''} (waited ${(waitedMs / 1000).toFixed(1)} s)`,
      details: {
        expected: { eventbridge: tap.eventbridge.length, legacy: tap.legacy.length },
        journaledRecords: c.journaled,
        journaledByPath: c.byPath,
        missing: Object.fromEntries(Object.entries(c.missing).map(([p, ids]) => [p, { count: ids.length, sample: ids.slice(0, 20) }])),
      },
    };
  } catch (e) {
    return { value: null, note: `journal query failed: ${(e as Error).message}` };
  }
}
