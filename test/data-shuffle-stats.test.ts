// Shuffles are uniform: every item reaches every position, and every permutation is equally likely.
// Chi-square tests over many draws from a fixed seed (so each test is deterministic), for every
// public path that shuffles: RandomSampler, SubsetRandomSampler, DataLoader({shuffle}) and
// randomSplit (plain, stratified and grouped).
//
// Thresholds are the chi-square quantiles for a false-alarm rate of 1e-6 (computed from the
// regularised incomplete gamma function): a correct shuffle sits near its degrees of freedom, a
// biased one far above. Example: Fisher-Yates with `randint(0, i)` instead of `randint(0, i + 1)`
// (Sattolo's algorithm: one n-cycle, so no item ever stays in place) leaves the whole diagonal of
// the item-by-position table empty, a chi-square in the thousands here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Generator, data } from "../src/index.js";

const { DataLoader, RandomSampler, SubsetRandomSampler, randomSplit } = data;
const numbers = (n: number): data.Dataset<number> => ({ length: n, getItem: (i) => i });

/** Chi-square quantiles with tail probability 1e-6, by degrees of freedom. */
const CRITICAL: Record<number, number> = { 16: 58.32, 23: 70.55 };

const chiSquare = (counts: number[], expected: number): number => counts.reduce((a, c) => a + (c - expected) ** 2 / expected, 0);

/**
 * `draws` shuffles of 0..n-1 from `draw`; tests the item-by-position table (every item in every
 * position, n² cells, (n−1)² degrees of freedom since rows and columns are fixed sums).
 */
function assertPositionsUniform(draw: () => number[], n: number, draws: number, what: string): void {
  const table = new Array<number>(n * n).fill(0);
  for (let k = 0; k < draws; k++) {
    const order = draw();
    assert.deepEqual([...order].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i), `${what}: a permutation`);
    order.forEach((item, pos) => table[item * n + pos]++);
  }
  const never = table.flatMap((c, cell) => (c === 0 ? [`item ${Math.floor(cell / n)} at position ${cell % n}`] : []));
  assert.deepEqual(never, [], `${what}: every item reaches every position`);
  const x2 = chiSquare(table, draws / n);
  const crit = CRITICAL[(n - 1) ** 2];
  assert.ok(x2 < crit, `${what}: item-by-position chi-square ${x2.toFixed(1)} >= ${crit} (df ${(n - 1) ** 2})`);
}

/** `draws` shuffles of 0..3; tests that all 24 permutations are equally frequent (23 df). */
function assertPermutationsUniform(draw: () => number[], draws: number, what: string): void {
  const seen = new Map<string, number>();
  for (let k = 0; k < draws; k++) {
    const key = draw().join("");
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  assert.equal(seen.size, 24, `${what}: all 24 orders of 4 items occur (saw ${seen.size})`);
  const x2 = chiSquare([...seen.values()], draws / 24);
  assert.ok(x2 < CRITICAL[23], `${what}: permutation chi-square ${x2.toFixed(1)} >= ${CRITICAL[23]} (df 23)`);
}

test("RandomSampler: uniform over positions and over permutations", () => {
  const s5 = new RandomSampler(5, { generator: new Generator(1) });
  assertPositionsUniform(() => [...s5], 5, 6000, "RandomSampler(5)");
  const s4 = new RandomSampler(4, { generator: new Generator(2) });
  assertPermutationsUniform(() => [...s4], 24000, "RandomSampler(4)");
});

test("SubsetRandomSampler: uniform over positions", () => {
  const s = new SubsetRandomSampler([10, 11, 12, 13, 14], { generator: new Generator(3) });
  assertPositionsUniform(() => [...s].map((i) => i - 10), 5, 6000, "SubsetRandomSampler");
});

test("DataLoader({ shuffle: true }): every epoch's order is uniform", () => {
  const loader = new DataLoader(numbers(5), { batchSize: 5, shuffle: true, generator: new Generator(4), collateFn: (s: number[]) => s });
  assertPositionsUniform(() => [...loader][0], 5, 6000, "DataLoader shuffle");
  const four = new DataLoader(numbers(4), { batchSize: 4, shuffle: true, generator: new Generator(5), collateFn: (s: number[]) => s });
  assertPermutationsUniform(() => [...four][0], 24000, "DataLoader shuffle");
});

test("randomSplit: each item is equally likely to land in each split (plain, stratified, grouped)", () => {
  // Five splits of one item each: the split an item lands in is its position in a shuffle.
  const ds = numbers(5);
  const splitOrder = (opts: data.RandomSplitOptions) => () => randomSplit(ds, [1, 1, 1, 1, 1], opts).map((s) => s.getItem(0) as number);
  assertPositionsUniform(splitOrder({ generator: new Generator(6) }), 5, 6000, "randomSplit");
  assertPositionsUniform(splitOrder({ generator: new Generator(7), groups: (i) => `g${i}` }), 5, 6000, "randomSplit grouped");
  assertPositionsUniform(splitOrder({ generator: new Generator(8), stratify: () => 0 }), 5, 6000, "randomSplit stratified");
  // Within a split, the order is a uniform shuffle too.
  const whole = () => {
    const [all] = randomSplit(numbers(4), [4], { generator: g });
    return Array.from({ length: 4 }, (_, k) => all.getItem(k) as number);
  };
  const g = new Generator(9);
  assertPermutationsUniform(whole, 24000, "randomSplit order");
});
