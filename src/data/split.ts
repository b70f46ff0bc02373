/**
 * `randomSplit`: disjoint, covering, seeded train/val/test splits, optionally stratified by label
 * or grouped (all frames of one scene in one split, so no scene leaks from train into test).
 */
import { checkKeys } from "../tensor/check.js";
import { type Generator } from "../core.js";
import { generatorOf } from "../tensor/creation.js";
import { type Dataset, Subset } from "./dataset.js";
import { permutation } from "./sampler.js";

/** The option keys of the functions here: anything else is a misspelling (checkKeys). */
const RANDOM_SPLIT_KEYS = ["generator", "stratify", "groups"] as const;

export interface RandomSplitOptions {
  /** Default: the global generator. Pass `new Generator(seed)` for a split that never changes. */
  generator?: Generator;
  /** `(i) => label of item i`: every split gets (within one item per class) the same label proportions. */
  stratify?: (index: number) => string | number;
  /** `(i) => group key of item i`: all items of a group land in the same split. Split sizes (in
   * items) are then the closest to the request that whole groups allow with two splits, and such
   * that no move or swap of groups gets closer with more (the rule: docs/data.md). */
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
  // Counts that also read as fractions (0s and one 1, on a dataset of 1 item) give the same sizes
  // either way, so fractions are tried first.
  if (allFractions && Math.abs(total - 1) < 1e-6) {
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
  // extra[c][j] = 1 where class c got its quota rounded up in split j.
  const extra = quota.map((row) => row.map(() => 0));
  for (const { c, j, frac } of candidates) {
    // A whole quota is never rounded up: it is already exact.
    if (frac > 0 && left[c] > 0 && need[j] > 0) {
      counts[c][j]++;
      extra[c][j] = 1;
      left[c]--;
      need[j]--;
    }
  }
  // The greedy pass can leave a class with items only splits that already rounded it up still
  // need. Augmenting paths finish the dealing: class c takes an extra in split j from a class
  // that moves its own extra to another split, and so on, until a split that still needs an item.
  // (Rounding every quota up or down with exact row and column totals is always possible: the
  // fractional parts themselves are such a flow, so an integral one exists.)
  classes.forEach((_, c0) => {
    while (left[c0] > 0 && roundUpAlongPath(c0, quota, extra, counts, need)) left[c0]--;
  });
  classes.forEach((_, c) => {
    if (left[c] > 0) throw new Error(`randomSplit: internal error: stratified dealing left ${left[c]} item(s) of a class unplaced; please report it with the label counts and sizes [${sizes.join(", ")}]`);
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

/**
 * One augmenting path for `stratifiedSplit`: a breadth-first search from class c0 over "c may take
 * an extra item in j" (its quota there has a fractional part and is not yet rounded up) and "j's
 * extra item can leave class c'" (already rounded up), ending at a split with need > 0. Applies the
 * path and returns true, or returns false if there is none.
 */
function roundUpAlongPath(c0: number, quota: number[][], extra: number[][], counts: number[][], need: number[]): boolean {
  const nSplits = need.length;
  const cameFrom = quota.map(() => -2); // for a class: the split it was reached through (-1: start)
  const reachedBy = need.map(() => -1); // for a split: the class that reaches it
  cameFrom[c0] = -1;
  const queue = [c0];
  while (queue.length > 0) {
    const c = queue.shift()!;
    for (let j = 0; j < nSplits; j++) {
      if (reachedBy[j] >= 0 || extra[c][j] === 1 || Number.isInteger(quota[c][j])) continue;
      reachedBy[j] = c;
      if (need[j] > 0) {
        need[j]--;
        for (let at = j; ; ) {
          const cls = reachedBy[at];
          extra[cls][at] = 1;
          counts[cls][at]++;
          const back = cameFrom[cls];
          if (back < 0) return true;
          extra[cls][back] = 0;
          counts[cls][back]--;
          at = back;
        }
      }
      quota.forEach((_, c2) => {
        if (extra[c2][j] === 1 && cameFrom[c2] === -2) {
          cameFrom[c2] = j;
          queue.push(c2);
        }
      });
    }
  }
  return false;
}

/**
 * Grouped: groups in random order; each split but the largest, smallest request first, takes the
 * subset of the remaining groups whose total is closest to its request (`closestSubset`); the
 * largest split takes the rest. Then `improveGroupedSplit` moves and swaps groups while that
 * brings the sizes closer. With two splits the result is the closest achievable.
 */
function groupedSplit(n: number, sizes: number[], keyOf: (i: number) => string | number, g: Generator): number[][] {
  const groups = shuffleInPlace([...groupBy(n, keyOf, "groups").values()], g);
  const requested = sizes.flatMap((s, j) => (s > 0 ? [j] : []));
  if (groups.length < requested.length) {
    throw new Error(`randomSplit: ${groups.length} group(s) cannot fill ${requested.length} non-empty splits; every group stays whole, so give at least as many groups as splits`);
  }
  const where = new Array<number>(groups.length).fill(-1);
  // Smallest request first (ties: split order); the largest request takes what is left.
  const order = [...requested].sort((a, b) => sizes[a] - sizes[b] || a - b);
  const last = order.pop()!;
  order.forEach((j, r) => {
    const free = groups.flatMap((_, k) => (where[k] < 0 ? [k] : []));
    const pick = (pool: number[]): number[] => closestSubset(pool.map((k) => groups[k].length), sizes[j]).map((i) => pool[i]);
    let chosen = pick(free);
    // Each split still to be filled needs a group: if none would be left, choose again without the
    // largest groups (those splits asked for at least as much as this one).
    const reserve = order.length - r;
    if (free.length - chosen.length < reserve) chosen = pick([...free].sort((a, b) => groups[a].length - groups[b].length).slice(0, free.length - reserve));
    for (const k of chosen) where[k] = j;
  });
  groups.forEach((_, k) => {
    if (where[k] < 0) where[k] = last;
  });
  improveGroupedSplit(groups.map((items) => items.length), sizes, where);
  const out: number[][] = sizes.map(() => []);
  groups.forEach((items, k) => out[where[k]].push(...items));
  return out;
}

/**
 * Positions in `lengths` of a non-empty subset whose total is closest to `target` (ties: the
 * smaller total), by a subset-sum table over the distinct lengths with their multiplicities: the
 * work is (distinct lengths) × (target + longest), not (number of groups) × target. Among groups of
 * one length the earliest are taken, so a shuffled input gives a random choice.
 */
function closestSubset(lengths: readonly number[], target: number): number[] {
  const distinct = [...new Set(lengths)];
  const cap = target + Math.max(...lengths);
  const from = new Int32Array(cap + 1).fill(-1); // the distinct length that first reached each total
  const reached = new Uint8Array(cap + 1);
  reached[0] = 1;
  distinct.forEach((v, i) => {
    const available = lengths.filter((l) => l === v).length;
    const used = new Int32Array(cap + 1);
    for (let t = v; t <= cap; t++) {
      if (!reached[t] && reached[t - v] && used[t - v] < available) {
        reached[t] = 1;
        from[t] = i;
        used[t] = used[t - v] + 1;
      }
    }
  });
  let best = -1;
  for (let t = 1; t <= cap; t++) if (reached[t] && (best < 0 || Math.abs(t - target) < Math.abs(best - target))) best = t;
  const take = new Map<number, number>();
  for (let t = best; t > 0; t -= distinct[from[t]]) take.set(distinct[from[t]], (take.get(distinct[from[t]]) ?? 0) + 1);
  return lengths.flatMap((l, k) => {
    const left = take.get(l) ?? 0;
    if (left === 0) return [];
    take.set(l, left - 1);
    return [k];
  });
}

/**
 * Local search on a grouped split (`where[k]` = split of group k, changed in place): repeatedly
 * applies the single move of one group to another split, or swap of two groups between splits,
 * that most reduces the distance Σ_j |size of split j − requested size j|, until none reduces it.
 * A split that asked for items never loses its last group. Groups of equal size are
 * interchangeable for the distance, so only one group per (split, size) is tried: the work per
 * round grows with the number of distinct group sizes, not of groups. Each round lowers the integer
 * distance, so it ends.
 */
function improveGroupedSplit(groupSize: readonly number[], sizes: readonly number[], where: number[]): void {
  const filled = sizes.map(() => 0);
  const count = sizes.map(() => 0);
  groupSize.forEach((len, k) => {
    filled[where[k]] += len;
    count[where[k]]++;
  });
  const dist = (j: number, f: number): number => Math.abs(f - sizes[j]);
  for (;;) {
    // One representative group per (split, size).
    const bySize = sizes.map(() => new Map<number, number>());
    groupSize.forEach((len, k) => bySize[where[k]].set(len, k));
    let bestGain = 0;
    let move: [number, number, number, number] | null = null; // [group, to, other group or -1, its new split]
    for (let a = 0; a < sizes.length; a++) {
      const canGive = sizes[a] === 0 || count[a] > 1;
      for (const [x, k] of bySize[a]) {
        for (let b = 0; b < sizes.length; b++) {
          if (b === a || sizes[b] === 0) continue;
          const before = dist(a, filled[a]) + dist(b, filled[b]);
          if (canGive) {
            const gain = before - dist(a, filled[a] - x) - dist(b, filled[b] + x);
            if (gain > bestGain) [bestGain, move] = [gain, [k, b, -1, a]];
          }
          if (b < a) continue; // each pair of splits once for swaps
          for (const [y, l] of bySize[b]) {
            if (y === x) continue;
            const gain = before - dist(a, filled[a] - x + y) - dist(b, filled[b] - y + x);
            if (gain > bestGain) [bestGain, move] = [gain, [k, b, l, a]];
          }
        }
      }
    }
    if (!move) return;
    const [k, to, l, from] = move;
    where[k] = to;
    filled[from] -= groupSize[k];
    filled[to] += groupSize[k];
    if (l >= 0) {
      where[l] = from;
      filled[to] -= groupSize[l];
      filled[from] += groupSize[l];
    } else {
      count[from]--;
      count[to]++;
    }
  }
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
  checkKeys("randomSplit", opts, RANDOM_SPLIT_KEYS);
  const n = dataset.length;
  const sizes = splitSizes(n, lengths);
  const g = generatorOf("randomSplit", opts.generator);
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
