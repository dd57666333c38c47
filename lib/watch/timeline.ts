import { appendFileSync } from 'node:fs';

/** One decision or observation of the watch, in the order it happened. */
export interface TimelineEntry {
  at: string;
  /** `start`, `over` (crossed its threshold), `recovered`, `fired`, `action`, `webhook`, `flags`, `end`, `error`. */
  event: string;
  trigger?: string;
  /** The window's value at the time, against the threshold. */
  value?: number | null;
  threshold?: number;
  windowSeconds?: number;
  action?: string;
  outcome?: 'ok' | 'failed';
  detail?: string;
}

/** Kept in memory for the report and appended to timeline.ndjson as it happens, so a crash loses nothing. */
export class Timeline {
  readonly entries: TimelineEntry[] = [];
  constructor(private readonly file: string | null) {}
  add(e: Omit<TimelineEntry, 'at'> & { at?: number }): TimelineEntry {
    const entry: TimelineEntry = { ...e, at: new Date(e.at ?? Date.now()).toISOString() };
    this.entries.push(entry);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
    return entry;
  }
}
