/** The drill report: a model built from an incident's audit trail, rendered as HTML, Markdown or a Slack message. */
export { buildDrillReport, DEFAULT_RTO_MINUTES } from './build.js';
export { renderHtml } from './html.js';
export { renderMarkdown, slackReportMessage } from './markdown.js';
export type { DrillOutcome, DrillReport, DrillReportInput, Measure, StepSpan, Targets } from './model.js';
