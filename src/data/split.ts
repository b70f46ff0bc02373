/**
 * `randomSplit`: disjoint, covering, seeded train/val/test splits, optionally stratified by label
 * or grouped (all frames of one scene in one split, so no scene leaks from train into test).
 */
import { type Generator, defaultGenerator } from "../core.js";
import { type Dataset, Subset } from "./dataset.js";
import { permutation } from "./sampler.js";

export interface RandomSplitOptions {
  /** Default: the global generator. Pass `new Generator(seed)` for a split that never changes. */
  generator?: Generator;
  /** `(i) => label of item i`: every split gets (within one item per class) the same label proportions. */
  stratify?: (index: number) => string | number;
  /** `(i) => group key of item i`: all items of a group land in the same split; split sizes are then
   * as close to the requested ones as whole groups allow. */
  groups?: (index: number) => string | number;
}

/**
 * Turns fractions (adding up to 1) or counts (adding up to `n`) into counts adding up to `n`.
 * Fractions are floored and the remainder dealt round-robin, as PyTorch does.
 */
export function splitSizes(n: number, lengths: readonly number[], op = "randomSplit"): number[] {
  if (lengths.length === 0) throw new Error(`${op}: give at least one split size, e.g. [0.8, 0.2]`);
  lengths.forEach((v, k) => {
    if (!(v >= 0) || !Number.isFinite(v)) throw new Error(`${op}: split ${k} has size ${v}; sizes must be non-negative numbers`);
  });
  const total = lengths.reduce((a, b) => a + b, 0);
  const allIntegers = lengths.every(Number.isInteger);
  const allFractions = lengths.every((v) => v <= 1);
  if (allFractions && Math.abs(total - 1) < 1e-6 && !(allIntegers && total === n)) {
    const sizes = lengths.map((f) => Math.floor(n * f));
    let rest = n - sizes.reduce((a, b) => a + b, 0);
    for (let k = 0; rest > 0; k = (k + 1) % sizes.length, rest--) sizes[k]++;
    return sizes;
  }
  if (allIntegers) {
    if (total !== n) throw new Error(`${op}: split counts [${lengths.join(", ")}] add up to ${total}, but the dataset has ${n} items; make them add up to ${n} (or pass fractions adding up to 1)`);
    return [...lengths];
  }
  throw new Error(`${op}: split fractions [${lengths.join(", ")}] add up to ${total}, not 1; make them add up to 1 (or pass integer counts adding up to ${n})`);
}

/** Items grouped by key, keys in first-seen order. */
function groupBy(n: number, keyOf: (i: number) => string | number, what: string): Map<string | number, number[]> {
  const groups = new Map<string | number, number[]>();
  for (let i = 0; i < n; i++) {
    const key = keyOf(i);
    if (typeof key !== "string" && typeof key !== "number") throw new Error(`randomSplit: ${what}(${i}) returned ${typeof key}; return a string or number`);
    const list = groups.get(key);
    if (list) list.push(i);
    else groups.set(key, [i]);
  }
  return groups;
}

function shuffleInPlace<T>(items: T[], g: Generator): T[] {
  const order = permutation(items.length, g);
  const copy = [...items];
  order.forEach((from, to) => (items[to] = copy[from]));
  return items;
}

/**
 * Stratified: per class, quotas n_c * size_s / n are floored, then the left-over items are dealt so
 * that both each class's total and each split's requested size come out exact.
 */
function stratifiedSplit(n: number, sizes: number[], labelOf: (i: number) => string | number, g: Generator): number[][] {
  const classes = [...groupBy(n, labelOf, "stratify").values()].map((items) => shuffleInPlace(items, g));
  const quota = classes.map((items) => sizes.map((s) => (items.length * s) / n));
  const counts = quota.map((row) => row.map(Math.floor));
  const need = sizes.map((s, j) => s - counts.reduce((a, row) => a + row[j], 0));
  // Deal left-overs, largest fractional part first, never beyond a split's remaining need.
  const candidates: { c: number; j: number; frac: number }[] = [];
  quota.forEach((row, c) => row.forEach((q, j) => candidates.push({ c, j, frac: q - Math.floor(q) })));
  candidates.sort((a, b) => b.frac - a.frac);
  const left = classes.map((items, c) => items.length - counts[c].reduce((a, b) => a + b, 0));
  for (const { c, j } of candidates) {
    if (left[c] > 0 && need[j] > 0) {
      counts[c][j]++;
      left[c]--;
      need[j]--;
    }
  }
  // Anything still unplaced (only possible in degenerate cases) goes wherever a split still needs items.
  classes.forEach((_, c) => {
    for (let j = 0; left[c] > 0 && j < sizes.length; j++) {
      while (left[c] > 0 && need[j] > 0) {
        counts[c][j]++;
        left[c]--;
        need[j]--;
      }
    }
  });
  const out: number[][] = sizes.map(() => []);
  classes.forEach((items, c) => {
    let start = 0;
    counts[c].forEach((k, j) => {
      out[j].push(...items.slice(start, start + k));
      start += k;
    });
  });
  // Interleave the classes within each split so that a Subset read in order is not sorted by class.
  return out.map((idx) => shuffleInPlace(idx, g));
}

/** Grouped: whole groups, in random order, each to the split furthest below its requested size. */
function groupedSplit(n: number, sizes: number[], keyOf: (i: number) => string | number, g: Generator): number[][] {
  const groups = shuffleInPlace([...groupBy(n, keyOf, "groups").values()], g);
  const wanted = sizes.filter((s) => s > 0).length;
  if (groups.length < wanted) {
    throw new Error(`randomSplit: ${groups.length} group(s) cannot fill ${wanted} non-empty splits; every group stays whole, so give at least as many groups as splits`);
  }
  const out: number[][] = sizes.map(() => []);
  const filled = sizes.map(() => 0);
  // Splits that asked for items but have none yet are served first, so no requested split is empty.
  for (const items of groups) {
    let best = -1;
    let bestScore = -Infinity;
    sizes.forEach((s, j) => {
      if (s === 0) return;
      const score = (filled[j] === 0 ? n : 0) + (s - filled[j]) / s;
      if (score > bestScore) {
        bestScore = score;
        best = j;
      }
    });
    out[best].push(...items);
    filled[best] += items.length;
  }
  return out;
}

/**
 * Splits a dataset into disjoint Subsets that together cover it, reproducibly for a given generator.
 * `lengths` are fractions adding up to 1 or counts adding up to the dataset's length.
 *
 * ```ts
 * const [train, val, test] = randomSplit(ds, [0.8, 0.1, 0.1], { generator: new Generator(42) });
 * ```
 */
export function randomSplit<D extends Dataset<unknown>>(dataset: D, lengths: readonly number[], opts: RandomSplitOptions = {}): Subset<D>[] {
  const n = dataset.length;
  const sizes = splitSizes(n, lengths);
  const g = opts.generator ?? defaultGenerator;
  if (opts.stratify && opts.groups) {
    throw new Error("randomSplit: pass either stratify or groups, not both (keeping groups whole and class proportions exact at once is not generally possible)");
  }
  let parts: number[][];
  if (opts.stratify) parts = stratifiedSplit(n, sizes, opts.stratify, g);
  else if (opts.groups) parts = groupedSplit(n, sizes, opts.groups, g);
  else {
    const perm = permutation(n, g);
    let start = 0;
    parts = sizes.map((s) => perm.slice(start, (start += s)));
  }
  return parts.map((idx) => new Subset(dataset, idx));
}
