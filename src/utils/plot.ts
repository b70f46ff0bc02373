/**
 * Plain-text plots for terminals and logs: a sparkline, a line chart of one or more curves, a
 * horizontal-bar histogram, a labelled bar chart and a grey-level picture of an image. Pure string
 * building with no ANSI escape codes, so the output reads the same in a terminal, a CI log or a
 * file (block characters are Unicode; pass `ascii: true` where only 7-bit text survives).
 */
import { argError, checkInt, checkKeys } from "../tensor/check.js";
import type { HistogramData } from "./report.js";

/** What each option of the plots takes: `{ width: "x" }` or `{ bins: 0 }` is an error naming it, not a garbled plot. */
const OPTION_KINDS: Record<string, (fn: string, key: string, v: unknown) => void> = {
  width: (fn, k, v) => checkInt(fn, k, v), height: (fn, k, v) => checkInt(fn, k, v), bins: (fn, k, v) => checkInt(fn, k, v),
  gap: (fn, k, v) => checkInt(fn, k, v, 0),
  ascii: flag, logScale: flag, logY: flag,
  title: text, xLabel: text,
  palette: (fn, k, v) => {
    if (typeof v !== "string" || v.length === 0) throw argError(fn, k, "a non-empty string of characters, darkest first", v);
  },
  range: (fn, k, v) => {
    if (!Array.isArray(v) || v.length !== 2 || !v.every((b) => typeof b === "number" && Number.isFinite(b))) throw argError(fn, k, "[low, high], two finite numbers", v);
  },
  captions: (fn, k, v) => {
    if (!Array.isArray(v) || !v.every((c) => typeof c === "string")) throw argError(fn, k, "an array of strings", v);
  },
};

function flag(fn: string, key: string, v: unknown): void {
  if (typeof v !== "boolean") throw argError(fn, key, "true or false", v);
}

function text(fn: string, key: string, v: unknown): void {
  if (typeof v !== "string") throw argError(fn, key, "a string", v);
}

/** The keys (checkKeys) and then each given value's kind, named as the user calls it (`utils.barChart`). */
function checkPlotOptions(fn: string, opts: object, keys: readonly string[]): void {
  checkKeys(`utils.${fn}`, opts, keys);
  for (const [k, v] of Object.entries(opts)) if (v !== undefined) OPTION_KINDS[k](`utils.${fn}`, k, v);
}

/** The option keys of the functions here: anything else is a misspelling (checkKeys). */
const SIDE_BY_SIDE_KEYS = ["gap", "captions"] as const;
const IMAGE_TO_TEXT_KEYS = ["range", "palette"] as const;
const BAR_CHART_KEYS = ["width", "logScale", "title", "ascii"] as const;
const BAR_HISTOGRAM_KEYS = ["width", "bins", "title", "ascii"] as const;
const LINE_PLOT_KEYS = ["width", "height", "title", "logY", "xLabel"] as const;
const SPARKLINE_KEYS = ["width", "ascii"] as const;

const SPARK = "▁▂▃▄▅▆▇█";
const SPARK_ASCII = "_.-~=*#@";

/** Shortest readable form of a number for axis labels: 3 significant digits, exponent when tiny or huge. */
export function fmtNum(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1).replace("e+", "e");
  return String(Number(v.toPrecision(3)));
}

function finiteRange(values: readonly number[][]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of values) for (const v of s) if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
  if (lo === Infinity) return [0, 1];
  if (lo === hi) return [lo - (Math.abs(lo) || 1) * 0.5, hi + (Math.abs(hi) || 1) * 0.5];
  return [lo, hi];
}

/** Evenly picks `n` of `values` (keeping the first and last) so a long curve fits a fixed width. */
function resample(values: readonly number[], n: number): number[] {
  if (values.length <= n) return [...values];
  return Array.from({ length: n }, (_, i) => values[Math.round((i * (values.length - 1)) / (n - 1))]);
}

/**
 * One line of block characters, low to high; non-finite values (a diverged run) print as a space.
 * Longer inputs are subsampled to `width` (default 60).
 *
 * @example sparkline([3, 2, 1, 1.5]) // "█▁▁▄"  (roughly)
 */
export function sparkline(values: readonly number[], opts: { width?: number; ascii?: boolean } = {}): string {
  checkPlotOptions("sparkline", opts, SPARKLINE_KEYS);
  const chars = opts.ascii ? SPARK_ASCII : SPARK;
  const v = resample(values, opts.width ?? 60);
  const [lo, hi] = finiteRange([v]);
  return v.map((x) => (Number.isFinite(x) ? chars[Math.min(chars.length - 1, Math.floor(((x - lo) / (hi - lo)) * chars.length))] : " ")).join("");
}

