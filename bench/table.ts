/**
 * Cells of bench/run.ts's table that compare deeptype with PyTorch, kept apart from the timing code
 * so the rule that withholds them is one rule, and testable (test/bench-table.test.ts).
 *
 * When the fairness gate fails (PyTorch runs on a generic reference BLAS, not the build its users
 * have), every comparison with PyTorch is withheld: the time rows, and the peak-RSS row too, since
 * a different PyTorch build loads different libraries and allocates differently (OpenBLAS sizes
 * per-thread buffers that a reference BLAS does not have), so its memory is not a user's either.
 */

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
