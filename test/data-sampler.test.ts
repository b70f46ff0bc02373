// Samplers one by one: lengths, argument errors, and the distributions they draw from (chi-square
// over seeded draws; thresholds are 1e-6 quantiles, so a correct sampler passes with a wide margin).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Generator, manualSeed, data } from "../src/index.js";

const { RandomSampler, SequentialSampler, WeightedRandomSampler, BatchSampler, SubsetRandomSampler } = data;

/** Chi-square of observed counts against probabilities p (cells with p = 0 must be empty). */
function chiSquare(counts: number[], p: number[]): number {
  const n = counts.reduce((a, b) => a + b, 0);
  return counts.reduce((a, c, i) => {
    if (p[i] === 0) {
      assert.equal(c, 0, `cell ${i} has probability 0 but ${c} draws`);
      return a;
    }
    return a + (c - n * p[i]) ** 2 / (n * p[i]);
  }, 0);
}
/** 1e-6 upper quantiles of chi-square by degrees of freedom. */
const CRIT: Record<number, number> = { 2: 27.63, 3: 30.66, 4: 33.38 };

test("SequentialSampler and RandomSampler: lengths, and errors that name the sampler and the value", () => {
  assert.equal(new SequentialSampler({ length: 3 }).length, 3);
  assert.deepEqual([...new SequentialSampler({ length: 3 })], [0, 1, 2]);
  assert.deepEqual([...new SequentialSampler(0)], []);
  assert.throws(() => new SequentialSampler(-1), /^Error: SequentialSampler: the dataset length must be a non-negative integer, got -1$/);
  assert.throws(() => new SequentialSampler(1.5), /SequentialSampler: the dataset length must be a non-negative integer, got 1\.5/);
  const r = new RandomSampler({ length: 5 }, { numSamples: 7, generator: new Generator(0) });
  assert.equal(r.length, 7);
  assert.equal(r.dataLength, 5);
  assert.equal(r.replacement, false);
  const drawn = [...r];
  assert.equal(drawn.length, 7);
  assert.deepEqual([...drawn.slice(0, 5)].sort(), [0, 1, 2, 3, 4], "the first 5 are one permutation");
  assert.equal(new Set(drawn.slice(5)).size, 2, "the rest start a second permutation (no repeats)");
  assert.equal(new RandomSampler(4).length, 4, "numSamples defaults to the dataset length");
  assert.deepEqual([...new RandomSampler(0)], []);
  assert.deepEqual([...new RandomSampler(3, { numSamples: 0 })], []);
  assert.throws(() => new RandomSampler(-2), /RandomSampler: the dataset length must be a non-negative integer, got -2/);
  assert.throws(() => new RandomSampler(3, { numSamples: 2.5 }), /RandomSampler: numSamples must be a non-negative integer, got 2\.5/);
  assert.throws(() => new RandomSampler(0, { numSamples: 2 }), /RandomSampler: cannot draw 2 samples from an empty dataset/);
  assert.throws(() => new RandomSampler(0, { numSamples: 1, replacement: true }), /cannot draw 1 samples from an empty dataset/);
  // Without a generator the global one is used: manualSeed makes it repeat.
  manualSeed(11);
  const a = [...new RandomSampler(20)];
  manualSeed(11);
  assert.deepEqual([...new RandomSampler(20)], a);
  assert.notDeepEqual(a, Array.from({ length: 20 }, (_, i) => i));
});

test("RandomSampler with replacement: uniform over every index", () => {
  const counts = [0, 0, 0, 0, 0];
  const s = new RandomSampler(5, { replacement: true, numSamples: 20000, generator: new Generator(2) });
  assert.equal(s.replacement, true);
  for (const i of s) counts[i]++;
  assert.ok(chiSquare(counts, [0.2, 0.2, 0.2, 0.2, 0.2]) < CRIT[4], `counts ${counts}`);
});

test("RandomSampler yields exactly numSamples dataset indices, with and without replacement", () => {
  for (const replacement of [false, true]) {
    for (const numSamples of [1, 4, 5, 11, 23]) {
      const drawn = [...new RandomSampler(5, { replacement, numSamples, generator: new Generator(numSamples) })];
      assert.equal(drawn.length, numSamples, `replacement ${replacement}, numSamples ${numSamples}`);
      for (const i of drawn) assert.ok(Number.isInteger(i) && i >= 0 && i < 5, `drawn ${i} is not an index of a 5-item dataset`);
      if (!replacement) {
        // Without replacement: whole permutations back to back, so index i appears floor or ceil(numSamples / 5) times.
        for (let i = 0; i < 5; i++) {
          const c = drawn.filter((d) => d === i).length;
          assert.ok(c === Math.floor(numSamples / 5) || c === Math.ceil(numSamples / 5), `index ${i} drawn ${c} times in ${numSamples}`);
        }
      }
    }
  }
});

test("RandomSampler with replacement draws independently: a window of n draws holds n(1 - (1 - 1/n)^n) distinct indices on average", () => {
  // A permutation would give exactly n distinct; independent uniform draws give 6.513 of 10 on
  // average with a per-window standard deviation below 1, so the mean of 400 windows lies within
  // 0.05 of 6.513 (1 sd); the bound 0.3 is 6 sd.
  const n = 10;
  const windows = 400;
  const drawn = [...new RandomSampler(n, { replacement: true, numSamples: n * windows, generator: new Generator(5) })];
  let distinct = 0;
  for (let w = 0; w < windows; w++) distinct += new Set(drawn.slice(w * n, (w + 1) * n)).size;
  const expected = n * (1 - (1 - 1 / n) ** n);
  assert.ok(Math.abs(distinct / windows - expected) < 0.3, `mean distinct per window ${distinct / windows}, expected ${expected}`);
});

