// Live migration safety: the seed's rollback triggers watched while a stage rolls out (`qsl watch`), and
// the parts the Flagger gate (lib/gate) reuses.
export { LiveWatch, type LiveWatchOptions, type WatchResult, type RollbackRecord } from './watcher.js';
export { parseDuration, checkWatchNumbers, sqsFor, prepareWatchRun } from './run-watch.js';
export { createWatchDisplay, triggerLine, type WatchDisplay } from './display.js';
export { watchReport, renderWatchHtml, writeWatchReports, type WatchReport } from './report.js';
export type { TimelineEntry } from './timeline.js';
export { registerWatchCommand } from './command.js';
