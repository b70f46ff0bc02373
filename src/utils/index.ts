/** Tools around training: summaries, diagnostics, text plots, HTML reports and progress bars. */
export * from "./summary.js";
export * from "./diagnostics.js";
export * from "./data-checks.js";
export * from "./plot.js";
export { renderReport, histogram, type ReportData, type ReportOptions, type Curve, type HistogramData, type LayerHistograms, type ReportImage } from "./report.js";
export { ProgressBar, type ProgressBarOptions, type ProgressStream, type Metrics } from "./progress.js";
