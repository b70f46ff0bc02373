/**
 * What the training diagnostics (diagnostics.ts and its diagnostics-*.ts sections) share: the
 * `Diagnosis` every report extends, and the helpers for naming layers and percentages.
 */
import type * as nn from "../nn/index.js";

/** What every diagnostic returns besides its numbers. */
export interface Diagnosis {
  /** False when at least one layer is flagged. */
  ok: boolean;
  /** Names of the flagged layers or parameters. */
  flagged: string[];
  /** What is wrong and what to do about it (or a one-line all-clear). */
  message: string;
}

/** A fraction as a percentage, with one decimal below 1%. */
export const pct = (f: number): string => `${(100 * f).toFixed(f > 0 && f < 0.01 ? 1 : 0)}%`;

/** The leaf modules of a model by their qualified names (the class name for an unnamed root). */
export function leafNames(model: nn.AnyModule): Map<nn.AnyModule, string> {
  const names = new Map<nn.AnyModule, string>();
  for (const [name, m] of model.namedModules()) if ([...m.children()].length === 0) names.set(m, name || m.constructor.name);
  return names;
}