export interface LinePlotOptions {
  /** Plot area columns (default 60) and rows (default 12). */
  width?: number;
  height?: number;
  title?: string;
  /** Plot log10 of the values (for losses spanning decades); non-positive values are skipped. */
  logY?: boolean;
  /** Label of the x axis (default "step"). */
  xLabel?: string;
}

const MARKS = ["*", "o", "+", "x", "#", "%"];

/**
 * A line chart of one or more curves sharing the axes; each series gets its own mark and a legend.
 * Series of different lengths share x = 0..(longest − 1), subsampled to the plot width.
 *
 * @example console.log(linePlot({ train: trainLoss, test: testLoss }, { title: "loss", logY: true }))
 */
export function linePlot(series: Record<string, readonly number[]> | readonly number[], opts: LinePlotOptions = {}): string {
  checkPlotOptions("linePlot", opts, LINE_PLOT_KEYS);
  const named: [string, readonly number[]][] = Array.isArray(series) ? [["", series as readonly number[]]] : Object.entries(series);
  const width = opts.width ?? 60;
  const height = opts.height ?? 12;
  if (!(width >= 2 && height >= 2)) throw new Error(`linePlot: width and height must be at least 2, got ${width}x${height}`);
  const tf = (v: number): number => (opts.logY ? (v > 0 ? Math.log10(v) : NaN) : v);
  const longest = Math.max(1, ...named.map(([, s]) => s.length));
  // Long curves are subsampled to one point per column; short ones are spread over the width.
  const cols = longest === 1 ? 1 : width;
  const ys = named.map(([, s]) => s.map(tf));
  const [lo, hi] = finiteRange(ys);
  const grid = Array.from({ length: height }, () => new Array<string>(cols).fill(" "));
  const put = (c: number, y: number, mark: string): void => {
    if (!Number.isFinite(y)) return;
    const r = Math.round(((hi - y) / (hi - lo)) * (height - 1));
    grid[r][c] = grid[r][c] === " " || grid[r][c] === mark ? mark : "@";
  };
  named.forEach(([, s], k) => {
    const mark = MARKS[k % MARKS.length];
    if (longest <= cols) {
      s.forEach((v, i) => put(longest === 1 ? 0 : Math.round((i * (cols - 1)) / (longest - 1)), tf(v), mark));
    } else {
      for (let c = 0; c < cols; c++) {
        const i = Math.round((c * (longest - 1)) / (cols - 1));
        if (i < s.length) put(c, tf(s[i]), mark);
      }
    }
  });
  const label = (v: number): string => fmtNum(opts.logY ? 10 ** v : v);
  const labels = grid.map((_, r) => (r === 0 ? label(hi) : r === height - 1 ? label(lo) : r === Math.floor((height - 1) / 2) ? label(hi - ((hi - lo) * r) / (height - 1)) : ""));
  const lw = Math.max(...labels.map((l) => l.length));
  const lines: string[] = [];
  if (opts.title) lines.push(opts.title + (opts.logY ? " (log scale)" : ""));
  grid.forEach((row, r) => lines.push(`${labels[r].padStart(lw)} ┤${row.join("")}`.trimEnd()));
  lines.push(`${" ".repeat(lw)} └${"─".repeat(cols)}`);
  const right = String(longest - 1);
  const mid = opts.xLabel ?? "step";
  const axis = cols >= mid.length + right.length + 4
    ? "0" + mid.padStart(Math.floor((cols + mid.length) / 2) - 1).padEnd(cols - 1 - right.length) + right
    : `0 .. ${right}`;
  lines.push(`${" ".repeat(lw)}  ${axis}`);
  if (named.length > 1 || named[0][0]) {
    lines.push(`${" ".repeat(lw)}  ${named.map(([n, s], k) => `${MARKS[k % MARKS.length]} ${n} (last ${fmtNum(s[s.length - 1])})`).join("   ")}`);
  }
  return lines.join("\n");
}

/**
 * A histogram drawn sideways: one row per bin, `[lo, hi)` and a bar proportional to the count.
 * Takes the output of `histogram()` from report.ts, or raw values (binned into `bins`, default 12).
 *
 * @example console.log(barHistogram(histogram(weights, 10), { title: "fc1.weight" }))
 */
export function barHistogram(
  data: HistogramData | ArrayLike<number>,
  opts: { width?: number; bins?: number; title?: string; ascii?: boolean } = {},
): string {
  checkPlotOptions("barHistogram", opts, BAR_HISTOGRAM_KEYS);
  const h = "bins" in data && "edges" in data ? (data as HistogramData) : binValues(data as ArrayLike<number>, opts.bins ?? 12);
  const width = opts.width ?? 40;
  const max = Math.max(1, ...h.bins);
  const lab = h.bins.map((_, i) => [fmtNum(h.edges[i]), fmtNum(h.edges[i + 1])]);
  const w0 = Math.max(...lab.map((l) => l[0].length));
  const w1 = Math.max(...lab.map((l) => l[1].length));
  const lines = opts.title ? [opts.title] : [];
  h.bins.forEach((c, i) => {
    const n = (c / max) * width;
    const bar = opts.ascii ? "#".repeat(Math.round(n)) : "█".repeat(Math.floor(n)) + (n % 1 >= 0.5 ? "▌" : "");
    lines.push(`${lab[i][0].padStart(w0)} .. ${lab[i][1].padEnd(w1)} │${bar} ${c}`);
  });
  return lines.join("\n");
}