test("SubsetRandomSampler: a permutation of the given indices; bad indices are named", () => {
  const s = new SubsetRandomSampler(new Int32Array([7, 3, 9]), { generator: new Generator(1) });
  assert.equal(s.length, 3);
  assert.deepEqual([...s].sort(), [3, 7, 9]);
  assert.deepEqual([...new SubsetRandomSampler([])], []);
  assert.throws(() => new SubsetRandomSampler([0, -1]), /SubsetRandomSampler: indices\[1\] = -1 is not a valid dataset index/);
  assert.throws(() => new SubsetRandomSampler([0.5]), /SubsetRandomSampler: indices\[0\] = 0\.5 is not a valid dataset index/);
  manualSeed(4);
  const a = [...new SubsetRandomSampler([1, 2, 3, 4, 5, 6, 7, 8])];
  manualSeed(4);
  assert.deepEqual([...new SubsetRandomSampler([1, 2, 3, 4, 5, 6, 7, 8])], a, "the global generator by default");
});

test("WeightedRandomSampler with replacement: P(i) = w_i / Σw, zero weights never drawn (first, middle, last)", () => {
  const weights = [0, 1, 0, 2, 0, 3, 4, 0];
  const s = new WeightedRandomSampler(weights, 30000, { generator: new Generator(3) });
  assert.equal(s.length, 30000);
  assert.equal(s.replacement, true, "with replacement by default");
  const counts = new Array<number>(weights.length).fill(0);
  for (const i of s) counts[i]++;
  assert.ok(chiSquare(counts, weights.map((w) => w / 10)) < CRIT[3], `counts ${counts}`);
  assert.deepEqual([...new WeightedRandomSampler([0, 0, 5], 3)], [2, 2, 2]);
  assert.deepEqual([...new WeightedRandomSampler([5, 0, 0], 2)], [0, 0]);
});

test("WeightedRandomSampler without replacement: distinct indices, the first drawn with P(i) = w_i / Σw", () => {
  const weights = [1, 0, 2, 3, 4];
  const g = new Generator(6);
  const first = new Array<number>(weights.length).fill(0);
  for (let k = 0; k < 8000; k++) {
    const s = [...new WeightedRandomSampler(weights, 3, { replacement: false, generator: g })];
    assert.equal(new Set(s).size, 3);
    assert.ok(!s.includes(1), "zero weight is never drawn");
    first[s[0]]++;
  }
  assert.ok(chiSquare(first, weights.map((w) => w / 10)) < CRIT[3], `first draws ${first}`);
  // All positive-weight indices, when numSamples is their count.
  assert.deepEqual([...new WeightedRandomSampler([2, 0, 1], 2, { replacement: false })].sort(), [0, 2]);
});

test("WeightedRandomSampler errors name the weight, the count and the fix", () => {
  assert.throws(() => new WeightedRandomSampler([1, -1], 2), /WeightedRandomSampler: weights\[1\] = -1; weights must be finite and non-negative/);
  assert.throws(() => new WeightedRandomSampler([NaN], 1), /weights\[0\] = NaN/);
  assert.throws(() => new WeightedRandomSampler([1, Infinity], 1), /weights\[1\] = Infinity/);
  assert.throws(() => new WeightedRandomSampler([0, 0], 1), /WeightedRandomSampler: all weights are zero; at least one must be positive/);
  assert.deepEqual([...new WeightedRandomSampler([0, 0], 0)], [], "zero samples from zero weights is fine");
  assert.throws(() => new WeightedRandomSampler([1], -1), /WeightedRandomSampler: numSamples must be a non-negative integer, got -1/);
  assert.throws(() => new WeightedRandomSampler([1, 0, 1], 3, { replacement: false }), /cannot draw 3 samples without replacement from 2 indices with positive weight; lower numSamples or set replacement: true/);
  assert.equal([...new WeightedRandomSampler([1, 0, 1], 2, { replacement: false })].length, 2);
});

test("BatchSampler: length with and without dropLast; batch size errors", () => {
  const five = new SequentialSampler(5), six = new SequentialSampler(6);
  assert.equal(new BatchSampler(five, 2).length, 3);
  assert.equal(new BatchSampler(five, 2, true).length, 2);
  assert.equal(new BatchSampler(six, 2).length, 3);
  assert.equal(new BatchSampler(six, 2, true).length, 3);
  assert.equal(new BatchSampler(five, 1).length, 5);
  assert.deepEqual([...new BatchSampler(six, 3, true)], [[0, 1, 2], [3, 4, 5]]);
  assert.deepEqual([...new BatchSampler(five, 5)], [[0, 1, 2, 3, 4]]);
  assert.deepEqual([...new BatchSampler(five, 8)], [[0, 1, 2, 3, 4]]);
  assert.deepEqual([...new BatchSampler(five, 8, true)], []);
  assert.deepEqual([...new BatchSampler(new SequentialSampler(0), 2)], []);
  assert.throws(() => new BatchSampler(five, 0), /BatchSampler: batchSize must be a positive integer, got 0/);
  assert.throws(() => new BatchSampler(five, 1.5), /BatchSampler: batchSize must be a positive integer, got 1\.5/);
});
