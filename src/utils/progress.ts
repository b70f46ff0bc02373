/**
 * A training progress bar that behaves well in both places training output ends up: a terminal
 * (one line redrawn in place, throttled) and a log file or CI page (plain lines, no control
 * characters, a line every ~10% or every few seconds, and a final line).
 */
import { checkOptions, optionKeys } from "../tensor/check.js";

/** What the bar writes to: `process.stderr`, `process.stdout`, or a fake in tests. */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export type Metrics = Record<string, number | string>;

export interface ProgressBarOptions {
  /** Number of items (samples or batches) expected; 0 or undefined when unknown. */
  total?: number;
  /** Shown before the bar, e.g. `"epoch 3/10"`. */
  label?: string;
  /** Defaults to `process.stderr` in Node (so stdout stays clean for results). */
  stream?: ProgressStream;
  /** Name of the counted items in the rate, default `"samples"` (`90.0 samples/s`). */
  unit?: string;
  /** Milliseconds clock; inject a fake one for deterministic tests. Default `performance.now()`. */
  now?: () => number;
  /** TTY: minimum milliseconds between redraws (default 100, ~10 redraws/s). */
  redrawIntervalMs?: number;
  /** Non-TTY: print a line each time this percentage step is crossed (default 10). */
  logEveryPercent?: number;
  /** Non-TTY: print a line at least this often while progressing (default 30 s). */
  logEverySeconds?: number;
  /** TTY: line width when the stream does not report `columns` (default 100). */
  width?: number;
}

/** Formats seconds as `MM:SS` or `H:MM:SS`, the way tqdm does. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${String(m).padStart(2, "0")}:${ss}`;
}

/** Formats a metric compactly: integers as is, tiny or huge values in exponent form, else 4 decimals. */
export function formatMetric(v: number | string): string {
  if (typeof v === "string") return v;
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(2);
  return v.toFixed(4);
}

function formatRate(r: number): string {
  if (!Number.isFinite(r)) return "?";
  return r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2);
}

const BLOCKS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

const PROGRESS_BAR_KEYS = optionKeys<ProgressBarOptions>()({
  total: true, label: true, stream: true, unit: true, now: true, redrawIntervalMs: true, logEveryPercent: true, logEverySeconds: true, width: true,
});

/**
 * Progress of one loop (an epoch, an evaluation): `update(n, metrics)` after each batch, `finish()` at the end.
 * `update` adds `n` to the count, like tqdm's `update`.
 *
 * @example const bar = new ProgressBar({ total: 60000, label: "epoch 1" }); bar.update(64, { loss: 0.31 }); bar.finish();
 */
export class ProgressBar {
  readonly total: number;
  readonly label: string;
  private readonly stream: ProgressStream;
  private readonly tty: boolean;
  private readonly unit: string;
  private readonly now: () => number;
  private readonly redrawIntervalMs: number;
  private readonly logEveryPercent: number;
  private readonly logEveryMs: number;
  private readonly width: number;
  private readonly start: number;
  private count = 0;
  private metrics: Metrics = {};
  private lastDraw = -Infinity;
  private lastLog: number;
  private lastStep = 0;
  private done = false;

  constructor(options: ProgressBarOptions = {}) {
    options = checkOptions("ProgressBar", options, "{ total: 100 }", PROGRESS_BAR_KEYS);
    const total = options.total ?? 0;
    if (!Number.isFinite(total) || total < 0) throw new Error(`ProgressBar: total must be a non-negative number, got ${total}`);
    this.total = total;
    this.label = options.label ?? "";
    const stream = options.stream ?? (globalThis as { process?: { stderr?: ProgressStream } }).process?.stderr;
    if (!stream) throw new Error("ProgressBar: no stream given and no process.stderr here; pass options.stream");
    this.stream = stream;
    this.tty = stream.isTTY === true;
    this.unit = options.unit ?? "samples";
    this.now = options.now ?? (() => performance.now());
    this.redrawIntervalMs = options.redrawIntervalMs ?? 100;
    this.logEveryPercent = options.logEveryPercent ?? 10;
    this.logEveryMs = (options.logEverySeconds ?? 30) * 1000;
    this.width = options.width ?? 100;
    this.start = this.now();
    this.lastLog = this.start;
  }

  /** Items counted so far. */
  get n(): number {
    return this.count;
  }