function binValues(values: ArrayLike<number>, bins: number): HistogramData {
  const [lo, hi] = finiteRange([Array.from(values)]);
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) counts[Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins))]++;
  }
  return { bins: counts, edges: Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins) };
}

/**
 * Labelled horizontal bars, e.g. gradient norm per layer. With `logScale` the bar length is
 * proportional to log10 of the value above the smallest one, so values decades apart stay visible.
 *
 * @example console.log(barChart([["fc1", 0.02], ["fc2", 0.4]], { logScale: true }))
 */
export function barChart(rows: readonly (readonly [string, number])[], opts: { width?: number; logScale?: boolean; title?: string; ascii?: boolean } = {}): string {
  checkPlotOptions("barChart", opts, BAR_CHART_KEYS);
  const width = opts.width ?? 40;
  const tf = (v: number): number => (opts.logScale ? Math.log10(Math.max(Math.abs(v), 1e-30)) : Math.abs(v));
  const t = rows.map(([, v]) => tf(v)).filter(Number.isFinite);
  const lo = opts.logScale ? Math.min(...t) - 1 : 0;
  const hi = Math.max(lo + 1e-12, ...t);
  const lw = Math.max(0, ...rows.map(([l]) => l.length));
  const lines = opts.title ? [opts.title] : [];
  for (const [l, v] of rows) {
    const n = Number.isFinite(tf(v)) ? ((tf(v) - lo) / (hi - lo)) * width : 0;
    const bar = (opts.ascii ? "#" : "█").repeat(Math.max(0, Math.round(n)));
    lines.push(`${l.padEnd(lw)} │${bar} ${fmtNum(v)}`);
  }
  return lines.join("\n");
}

const SHADES = " .:-=+*#%@";

/**
 * A grey-level image as text, two characters per pixel so it keeps its aspect ratio. Values are
 * min-max scaled unless `range` is given (e.g. [0, 1] for MNIST digits, where 1 is ink).
 * Integer class maps (segmentation masks) can be drawn with `palette: " abcdef"` style strings.
 *
 * @example console.log(imageToText(digit.data(), 28, 28, { range: [0, 1] }))
 */
export function imageToText(pixels: ArrayLike<number>, width: number, height: number, opts: { range?: [number, number]; palette?: string } = {}): string {
  checkPlotOptions("imageToText", opts, IMAGE_TO_TEXT_KEYS);
  if (pixels.length < width * height) throw new Error(`imageToText: ${pixels.length} values cannot fill a ${width}x${height} image`);
  const palette = opts.palette ?? SHADES;
  let [lo, hi] = opts.range ?? finiteRange([Array.from(pixels).slice(0, width * height)]);
  if (hi <= lo) hi = lo + 1;
  const rows: string[] = [];
  for (let y = 0; y < height; y++) {
    let row = "";
    for (let x = 0; x < width; x++) {
      const v = (pixels[y * width + x] - lo) / (hi - lo);
      const c = palette[Math.max(0, Math.min(palette.length - 1, Math.round(v * (palette.length - 1))))];
      row += c + c;
    }
    rows.push(row);
  }
  return rows.join("\n");
}

/**
 * Joins multi-line text blocks side by side (pictures next to each other, with optional captions
 * above), padding each to its widest line.
 *
 * @example console.log(sideBySide([imageToText(a, 28, 28), imageToText(b, 28, 28)], { captions: ["input", "output"] }))
 */
export function sideBySide(blocks: readonly string[], opts: { gap?: number; captions?: readonly string[] } = {}): string {
  checkPlotOptions("sideBySide", opts, SIDE_BY_SIDE_KEYS);
  const gap = " ".repeat(opts.gap ?? 2);
  const split = blocks.map((b, i) => (opts.captions ? [opts.captions[i] ?? "", ...b.split("\n")] : b.split("\n")));
  const widths = split.map((ls) => Math.max(...ls.map((l) => [...l].length)));
  const rows = Math.max(...split.map((ls) => ls.length));
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    out.push(split.map((ls, i) => { const l = ls[r] ?? ""; return l + " ".repeat(widths[i] - [...l].length); }).join(gap).trimEnd());
  }
  return out.join("\n");
}
