/**
 * A self-contained, offline HTML report of a training run, built from plain data: inline CSS and
 * inline SVG, no scripts, no fonts or images fetched from anywhere, so it opens from a file, an
 * e-mail attachment or a CI artifact years later. Pure string building: runs in Node and browsers.
 */
import { checkKeys } from "../tensor/check.js";
import { pngDataUrl } from "./png.js";

/** The option keys of the functions here: anything else is a misspelling (checkKeys). */
const RENDER_REPORT_KEYS = ["imageMode", "pixelScale", "maxRidges"] as const;

export interface Curve {
  /** One value per epoch (x = 1, 2, ...). NaN/Infinity (a diverged run) leave a gap. */
  train: number[];
  test?: number[];
}

export interface HistogramData {
  /** Counts per bin. */
  bins: number[];
  /** Bin edges, `bins.length + 1` increasing values. */
  edges: number[];
}

export interface LayerHistograms {
  layer: string;
  epochs: ({ epoch: number } & HistogramData)[];
}

export interface ReportImage {
  /** Row-major gray values; [0,1] is drawn as is (1 = ink), anything else is min-max scaled. */
  pixels: Float32Array | number[];
  width: number;
  height: number;
  caption: string;
}

export interface ReportData {
  title: string;
  /** Hyperparameters and run facts, shown as a table (values are JSON-formatted unless strings). */
  config?: Record<string, unknown>;
  /** One line chart per entry, e.g. `{ loss: {train, test}, accuracy: {train, test} }`. */
  curves?: Record<string, Curve>;
  histograms?: LayerHistograms[];
  /** Rows are true labels, columns predicted labels. */
  confusion?: { labels: string[]; matrix: number[][] };
  images?: ReportImage[];
  notes?: string[];
}

export interface ReportOptions {
  /** How digit images are embedded: PNG data URLs (default) or SVG rectangles. */
  imageMode?: "png" | "svg";
  /** Screen pixels per image pixel (default 3). */
  pixelScale?: number;
  /** Most ridges drawn per layer; more epochs are subsampled evenly, keeping the first and last (default 12). */
  maxRidges?: number;
}

/** Escapes text for HTML and SVG content and attribute values. */
export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/**
 * Counts `values` into `bins` equal-width bins over `range` (default: the finite min and max).
 * Values outside the range and NaN are ignored; the last bin includes the upper edge.
 *
 * @example histogram([0, 0.5, 1], 2) // { bins: [1, 2], edges: [0, 0.5, 1] }
 */
export function histogram(values: ArrayLike<number>, bins = 30, range?: [number, number]): HistogramData {
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`histogram: bins must be a positive integer, got ${bins}`);
  let lo: number;
  let hi: number;
  if (range) {
    [lo, hi] = range;
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) throw new Error(`histogram: range must be [lo, hi] with lo < hi, got [${lo}, ${hi}]`);
  } else {
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    if (lo === Infinity) [lo, hi] = [0, 1];
    else if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  }
  const counts = new Array<number>(bins).fill(0);
  const width = (hi - lo) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= lo && v <= hi)) continue;
    counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + i * width));
  return { bins: counts, edges };
}

