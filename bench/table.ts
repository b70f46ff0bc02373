/**
 * Cells of bench/run.ts's table that compare deeptype with PyTorch, kept apart from the timing code
 * so the rule that withholds them is one rule, and testable (test/bench-table.test.ts).
 *
 * When the fairness gate fails (PyTorch runs on a generic reference BLAS, not the build its users
 * have), every comparison with PyTorch is withheld: the time rows, and the peak-RSS row too, since
 * a different PyTorch build loads different libraries and allocates differently (OpenBLAS sizes
 * per-thread buffers that a reference BLAS does not have), so its memory is not a user's either.
 */

/**
 * The sgemm 1024 figures (GFLOP/s, one thread) the fairness gate weighs: PyTorch's and deeptype's
 * from the table's rounds when the sgemm row was run (`--only` may leave it out), and from the
 * probes both sides time at start (best of 3, a few milliseconds apart).
 */
export interface SgemmFigures {
  torchRow?: number;
  oursRow?: number;
  torchStart: number;
  oursStart: number;
}

/**
 * The fairness gate: ratios against PyTorch are shown only when an optimized BLAS (OpenBLAS, MKL,
 * BLIS) is loaded and PyTorch's 1-thread sgemm looks like one: at least 30 GFLOP/s, or, when other
 * processes slow the whole machine down, at least as fast as deeptype's wasm GEMM timed under the
 * same load (a reference BLAS is 3-5x slower than it). The two figures compared are always a pair
 * timed together: the row's when both sides of it were measured, else the start probes.
 *
 * @example blasGate(["/usr/lib/libopenblas.so.0"], { torchStart: 20, oursStart: 15 }).ok === true
 */
export function blasGate(blasLoaded: readonly string[], f: SgemmFigures): { ok: boolean; optimized: boolean; torch: number; ours: number } {
  const fromRow = f.torchRow !== undefined && f.oursRow !== undefined;
  const torch = fromRow ? f.torchRow! : f.torchStart;
  const ours = fromRow ? f.oursRow! : f.oursStart;
  const optimized = blasLoaded.some((p) => /openblas|mkl|blis/i.test(p));
  return { ok: optimized && (torch >= 30 || torch >= ours), optimized, torch, ours };
}

/** A dt/torch ratio cell: "0.85x", "-" when either side has no number, "withheld" when the gate failed. */
export function ratioCell(dt: number | undefined, torch: number | undefined, ratiosOk: boolean): string {
  if (dt === undefined || torch === undefined) return "-";
  return ratiosOk ? `${(dt / torch).toFixed(2)}x` : "withheld";
}

/** A "met" cell for a target stated against PyTorch: "yes", "NO", "-" without numbers, "?" when ratios are withheld. */
export function metCell(met: boolean | undefined, ratiosOk: boolean): string {
  if (met === undefined) return "-";
  if (!ratiosOk) return "?";
  return met ? "yes" : "NO";
}

/** Peak RSS in MB per column ("deeptype 1t", "torch 2t", "tfjs wasm", ...), or why a column has none. */
export type RssCells = ReadonlyMap<string, number | string>;

/**
 * The peak-RSS row of the table (13 columns, as the time rows) and the "n/a" notes for its cells.
 *
 * @example rssRow(new Map([["deeptype 1t", 150], ["torch 1t", 250]]), true, 200).line
 */
export function rssRow(rss: RssCells, ratiosOk: boolean, steps: number): { line: string; notes: string[] } {
  const notes: string[] = [];
  const cell = (col: string): string => {
    const v = rss.get(col);
    if (v === undefined) return "-";
    if (typeof v === "string") {
      notes.push(`n/a: peak RSS, ${col}: ${v}`);
      return "n/a";
    }
    return v.toFixed(0);
  };
  const num = (col: string): number | undefined => {
    const v = rss.get(col);
    return typeof v === "number" ? v : undefined;
  };
  const ratio = (t: number) => ratioCell(num(`deeptype ${t}t`), num(`torch ${t}t`), ratiosOk);
  const met = (t: number) => {
    const d = num(`deeptype ${t}t`), p = num(`torch ${t}t`);
    return metCell(d === undefined || p === undefined ? undefined : d < p, ratiosOk);
  };
  const cells = [
    `peak RSS, cnn train ${steps} steps`, "MB", cell("deeptype 1t"), cell("torch 1t"), ratio(1), cell("deeptype 2t"), cell("torch 2t"), ratio(2),
    "-", cell("tfjs cpu"), cell("tfjs wasm"), "below torch", `${met(1)} / ${met(2)}`,
  ];
  return { line: `| ${cells.join(" | ")} |`, notes };
}
