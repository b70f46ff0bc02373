// The samplers' argument checks and Fisher-Yates' use of the generator, checked exactly: the cases
// session 10's mutation run of src/data/*.ts found unchecked (docs/mutation/session-10-mutd.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Generator, data } from "../src/index.js";
import { permutation } from "../src/data/sampler.js";
import { randomSplit } from "../src/data/split.js";
import { throwsWith as throwsExactly } from "./throws-with.js";

const { RandomSampler, SequentialSampler, SubsetRandomSampler, WeightedRandomSampler } = data;


test("samplers refuse a dataSource that is neither a length nor has a numeric length (a string's own length is not taken)", () => {
  const source = (fn: string, got: string): string => `${fn}: dataSource must be a dataset (anything with a numeric length) or a length, got ${got}`;
  throwsExactly(() => new SequentialSampler("abc" as never), source("SequentialSampler", 'string "abc"'));
  throwsExactly(() => new SequentialSampler(null as never), source("SequentialSampler", "null"));
  throwsExactly(() => new SequentialSampler({ length: "3" } as never), source("SequentialSampler", "an object"));
  throwsExactly(() => new RandomSampler("ab" as never), source("RandomSampler", 'string "ab"'));
  throwsExactly(() => new RandomSampler(undefined as never), source("RandomSampler", "undefined"));
  throwsExactly(() => new RandomSampler({ length: null } as never), source("RandomSampler", "an object"));
  // The length itself is checked with the sampler's name.
  throwsExactly(() => new SequentialSampler({ length: -1 }), "SequentialSampler: the dataset length must be a non-negative integer, got -1");
  throwsExactly(() => new RandomSampler({ length: 2.5 }), "RandomSampler: the dataset length must be a non-negative integer, got 2.5");
  throwsExactly(() => new RandomSampler(3, 5 as never), "RandomSampler: options must be an object like { replacement: true, numSamples: 100 }, got number 5");
  // A dataset object is read through its length.
  assert.deepEqual([...new SequentialSampler({ length: 2 })], [0, 1]);
});

test("SubsetRandomSampler and WeightedRandomSampler refuse index/weight lists that are not array-like", () => {
  const list = (fn: string, arg: string, got: string): string => `${fn}: ${arg} must be an array of numbers, got ${got}`;
  throwsExactly(() => new SubsetRandomSampler(null as never), list("SubsetRandomSampler", "indices", "null"));
  throwsExactly(() => new SubsetRandomSampler(5 as never), list("SubsetRandomSampler", "indices", "number 5"));
  throwsExactly(() => new SubsetRandomSampler({ length: "2" } as never), list("SubsetRandomSampler", "indices", "an object"));
  throwsExactly(() => new WeightedRandomSampler(undefined as never, 1), list("WeightedRandomSampler", "weights", "undefined"));
  throwsExactly(() => new WeightedRandomSampler({ 0: 1, length: "1" } as never, 1), list("WeightedRandomSampler", "weights", "an object"));
  // Array-likes that are not arrays are accepted (a typed array of weights, an arguments-like object).
  assert.deepEqual([...new SubsetRandomSampler({ 0: 7, length: 1 } as ArrayLike<number>)], [7]);
  assert.deepEqual([...new WeightedRandomSampler(Float32Array.of(0, 2), 2, { generator: new Generator(0) })], [1, 1]);
});

test("permutation is Fisher-Yates with one draw per swap: j = floor(u * (i + 1)) for i = n-1 .. 1", () => {
  for (const n of [0, 1, 2, 5, 9]) {
    const g = new Generator(11 + n);
    const ref = new Generator(11 + n);
    // The reference, written out: n - 1 uniform draws, none for i = 0 (a swap of item 0 with itself).
    const expected = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(ref.random() * (i + 1));
      [expected[i], expected[j]] = [expected[j], expected[i]];
    }
    assert.deepEqual(permutation(n, g), expected, `n = ${n}`);
    // The generator is left exactly where the reference is: the next permutation is drawn from the same stream.
    assert.equal(g.random(), ref.random(), `n = ${n}: the stream position after the permutation`);
  }
});

test("SubsetRandomSampler and WeightedRandomSampler name themselves in option errors", () => {
  throwsExactly(() => new SubsetRandomSampler([0, 1], 3 as never), "SubsetRandomSampler: options must be an object like { generator }, got number 3");
  throwsExactly(() => new SubsetRandomSampler([0, 1], { generatr: new Generator(0) } as never), "SubsetRandomSampler: unknown option 'generatr'; did you mean 'generator'? (it takes generator)");
  throwsExactly(() => new WeightedRandomSampler([1, 2], 1, "x" as never), 'WeightedRandomSampler: options must be an object like { replacement: false }, got string "x"');
  throwsExactly(() => new WeightedRandomSampler([1, 2], 1, { replace: false } as never), "WeightedRandomSampler: unknown option 'replace'; did you mean 'replacement'? (it takes replacement, generator)");
});

test("WeightedRandomSampler without replacement: zero weights draw nothing, so adding them only shifts the indices drawn", () => {
  for (let seed = 0; seed < 5; seed++) {
    const dense = [...new WeightedRandomSampler([3, 1, 2, 5], 4, { replacement: false, generator: new Generator(seed) })];
    const sparse = [...new WeightedRandomSampler([0, 3, 0, 1, 2, 0, 5], 4, { replacement: false, generator: new Generator(seed) })];
    const at = [1, 3, 4, 6]; // where the dense weights sit in the sparse list
    assert.deepEqual(sparse, dense.map((i) => at[i]), `seed ${seed}`);
  }
});

test("randomSplit names itself for a misspelt option", () => {
  throwsExactly(
    () => randomSplit({ length: 4, getItem: (i: number) => i }, [2, 2], { strat: () => 0 } as never),
    "randomSplit: unknown option 'strat'; did you mean 'stratify'? (it takes generator, stratify, groups)",
  );
});