/** "Nice" tick values (1, 2, 5 × 10^k steps) covering [lo, hi] with about `count` ticks. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) {
    const d = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
    [lo, hi] = [lo - d, hi + d];
  }
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const start = Math.floor(lo / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let k = 0, v = start; v < hi + step * 0.999; k++, v = start + k * step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return ticks;
}

function tickFormatter(ticks: number[]): (v: number) => string {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 1;
  const maxAbs = Math.max(...ticks.map(Math.abs));
  if (maxAbs >= 1e5 || (maxAbs > 0 && maxAbs < 1e-3)) return (v) => (v === 0 ? "0" : v.toExponential(1));
  // As many decimals as the step needs to be exact (0.25 -> 2, 0.5 -> 1, 20 -> 0).
  let decimals = 0;
  while (decimals < 6 && Math.abs(Math.round(step * 10 ** decimals) - step * 10 ** decimals) > 1e-6) decimals++;
  return (v) => (Object.is(v, -0) ? 0 : v).toFixed(decimals);
}

const f2 = (v: number) => (Math.round(v * 100) / 100).toString();

const SERIES_COLORS = { train: "#2563eb", test: "#e8590c" };

function lineChart(name: string, curve: Curve): string {
  const W = 480;
  const H = 290;
  const m = { l: 58, r: 18, t: 40, b: 44 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const series = [
    { key: "train" as const, values: curve.train ?? [] },
    ...(curve.test ? [{ key: "test" as const, values: curve.test }] : []),
  ];
  const n = Math.max(1, ...series.map((s) => s.values.length));
  const finite = series.flatMap((s) => s.values.filter(Number.isFinite));
  let lo = finite.length ? Math.min(...finite) : 0;
  let hi = finite.length ? Math.max(...finite) : 1;
  const pad = (hi - lo) * 0.06 || Math.abs(hi) * 0.1 || 1;
  // Keep natural bounds: a loss never dips below 0 and an accuracy in [0,1] never tops 1.
  const nonNeg = lo >= 0;
  const unit = lo >= 0 && hi <= 1;
  lo -= pad;
  hi += pad;
  if (nonNeg && lo < 0) lo = 0;
  if (unit && hi > 1) hi = 1;
  const yt = niceTicks(lo, hi, 5);
  lo = Math.min(lo, yt[0]);
  hi = Math.max(hi, yt[yt.length - 1]);
  const xt = niceTicks(1, Math.max(n, 2), Math.min(8, Math.max(n - 1, 1))).filter((v) => Number.isInteger(v) && v >= 1 && v <= Math.max(n, 1));
  const xs = (x: number) => m.l + (n <= 1 ? pw / 2 : ((x - 1) / (n - 1)) * pw);
  const ys = (y: number) => m.t + ph - ((y - lo) / (hi - lo)) * ph;
  const fmt = tickFormatter(yt);
  const parts: string[] = [];
  parts.push(`<svg class="chart line-chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(name)} per epoch">`);
  parts.push(`<text class="chart-title" x="${m.l}" y="20">${escapeHtml(name)}</text>`);
  // grid and y axis
  for (const v of yt) {
    const y = f2(ys(v));
    parts.push(`<line class="grid" x1="${m.l}" x2="${m.l + pw}" y1="${y}" y2="${y}"/>`);
    parts.push(`<text class="tick" x="${m.l - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${fmt(v)}</text>`);
  }
  for (const v of xt) {
    const x = f2(xs(v));
    parts.push(`<line class="tickmark" x1="${x}" x2="${x}" y1="${m.t + ph}" y2="${m.t + ph + 5}"/>`);
    parts.push(`<text class="tick" x="${x}" y="${m.t + ph + 18}" text-anchor="middle">${v}</text>`);
  }
  parts.push(`<line class="axis" x1="${m.l}" x2="${m.l + pw}" y1="${m.t + ph}" y2="${m.t + ph}"/>`);
  parts.push(`<line class="axis" x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${m.t + ph}"/>`);
  parts.push(`<text class="axis-label" x="${m.l + pw / 2}" y="${H - 6}" text-anchor="middle">epoch</text>`);
  parts.push(`<text class="axis-label" transform="translate(14 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(name)}</text>`);
  // series
  for (const s of series) {
    let d = "";
    let pen = false;
    s.values.forEach((v, i) => {
      if (!Number.isFinite(v)) {
        pen = false;
        return;
      }
      d += `${pen ? "L" : "M"}${f2(xs(i + 1))} ${f2(ys(v))}`;
      pen = true;
    });
    const color = SERIES_COLORS[s.key];
    parts.push(`<path class="series series-${s.key}" d="${d}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"${s.key === "test" ? ' stroke-dasharray="6 4"' : ""}/>`);
    if (s.values.length <= 60) {
      s.values.forEach((v, i) => {
        if (!Number.isFinite(v)) return;
        parts.push(
          `<circle class="point" cx="${f2(xs(i + 1))}" cy="${f2(ys(v))}" r="${s.values.length <= 25 ? 3 : 2}" fill="${s.key === "test" ? "#fff" : color}" stroke="${color}" stroke-width="1.5"><title>${s.key} ${escapeHtml(name)}, epoch ${i + 1}: ${escapeHtml(fmtValue(v))}</title></circle>`,
        );
      });
    }
  }
  // legend, top right
  let lx = m.l + pw;
  for (const s of [...series].reverse()) {
    const label = s.key;
    const color = SERIES_COLORS[s.key];
    const last = [...s.values].reverse().find(Number.isFinite);
    const text = last === undefined ? label : `${label} ${fmtValue(last)}`;
    const tw = text.length * 6.6 + 30;
    lx -= tw;
    parts.push(
      `<g class="legend-item"><line x1="${f2(lx)}" x2="${f2(lx + 20)}" y1="16" y2="16" stroke="${color}" stroke-width="2"${s.key === "test" ? ' stroke-dasharray="6 4"' : ""}/><text class="legend" x="${f2(lx + 25)}" y="16" dominant-baseline="middle">${escapeHtml(text)}</text></g>`,
    );
  }
  parts.push("</svg>");
  return parts.join("");
}

function fmtValue(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}

/** A sequential color ramp from light to dark blue-violet; t in [0,1]. */
function ramp(t: number, stops: [number, number, number][]): string {
  const x = Math.max(0, Math.min(1, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i].map((v, k) => Math.round(v + (stops[i + 1][k] - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

const HEAT: [number, number, number][] = [[247, 250, 255], [198, 219, 239], [107, 174, 214], [33, 113, 181], [8, 48, 107]];
const EPOCH_RAMP: [number, number, number][] = [[253, 224, 139], [244, 109, 67], [190, 40, 90], [84, 39, 143]];

function histStats(h: HistogramData): { mean: number; std: number; total: number } {
  let total = 0;
  let s = 0;
  for (let i = 0; i < h.bins.length; i++) {
    const c = (h.edges[i] + h.edges[i + 1]) / 2;
    total += h.bins[i];
    s += h.bins[i] * c;
  }
  const mean = total ? s / total : 0;
  let v = 0;
  for (let i = 0; i < h.bins.length; i++) {
    const c = (h.edges[i] + h.edges[i + 1]) / 2;
    v += h.bins[i] * (c - mean) ** 2;
  }
  return { mean, std: total ? Math.sqrt(v / total) : 0, total };
}

function subsample<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  const out: T[] = [];
  for (let k = 0; k < max; k++) out.push(items[Math.round((k * (items.length - 1)) / (max - 1))]);
  return out;
}

function ridgePlot(h: LayerHistograms, maxRidges: number): string {
  for (const e of h.epochs) {
    if (e.edges.length !== e.bins.length + 1) {
      throw new Error(`renderReport: histogram of ${h.layer}, epoch ${e.epoch}: ${e.bins.length} bins need ${e.bins.length + 1} edges, got ${e.edges.length}`);
    }
  }
  const epochs = subsample(h.epochs, maxRidges);
  const W = 480;
  const rowH = 26;
  const amp = rowH * 1.9;
  const m = { l: 70, r: 74, t: 34 + amp - rowH, b: 40 };
  const pw = W - m.l - m.r;
  const H = m.t + rowH * Math.max(1, epochs.length) + m.b;
  let lo = Math.min(...epochs.map((e) => e.edges[0]));
  let hi = Math.max(...epochs.map((e) => e.edges[e.edges.length - 1]));
  if (!(hi > lo)) [lo, hi] = [lo - 1, hi + 1];
  const xt = niceTicks(lo, hi, 5).filter((v) => v >= lo - 1e-12 && v <= hi + 1e-12);
  const xs = (x: number) => m.l + ((x - lo) / (hi - lo)) * pw;
  const fmt = tickFormatter(xt.length > 1 ? xt : niceTicks(lo, hi, 5));
  const base = (k: number) => m.t + rowH * (k + 1);
  const parts: string[] = [];
  parts.push(`<svg class="chart ridge-chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="weight distribution of ${escapeHtml(h.layer)} per epoch">`);
  parts.push(`<text class="chart-title" x="${m.l}" y="20">${escapeHtml(h.layer)}</text>`);
  parts.push(`<text class="legend" x="${W - 6}" y="20" text-anchor="end">std</text>`);
  const plotBottom = base(epochs.length - 1);
  for (const v of xt) {
    const x = f2(xs(v));
    parts.push(`<line class="${v === 0 ? "zero" : "grid"}" x1="${x}" x2="${x}" y1="${m.t - amp + rowH}" y2="${plotBottom}"/>`);
    parts.push(`<text class="tick" x="${x}" y="${plotBottom + 18}" text-anchor="middle">${fmt(v)}</text>`);
  }
  parts.push(`<line class="axis" x1="${m.l}" x2="${m.l + pw}" y1="${plotBottom}" y2="${plotBottom}"/>`);
  parts.push(`<text class="axis-label" x="${m.l + pw / 2}" y="${H - 6}" text-anchor="middle">weight value</text>`);
  epochs.forEach((e, k) => {
    const y0 = base(k);
    const widths = e.bins.map((_, i) => e.edges[i + 1] - e.edges[i]);
    const dens = e.bins.map((c, i) => (widths[i] > 0 ? c / widths[i] : 0));
    const peak = Math.max(...dens, 0) || 1;
    let d = `M${f2(xs(e.edges[0]))} ${f2(y0)}`;
    for (let i = 0; i < e.bins.length; i++) {
      const y = f2(y0 - (dens[i] / peak) * amp);
      d += `L${f2(xs(e.edges[i]))} ${y}L${f2(xs(e.edges[i + 1]))} ${y}`;
    }
    d += `L${f2(xs(e.edges[e.edges.length - 1]))} ${f2(y0)}Z`;
    const color = ramp(epochs.length > 1 ? k / (epochs.length - 1) : 1, EPOCH_RAMP);
    const st = histStats(e);
    parts.push(
      `<path class="ridge" d="${d}" fill="${color}" fill-opacity="0.82" stroke="#1f2937" stroke-width="0.8" stroke-linejoin="round"><title>${escapeHtml(h.layer)}, epoch ${e.epoch}: mean ${fmtValue(st.mean)}, std ${fmtValue(st.std)}, ${st.total} weights</title></path>`,
    );
    parts.push(`<text class="tick" x="${m.l - 8}" y="${f2(y0 - 4)}" text-anchor="end">epoch ${e.epoch}</text>`);
    parts.push(`<text class="tick stat" x="${W - 6}" y="${f2(y0 - 4)}" text-anchor="end">${escapeHtml(st.std === 0 ? "0" : st.std.toPrecision(3))}</text>`);
  });
  parts.push("</svg>");
  return parts.join("");
}

function confusionChart(labels: string[], matrix: number[][]): string {
  const n = labels.length;
  if (matrix.length !== n || matrix.some((r) => r.length !== n)) {
    throw new Error(`renderReport: confusion matrix must be ${n}×${n} for ${n} labels, got ${matrix.length}×${matrix[0]?.length ?? 0}`);
  }
  const cell = Math.max(22, Math.min(46, Math.floor(460 / Math.max(n, 1))));
  const m = { l: 84, r: 70, t: 26, b: 56 };
  const W = m.l + n * cell + m.r;
  const H = m.t + n * cell + m.b;
  const maxCount = Math.max(...matrix.flat().map(String).map((s) => s.length), 1);
  const fs = Math.max(8, Math.min(13, (cell * 0.9) / Math.max(2.2, maxCount * 0.62)));
  const parts: string[] = [];
  parts.push(`<svg class="chart confusion-chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="confusion matrix">`);
  parts.push(`<text class="legend" x="${W - 6}" y="${m.t - 8}" text-anchor="end">recall</text>`);
  matrix.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((c, j) => {
      const frac = total ? c / total : 0;
      const x = m.l + j * cell;
      const y = m.t + i * cell;
      parts.push(
        `<rect class="cell${i === j ? " diag" : ""}" x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${ramp(Math.sqrt(frac), HEAT)}"><title>true ${escapeHtml(labels[i])}, predicted ${escapeHtml(labels[j])}: ${c} (${(frac * 100).toFixed(1)}% of row)</title></rect>`,
      );
      if (c !== 0) {
        parts.push(`<text class="count${Math.sqrt(frac) > 0.55 ? " on-dark" : ""}" x="${x + cell / 2}" y="${y + cell / 2}" text-anchor="middle" dominant-baseline="central" font-size="${f2(fs)}">${c}</text>`);
      }
    });
    parts.push(`<text class="tick" x="${m.l - 8}" y="${m.t + i * cell + cell / 2}" text-anchor="end" dominant-baseline="central">${escapeHtml(labels[i])}</text>`);
    const recall = total ? `${((row[i] / total) * 100).toFixed(1)}%` : "–";
    parts.push(`<text class="tick stat" x="${W - 6}" y="${m.t + i * cell + cell / 2}" text-anchor="end" dominant-baseline="central">${recall}</text>`);
  });
  labels.forEach((l, j) => {
    parts.push(`<text class="tick" x="${m.l + j * cell + cell / 2}" y="${m.t + n * cell + 16}" text-anchor="middle">${escapeHtml(l)}</text>`);
  });
  parts.push(`<rect class="frame" x="${m.l}" y="${m.t}" width="${n * cell}" height="${n * cell}" fill="none"/>`);
  parts.push(`<text class="axis-label" x="${m.l + (n * cell) / 2}" y="${H - 10}" text-anchor="middle">predicted</text>`);
  parts.push(`<text class="axis-label" transform="translate(16 ${m.t + (n * cell) / 2}) rotate(-90)" text-anchor="middle">true</text>`);
  parts.push("</svg>");
  return parts.join("");
}

/** Maps pixels to 0..255 gray with ink (1) dark on paper (0) light; out-of-[0,1] data is min-max scaled. */
function toGray(img: ReportImage): Uint8Array {
  const { pixels, width, height } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || pixels.length !== width * height) {
    throw new Error(`renderReport: image "${img.caption}": ${width}×${height} needs ${width * height} pixels, got ${pixels.length}`);
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i];
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  const scale = lo < 0 || hi > 1;
  const out = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) {
    let v = Number.isFinite(pixels[i]) ? pixels[i] : 0;
    if (scale) v = hi > lo ? (v - lo) / (hi - lo) : 0;
    out[i] = Math.round(255 * (1 - v));
  }
  return out;
}

