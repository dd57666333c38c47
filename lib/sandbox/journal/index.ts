/**
 * The sandbox's event journal on SurrealDB (the seed's EventJournaler). This file is the folder's only public face.
 */
export { openJournal } from './journal.js';
export type { EventJournal, JournalEntry, JournalOptions } from './journal.js';
