/**
 * lib/report: summary.json, report.html and junit.xml. Report writers render a finished Summary (assembled by
 * lib/verdict, baseline comparison included) and never decide anything.
 */
export { renderHtml } from './html.js';
export { renderJunit } from './junit.js';
export { writeReports } from './write.js';
export { validateSummary, SUMMARY_SCHEMA_PATH } from './validate.js';
export { escapeHtml } from './escape.js';
export { alarm } from './alarm.js';
export { formatValue, formatInterval, comparatorText } from './format.js';