/** SVG rectangles, one per horizontal run of equal (16-level) gray, background skipped. */
function imageSvg(gray: Uint8Array, w: number, h: number, scale: number, label: string): string {
  const parts = [`<svg class="digit-img" viewBox="0 0 ${w} ${h}" width="${w * scale}" height="${h * scale}" shape-rendering="crispEdges" role="img" aria-label="${escapeHtml(label)}"><rect class="paper" width="${w}" height="${h}" fill="#fff"/>`];
  for (let y = 0; y < h; y++) {
    let x = 0;
    while (x < w) {
      const q = Math.round(gray[y * w + x] / 17);
      let e = x + 1;
      while (e < w && Math.round(gray[y * w + e] / 17) === q) e++;
      if (q < 15) {
        const g = q * 17;
        parts.push(`<rect x="${x}" y="${y}" width="${e - x}" height="1" fill="rgb(${g},${g},${g})"/>`);
      }
      x = e;
    }
  }
  parts.push("</svg>");
  return parts.join("");
}

const CSS = `
:root{--ink:#1e293b;--muted:#64748b;--line:#e2e8f0;--bg:#f8fafc;--card:#fff;--accent:#2563eb}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue","DejaVu Sans",Arial,sans-serif;-webkit-font-smoothing:antialiased}
main{max-width:1120px;margin:0 auto;padding:32px 24px 64px}
header{border-bottom:1px solid var(--line);margin-bottom:8px;padding-bottom:16px}
h1{font-size:26px;line-height:1.2;margin:0 0 6px;letter-spacing:-0.01em}
h2{font-size:17px;margin:36px 0 4px;letter-spacing:0.01em}
.lede{color:var(--muted);margin:0 0 14px;font-size:14px;max-width:72ch}
.sub{color:var(--muted);margin:0;font-size:14px}
.grid{display:flex;flex-wrap:wrap;gap:16px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 12px;box-shadow:0 1px 2px rgba(15,23,42,.04)}
table.config{border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:10px;overflow:hidden;font-size:14px;min-width:360px}
table.config th,table.config td{padding:6px 14px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
table.config th{font-weight:600;color:var(--muted);white-space:nowrap}
table.config td{font-family:ui-monospace,SFMono-Regular,Menlo,"DejaVu Sans Mono",monospace;font-size:13px}
table.config tr:last-child th,table.config tr:last-child td{border-bottom:0}
svg.chart{display:block;max-width:100%;height:auto;font-variant-numeric:tabular-nums}
svg text{font-family:inherit;fill:#475569;font-size:11.5px}
svg .chart-title{font-size:14px;font-weight:600;fill:var(--ink)}
svg .axis-label{font-size:12px;fill:var(--muted)}
svg .legend{font-size:12px;fill:var(--ink)}
svg .stat{fill:var(--muted)}
svg .grid{stroke:#eef2f7;stroke-width:1}
svg .zero{stroke:#94a3b8;stroke-width:1;stroke-dasharray:3 3}
svg .axis,svg .tickmark{stroke:#94a3b8;stroke-width:1}
svg .frame{stroke:#cbd5e1;stroke-width:1}
svg .cell{stroke:#fff;stroke-width:1}
svg .count{fill:#1e293b;font-weight:500}
svg .count.on-dark{fill:#fff}
.digits{display:flex;flex-wrap:wrap;gap:12px}
figure.digit{margin:0;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px;text-align:center}
figure.digit img,figure.digit svg{display:block;image-rendering:pixelated;image-rendering:crisp-edges;margin:0 auto}
figure.digit figcaption{font-size:12px;color:var(--muted);margin-top:6px;max-width:112px;line-height:1.35;font-variant-numeric:tabular-nums}
ul.notes{padding-left:20px;max-width:72ch}
ul.notes li{margin:4px 0}
footer{margin-top:48px;color:var(--muted);font-size:12px;border-top:1px solid var(--line);padding-top:12px}
`;

