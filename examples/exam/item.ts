/**
 * What one exam item is: the exam's claim, a demonstration that measures something, and a verdict
 * derived from the measured numbers only (so a test can check that the printed verdict is what the
 * numbers say). Items are listed in ./index.ts; each problem's demonstrations live in ./pN.ts.
 */
import type { Log } from "../common.js";

/** confirmed: the run shows the claim; refuted: the run shows the opposite; depends: true only under a condition. */
export type Verdict = "confirmed" | "refuted" | "depends";

/** How well the demonstration matches the exam's own setup. */
export type Fidelity = "faithful" | "partial" | "missing";

/** A curve (or several) to draw as text and as SVG. */
export interface Plot {
  title: string;
  series: Record<string, readonly number[]>;
  logY?: boolean;
  xLabel?: string;
}

/** What a demonstration measured. */
export interface Measured {
  /** Human-readable lines: numbers with their meaning, tables, text images. */
  lines: string[];
  /** The numbers the verdict is judged on (tests read these). */
  values: Record<string, number>;
  plots?: Plot[];
}

export interface Judgement {
  verdict: Verdict;
  /** Why, in terms of the measured values (and the condition for "depends"). */
  because: string;
}

/** Run settings: `tiny` shrinks every demonstration for tests (a second or two each). */
export interface RunContext {
  tiny: boolean;
  seed: number;
  /** Progress lines while running (default: silent). */
  log: Log;
  /** A folder the demonstration may write files into (5.1 writes its model and codes files). */
  workDir: string;
}

export interface ExamItem {
  /** `1.1b`, `4.4`, ... */
  id: string;
  /** The exam solution's claim, as one line. */
  claim: string;
  fidelity: Fidelity;
  /** The example file a student opens to read the demonstration (relative to the repository root). */
  file?: string;
  /** What is missing or different from the exam's setup (for partial/missing). */
  note?: string;
  run?(ctx: RunContext): Measured | Promise<Measured>;
  judge?(values: Record<string, number>): Judgement;
}

/** Memoises a demonstration shared by several items (e.g. one training run for 1.8a and 1.8b) per run settings. */
export function shared<T>(fn: (ctx: RunContext) => T): (ctx: RunContext) => T {
  const cache = new Map<string, T>();
  return (ctx) => {
    const key = `${ctx.tiny}/${ctx.seed}/${ctx.workDir}`;
    if (!cache.has(key)) cache.set(key, fn(ctx));
    return cache.get(key)!;
  };
}

/** Formats a number for a measurement line: 4 significant digits, exponent for tiny/huge values. */
export function num(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e6) return v.toExponential(2);
  return Number(v.toPrecision(digits)).toString();
}

export const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;

export const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
export const last = (v: readonly number[]): number => v[v.length - 1];
