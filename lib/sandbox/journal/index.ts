/**
 * The sandbox's event journal on SurrealDB (the seed's EventJournaler). This file is the folder's only public face.
 */
export { JOURNAL_TABLE, openJournal } from './journal.js';
export type { EventJournal, JournalEntry, JournalOptions } from './journal.js';
