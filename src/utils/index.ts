/**
 * Tools around training: summaries, diagnostics, text plots, HTML reports and progress bars.
 *
 * The functions are exported through the public entry layer (guardAll, src/tensor/check.ts): a
 * wrong argument is an Error naming `utils.<function>`, what it got and its parameters. Classes and
 * types come through `export *`; a local export takes precedence over a star export of the same name.
 */
import { guardAll } from "../tensor/check.js";
import * as summaryModule from "./summary.js";
import * as diagnosticsModule from "./diagnostics.js";
import * as dataChecksModule from "./data-checks.js";
import * as plotModule from "./plot.js";
import * as reportModule from "./report.js";

export * from "./summary.js";
export const { summary } = guardAll(summaryModule, "utils", "all");
export * from "./diagnostics.js";
export const {
  deadReluReport, gradientFlowReport, weightStatsReport, checkLogitsForCrossEntropy, checkProbabilitiesForLog, checkedCrossEntropy, initReport, deepStack,
} = guardAll(diagnosticsModule, "utils", "all");
export * from "./data-checks.js";
export const { flipAlignmentProbe, batchHomogeneityCheck } = guardAll(dataChecksModule, "utils", "all");
export * from "./plot.js";
export const { fmtNum, sparkline, linePlot, barHistogram, barChart, imageToText, sideBySide } = guardAll(plotModule, "utils", "all");
export type { ReportData, ReportOptions, Curve, HistogramData, LayerHistograms, ReportImage } from "./report.js";
export const { renderReport, histogram } = guardAll(reportModule, "utils", "all");
export { ProgressBar, type ProgressBarOptions, type ProgressStream, type Metrics } from "./progress.js";