  /**
   * Adds `n` items and records the latest metrics (they replace earlier values of the same name).
   *
   * @example bar.update(batch.length, { loss: loss.item(), acc });
   */
  update(n = 1, metrics?: Metrics): void {
    if (this.done) throw new Error(`ProgressBar${this.label ? ` "${this.label}"` : ""}: update() after finish()`);
    if (!Number.isFinite(n) || n < 0) throw new Error(`ProgressBar: update(n) needs a non-negative number, got ${n}`);
    this.count += n;
    if (metrics) this.metrics = { ...this.metrics, ...metrics };
    const t = this.now();
    if (this.tty) {
      if (t - this.lastDraw >= this.redrawIntervalMs) this.draw(t);
      return;
    }
    const step = this.total > 0 ? Math.floor((Math.min(this.count, this.total) / this.total) * 100 / this.logEveryPercent) : 0;
    const atEnd = this.total > 0 && this.count >= this.total;
    if (!atEnd && (step > this.lastStep || t - this.lastLog >= this.logEveryMs)) {
      this.lastStep = step;
      this.lastLog = t;
      this.stream.write(this.plainLine(t, false) + "\n");
    }
  }

  /**
   * Draws the final state (always, ignoring throttling) and ends the line. Calling it twice is harmless.
   *
   * @example bar.finish({ valLoss: 0.28 });
   */
  finish(metrics?: Metrics): void {
    if (this.done) return;
    if (metrics) this.metrics = { ...this.metrics, ...metrics };
    const t = this.now();
    if (this.tty) {
      this.draw(t);
      this.stream.write("\n");
    } else {
      this.stream.write(this.plainLine(t, true) + "\n");
    }
    this.done = true;
  }

  private stats(t: number) {
    const elapsed = Math.max(0, (t - this.start) / 1000);
    const rate = elapsed > 0 ? this.count / elapsed : NaN;
    const eta = this.total > 0 && rate > 0 ? Math.max(0, this.total - this.count) / rate : NaN;
    const pct = this.total > 0 ? Math.min(100, Math.floor((this.count / this.total) * 100)) : NaN;
    return { elapsed, rate, eta, pct };
  }

  private metricText(): string {
    return Object.entries(this.metrics)
      .map(([k, v]) => `${k}=${formatMetric(v)}`)
      .join(" ");
  }

  /** `label 40% 240/600 90.0 samples/s ETA 00:04 loss=0.4123` (or `done in 00:07` on the final line). */
  private plainLine(t: number, final: boolean): string {
    const { elapsed, rate, eta, pct } = this.stats(t);
    const parts: string[] = [];
    if (this.label) parts.push(this.label);
    if (this.total > 0) parts.push(`${String(pct).padStart(3)}%`, `${this.count}/${this.total}`);
    else parts.push(`${this.count}`);
    parts.push(`${formatRate(rate)} ${this.unit}/s`);
    parts.push(final ? `in ${formatDuration(elapsed)}` : this.total > 0 ? `ETA ${formatDuration(eta)}` : `${formatDuration(elapsed)}`);
    const m = this.metricText();
    if (m) parts.push(m);
    return parts.join(" ");
  }

  /** `label  40%|████▌      | 240/600 [00:02<00:04, 90.0 samples/s] loss=0.4123`, fitted to the terminal. */
  private ttyLine(t: number): string {
    const { elapsed, rate, eta, pct } = this.stats(t);
    const cols = Math.max(20, (this.stream.columns ?? this.width) - 1); // -1: never let the cursor wrap
    const head = this.label ? `${this.label} ` : "";
    const timing =
      this.total > 0
        ? ` ${this.count}/${this.total} [${formatDuration(elapsed)}<${formatDuration(eta)}, ${formatRate(rate)} ${this.unit}/s]`
        : `${this.count} [${formatDuration(elapsed)}, ${formatRate(rate)} ${this.unit}/s]`;
    const m = this.metricText();
    const tail = timing + (m ? ` ${m}` : "");
    let line: string;
    if (this.total > 0) {
      const pctText = `${String(pct).padStart(3)}%|`;
      const barWidth = Math.max(10, Math.min(30, cols - head.length - pctText.length - 1 - tail.length));
      const frac = Math.min(1, this.count / this.total);
      const eighths = Math.floor(frac * barWidth * 8);
      const full = Math.floor(eighths / 8);
      const bar = ("█".repeat(full) + BLOCKS[eighths % 8]).padEnd(barWidth, " ");
      line = `${head}${pctText}${bar}|${tail}`;
    } else {
      line = `${head}${tail.trimStart()}`;
    }
    return line.length > cols ? line.slice(0, cols - 1) + "…" : line;
  }

  private draw(t: number): void {
    this.lastDraw = t;
    const line = this.ttyLine(t);
    // \r returns to column 0; \x1b[K clears what a longer previous line left behind.
    this.stream.write(`\r${line}\x1b[K`);
  }
}
