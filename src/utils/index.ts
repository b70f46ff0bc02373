/**
 * Tools around training: summaries, diagnostics, text plots, HTML reports and progress bars.
 *
 * The functions are exported through the public entry layer with a spec of their parameters
 * (guardSpecs, src/tensor/arg-spec.ts): a wrong argument is an Error naming `utils.<function>`, the
 * parameter, what it takes and what it got. Classes and types come through `export *`; a local
 * export takes precedence over a star export of the same name.
 */
import { A, argKind, guardSpecs, optional, or } from "../tensor/arg-spec.js";
import * as summaryModule from "./summary.js";
import * as diagnosticsModule from "./diagnostics.js";
import * as dataChecksModule from "./data-checks.js";
import * as plotModule from "./plot.js";
import * as reportModule from "./report.js";

export * from "./summary.js";
export const { summary } = guardSpecs(summaryModule, "utils", {
  summary: [["model", A.module], ["inputShape", argKind("an input shape like [1, 1, 28, 28] (an array of integers)", (v) => A.ints.test(v))]],
});
export * from "./diagnostics.js";
export const {
  deadReluReport, gradientFlowReport, weightStatsReport, checkLogitsForCrossEntropy, checkProbabilitiesForLog, checkedCrossEntropy, initReport, deepStack,
} = guardSpecs(diagnosticsModule, "utils", {
  deadReluReport: [["model", A.module], ["batch", A.any], ["opts", A.options]],
  gradientFlowReport: [["model", A.module], ["opts", A.options]],
  weightStatsReport: [["model", A.module], ["opts", A.options]],
  checkLogitsForCrossEntropy: [["input", A.tensor], ["opts", A.options]],
  checkProbabilitiesForLog: [["input", A.tensor], ["opts", A.options]],
  checkedCrossEntropy: [["input", A.tensor], ["target", A.tensor], ["opts", A.options]],
  initReport: [["model", A.module], ["batch", A.tensor], ["opts", A.options]],
  deepStack: [["opts", A.options]],
});
export * from "./data-checks.js";
export const { flipAlignmentProbe, batchHomogeneityCheck } = guardSpecs(dataChecksModule, "utils", {
  flipAlignmentProbe: [["transform", argKind("a transform function (sample) => sample", (v) => typeof v === "function")], ["samples", argKind("an array of samples", Array.isArray)], ["opts", A.options]],
  batchHomogeneityCheck: [["batches", argKind("an array of batches, each an array of labels", (v) => Array.isArray(v) && v.every(Array.isArray))], ["opts", A.options]],
});
export * from "./plot.js";
const series = or(A.numbers, argKind<object>("", (v) => A.object.test(v) && Object.values(v as object).every((s) => A.numbers.test(s))), "an array of numbers or an object of them by name ({ train: [...], test: [...] })");
const histogramData = argKind<object>("", (v) => A.object.test(v) && Array.isArray((v as { bins?: unknown }).bins));
export const { fmtNum, sparkline, linePlot, barHistogram, barChart, imageToText, sideBySide } = guardSpecs(plotModule, "utils", {
  fmtNum: [["v", A.number]],
  sparkline: [["values", A.numbers], ["opts", A.options]],
  linePlot: [["series", series], ["opts", A.options]],
  barHistogram: [["data", or(A.numberLike, histogramData, "an array of numbers (or a typed array) or a histogram { bins, edges }")], ["opts", A.options]],
  barChart: [["rows", argKind("an array of [label, value] pairs", (v) => Array.isArray(v) && v.every((r) => Array.isArray(r) && r.length === 2 && typeof r[0] === "string" && typeof r[1] === "number"))], ["opts", A.options]],
  imageToText: [["pixels", A.numberLike], ["width", A.int], ["height", A.int], ["opts", A.options]],
  sideBySide: [["blocks", argKind("an array of text blocks (strings)", (v) => A.strings.test(v))], ["opts", A.options]],
});
export type { ReportData, ReportOptions, Curve, HistogramData, LayerHistograms, ReportImage } from "./report.js";
export const { renderReport, histogram } = guardSpecs(reportModule, "utils", {
  renderReport: [["data", argKind<object>("report data { title, ... }", (v) => A.object.test(v))], ["options", A.options]],
  histogram: [["values", A.numberLike], ["bins", optional(A.int)], ["range", optional(argKind<[number, number]>("a [min, max] pair", (v) => A.numbers.test(v) && (v as number[]).length === 2))]],
});
export { ProgressBar, type ProgressBarOptions, type ProgressStream, type Metrics } from "./progress.js";