/**
 * Renders a complete HTML page (inline CSS and SVG, no external resources) for a training run.
 * Every section is optional except the title; all text is escaped.
 *
 * @example await atomicWriteFile("report.html", renderReport({ title: "MNIST MLP", curves: { loss: { train: [0.9, 0.4], test: [0.5, 0.45] } } }));
 */
export function renderReport(data: ReportData, options: ReportOptions = {}): string {
  checkKeys("renderReport", options, RENDER_REPORT_KEYS);
  const imageMode = options.imageMode ?? "png";
  const scale = options.pixelScale ?? 3;
  const maxRidges = options.maxRidges ?? 12;
  const out: string[] = [];
  out.push(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(data.title)}</title><style>${CSS}</style></head><body><main>`,
  );
  const curves = Object.entries(data.curves ?? {});
  const lastOf = (xs?: number[]) => (xs ?? []).filter(Number.isFinite).at(-1);
  const summary: string[] = [];
  for (const [name, c] of curves) {
    const t = lastOf(c.test);
    if (t !== undefined) summary.push(`final test ${name} ${fmtValue(t)}`);
  }
  out.push(`<header><h1>${escapeHtml(data.title)}</h1>${summary.length ? `<p class="sub">${escapeHtml(summary.join(" · "))}</p>` : ""}</header>`);

  if (data.config && Object.keys(data.config).length) {
    out.push(`<section id="config"><h2>Configuration</h2><table class="config"><tbody>`);
    for (const [k, v] of Object.entries(data.config)) {
      out.push(`<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(typeof v === "string" ? v : JSON.stringify(v))}</td></tr>`);
    }
    out.push(`</tbody></table></section>`);
  }
  if (curves.length) {
    out.push(`<section id="curves"><h2>Training curves</h2><p class="lede">Solid: training set; dashed: test set. A widening gap between them is overfitting.</p><div class="grid">`);
    for (const [name, c] of curves) out.push(`<div class="card">${lineChart(name, c)}</div>`);
    out.push(`</div></section>`);
  }
  if (data.histograms?.length) {
    out.push(
      `<section id="weights"><h2>Weight distributions</h2><p class="lede">One ridge per epoch, each scaled to its own peak; the right column is the standard deviation. Ridges narrowing onto the dashed zero line mean the weights are collapsing towards 0 (e.g. too much L2 weight decay).</p><div class="grid">`,
    );
    for (const h of data.histograms) out.push(`<div class="card">${ridgePlot(h, maxRidges)}</div>`);
    out.push(`</div></section>`);
  }
  if (data.confusion) {
    const { labels, matrix } = data.confusion;
    const total = matrix.flat().reduce((a, b) => a + b, 0);
    const correct = matrix.reduce((a, r, i) => a + (r[i] ?? 0), 0);
    const acc = total ? `${((correct / total) * 100).toFixed(2)}% correct (${correct} of ${total})` : "no samples";
    out.push(`<section id="confusion"><h2>Confusion matrix</h2><p class="lede">Rows: true class; columns: predicted class; shade: share of the row. ${escapeHtml(acc)}.</p><div class="card" style="display:inline-block">${confusionChart(labels, matrix)}</div></section>`);
  }
  if (data.images?.length) {
    out.push(`<section id="misclassified"><h2>Misclassified examples</h2><div class="digits">`);
    for (const img of data.images) {
      const gray = toGray(img);
      const visual =
        imageMode === "svg"
          ? imageSvg(gray, img.width, img.height, scale, img.caption)
          : `<img src="${pngDataUrl(gray, img.width, img.height)}" width="${img.width * scale}" height="${img.height * scale}" alt="${escapeHtml(img.caption)}">`;
      out.push(`<figure class="digit">${visual}<figcaption>${escapeHtml(img.caption)}</figcaption></figure>`);
    }
    out.push(`</div></section>`);
  }
  if (data.notes?.length) {
    out.push(`<section id="notes"><h2>Notes</h2><ul class="notes">${data.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul></section>`);
  }
  out.push(`<footer>Generated by deeptype. Self-contained: no scripts, no external resources.</footer></main></body></html>\n`);
  return out.join("\n");
}
