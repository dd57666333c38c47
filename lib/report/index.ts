/**
 * lib/report: summary.json, report.html, junit.xml and the baseline comparison.
 * Report writers render a finished Summary and never decide the verdict.
 */
export { renderHtml } from './html.js';
export { renderJunit, failureMessage } from './junit.js';
export { writeReports } from './write.js';
export { validateSummary, SUMMARY_SCHEMA_PATH } from './validate.js';
export {
  compareWithBaseline,
  notEvaluatedDegradation,
  DEGRADATION_ID,
  DEFAULT_MAX_DEGRADATION,
  DEFAULT_ERROR_RATE_FLOOR,
  type BaselineOptions,
  type BaselineComparison,
} from './baseline.js';
export { escapeHtml, escapeXml } from './escape.js';
export { formatValue, comparatorText } from './format.js';
