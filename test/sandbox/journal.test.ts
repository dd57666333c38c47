import { createNodeEngines } from '@surrealdb/node';
import { Surreal } from 'surrealdb';
import { afterEach, describe, expect, it } from 'vitest';
import { RatioGate } from '../../lib/sandbox/faults.js';
import { openJournal, type EventJournal, type JournalEntry } from '../../lib/sandbox/journal/index.js';
import { countJournal } from '../../lib/verify/journal-capture.js';

const entry = (runId: string, i: number, path: JournalEntry['path'] = i % 2 === 0 ? 'legacy' : 'eventbridge'): JournalEntry => ({
  eventId: `${runId}-evt-${i}`,
  runId,
  path,
  type: 'UserRegistered',
  source: 'qsl.user',
  occurredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i % 60)).toISOString(),
  correlationId: i % 3 === 0 ? `corr-${i}` : undefined,
  payload: { userId: `u-${i}`, nested: { n: i } },
});

const open: EventJournal[] = [];
afterEach(async () => {
  for (const j of open.splice(0)) await j.close();
});

describe('event journal (embedded SurrealDB)', () => {
  it('journals 500 entries on two paths and counts them by runId and path', async () => {
    const journal = await openJournal();
    open.push(journal);
    expect(journal.url).toBe('mem://');
    await Promise.all(Array.from({ length: 500 }, (_, i) => journal.write(entry('run-a', i))));
    await Promise.all(Array.from({ length: 40 }, (_, i) => journal.write(entry('run-b', i, 'eventbridge'))));

    const a = await countJournal({ url: journal.client, runId: 'run-a' });
    expect(a.total).toBe(500);
    expect(a.byPath).toEqual({ legacy: 250, eventbridge: 250 });
    expect(a.eventIds.size).toBe(500);
    expect(a.eventIds.has('run-a-evt-499')).toBe(true);
    expect(a.eventIds.has('run-b-evt-0')).toBe(false);

    const b = await countJournal({ url: journal.client, runId: 'run-b' });
    expect(b).toMatchObject({ total: 40, byPath: { eventbridge: 40 } });
    expect((await countJournal({ url: journal.client, runId: 'nope' })).total).toBe(0);

    // The stored record keeps the entry's fields (payload included, no `undefined` fields).
    const [rows] = await journal.client
      .query('SELECT * OMIT id FROM journal WHERE eventId = $id', { id: 'run-a-evt-3' })
      .collect<[JournalEntry[]]>();
    expect(rows).toEqual([{ ...entry('run-a', 3), correlationId: 'corr-3' }]);
  });

  it('drops exactly the entries the journal.drop gate selects (deterministic 1%)', async () => {
    const gate = new RatioGate(0.01);
    const journal = await openJournal({ drop: () => gate.next() });
    open.push(journal);
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 1000; i++) writes.push(journal.write(entry('run-drop', i)));
    await Promise.all(writes);

    const lost = Array.from({ length: 1000 }, (_, i) => i).filter((i) => (i + 1) % 100 === 0);
    const got = await countJournal({ url: journal.client, runId: 'run-drop' });
    expect(got.total).toBe(990);
    for (let i = 0; i < 1000; i++) expect(got.eventIds.has(`run-drop-evt-${i}`), `entry ${i}`).toBe(!lost.includes(i));
  });

  it('close() flushes writes nobody awaited', async () => {
    const client = new Surreal({ engines: createNodeEngines() });
    await client.connect('mem://');
    try {
      const journal = await openJournal({ client });
      for (let i = 0; i < 300; i++) void journal.write(entry('run-close', i));
      await journal.close();
      await expect(journal.write(entry('run-close', 999))).rejects.toThrow(/after close/);
      const got = await countJournal({ url: client, runId: 'run-close' });
      expect(got.total).toBe(300);
      expect(got.byPath).toEqual({ legacy: 150, eventbridge: 150 });
    } finally {
      await client.close();
    }
  });

  it('refuses to count an embedded journal by URL, with what to do instead', async () => {
    await expect(countJournal({ url: 'mem://', runId: 'x' })).rejects.toThrow(/pass its connected client/);
  });
});
