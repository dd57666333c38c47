// Live migration safety: the seed's rollback triggers watched while a stage rolls out.
export { LiveWatch, type LiveWatchOptions, type WatchResult, type RollbackRecord } from './watcher.js';
export { runWatch, parseDuration, checkWatchNumbers, checkReachable, sqsFor, prepareWatchRun, type WatchOptions } from './run-watch.js';
export { createWatchDisplay, triggerLine, describeTriggers, type WatchDisplay } from './display.js';
export { watchReport, renderWatchHtml, writeWatchReports, type WatchReport } from './report.js';
export type { TimelineEntry } from './timeline.js';
export { registerWatchCommand } from './command.js';
