// Datasets, samplers, collate and the DataLoader: shuffling, batching, async order, error messages.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tensor, arange, Generator, manualSeed, type Tensor, data } from "../src/index.js";

const { DataLoader, TensorDataset, Subset, ConcatDataset, MapDataset, RandomSampler, SequentialSampler, WeightedRandomSampler, BatchSampler, SubsetRandomSampler, defaultCollate } = data;

const numbers = (n: number): data.Dataset<number> => ({ length: n, getItem: (i) => i });
const flat = (batches: Tensor[]): number[] => batches.flatMap((b) => Array.from(b.data()));
const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);

test("unshuffled loader: batches in order, length = number of batches, short last batch", () => {
  const loader = new DataLoader(numbers(10), { batchSize: 4 });
  const batches = [...loader];
  assert.equal(loader.length, 3);
  assert.deepEqual(batches.map((b) => b.shape), [[4], [4], [2]]);
  assert.deepEqual(flat(batches), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(batches[0].dtype, "int64", "whole numbers collate to int64, as Python ints in default_collate");
});

test("dropLast drops the short batch and counts it out of length", () => {
  const loader = new DataLoader(numbers(10), { batchSize: 4, dropLast: true });
  assert.equal(loader.length, 2);
  assert.deepEqual([...loader].map((b) => b.shape[0]), [4, 4]);
  const exact = new DataLoader(numbers(12), { batchSize: 4, dropLast: true });
  assert.equal(exact.length, 3);
  assert.deepEqual([...exact].map((b) => b.shape[0]), [4, 4, 4]);
});

test("shuffle: each epoch is a permutation, epochs differ, the same seed repeats the sequence", () => {
  const epochs = (seed: number): number[][] => {
    const loader = new DataLoader(numbers(50), { batchSize: 8, shuffle: true, generator: new Generator(seed) });
    return [0, 1, 2].map(() => flat([...loader]));
  };
  const a = epochs(7);
  for (const e of a) assert.deepEqual(sorted(e), Array.from({ length: 50 }, (_, i) => i));
  assert.notDeepEqual(a[0], a[1]);
  assert.notDeepEqual(a[1], a[2]);
  assert.notDeepEqual(a[0], Array.from({ length: 50 }, (_, i) => i));
  assert.deepEqual(epochs(7), a, "same seed, same epochs");
  assert.notDeepEqual(epochs(8)[0], a[0], "another seed, another order");
});

test("shuffle without a generator follows manualSeed", () => {
  const run = (): number[] => {
    manualSeed(123);
    return flat([...new DataLoader(numbers(20), { batchSize: 5, shuffle: true })]);
  };
  assert.deepEqual(run(), run());
});

test("TensorDataset + default collate stack rows; labels stay int32", () => {
  const x = arange(12).reshape([6, 2]).float();
  const y = tensor([0, 1, 2, 0, 1, 2], { dtype: "int32" });
  const ds = new TensorDataset(x, y);
  assert.equal(ds.length, 6);
  const [xb, yb] = [...new DataLoader(ds, { batchSize: 4 })][0];
  assert.deepEqual(xb.shape, [4, 2]);
  assert.deepEqual(xb.tolist(), [[0, 1], [2, 3], [4, 5], [6, 7]]);
  assert.equal(yb.dtype, "int32");
  assert.deepEqual(yb.tolist(), [0, 1, 2, 0]);
  assert.throws(() => new TensorDataset(x, tensor([1, 2, 3])), /tensor 1 has 3 rows .* tensor 0 has 6/);
});

test("collate: objects, tuples, strings, booleans recursively", () => {
  const b = defaultCollate([
    { img: tensor([1, 2]), meta: { name: "a", ok: true }, pair: [1, tensor(5, { dtype: "int32" })] as [number, Tensor] },
    { img: tensor([3, 4]), meta: { name: "b", ok: false }, pair: [2, tensor(6, { dtype: "int32" })] as [number, Tensor] },
  ]);
  assert.deepEqual(b.img.tolist(), [[1, 2], [3, 4]]);
  assert.deepEqual(b.meta.name, ["a", "b"]);
  assert.equal(b.meta.ok.dtype, "bool");
  assert.deepEqual(b.meta.ok.tolist(), [true, false]);
  // Plain numbers follow default_collate: whole numbers (Python ints) -> int64, others (floats) -> float64.
  assert.equal(b.pair[0].dtype, "int64");
  assert.deepEqual(b.pair[0].tolist(), [1, 2]);
  const f = defaultCollate([{ y: 1 }, { y: 2.5 }]);
  assert.equal(f.y.dtype, "float64");
  assert.deepEqual(f.y.tolist(), [1, 2.5]);
  assert.equal(defaultCollate([2 ** 53, 0]).dtype, "float64"); // beyond ±(2^53 - 1) a number is no exact integer
  assert.equal(defaultCollate([Number.NaN, 1]).dtype, "float64");
  assert.deepEqual(defaultCollate([-(2 ** 53 - 1), 7]).dataBigInt(), BigInt64Array.of(-(2n ** 53n - 1n), 7n));
  assert.deepEqual(b.pair[1].tolist(), [5, 6]);
  assert.equal(b.pair[1].dtype, "int32");
});

test("collate error names the dataset indices and both shapes", () => {
  const ds: data.Dataset<{ image: Tensor }> = { length: 4, getItem: (i) => ({ image: i === 2 ? tensor([[1, 2, 3]]) : tensor([[1, 2]]) }) };
  const loader = new DataLoader(ds, { batchSize: 4 });
  assert.throws(() => [...loader], (e: Error) => /cannot stack image: dataset index 2 has shape \[1,3\] but dataset index 0 has \[1,2\]/.test(e.message));
  assert.throws(() => defaultCollate([{ a: 1 }, { b: 1 }] as object[], [5, 9]), /dataset index 9 has keys \{b\} but dataset index 5 has \{a\}/);
});

test("getItem out of range is a RangeError naming index and length", () => {
  const ds = new TensorDataset(arange(5));
  assert.throws(() => ds.getItem(5), (e: Error) => e instanceof RangeError && /index 5 is out of range for a dataset of length 5/.test(e.message));
  assert.throws(() => new Subset(ds, [0, 1]).getItem(-1), RangeError);
  assert.throws(() => new Subset(ds, [0, 7]), /indices\[1\] = 7 is out of range/);
});

test("Subset, ConcatDataset and map", () => {
  const a = new TensorDataset(arange(3));
  const b = new TensorDataset(arange(10, 15));
  const cat = new ConcatDataset([a, b]);
  assert.equal(cat.length, 8);
  assert.deepEqual([0, 2, 3, 7].map((i) => cat.getItem(i)[0].item()), [0, 2, 10, 14]);
  const sub = new Subset(cat, [7, 0]);
  assert.deepEqual([0, 1].map((i) => sub.getItem(i)[0].item()), [14, 0]);
  const doubled = cat.map(([x]) => x.item() * 2);
  assert.equal(doubled.getItem(4), 22);
  assert.equal(new MapDataset(numbers(3), (v, i) => v + i).getItem(2), 4);
});

test("async dataset: for await keeps order though items resolve out of order; sync iteration refuses", async () => {
  // Items resolve when the test says so, not after timers: once per turn of the event loop, every
  // item requested so far resolves, the highest index first. So later batches finish before
  // earlier ones, and what is in flight at each moment is the same on every machine.
  const pending = new Map<number, (v: number) => void>();
  const resolved: number[] = [];
  let inFlight = 0;
  let peak = 0;
  const ds: data.Dataset<number> = {
    length: 9,
    getItem: (i) =>
      new Promise((resolve) => {
        pending.set(i, resolve);
        peak = Math.max(peak, ++inFlight);
      }),
  };
  let done = false;
  const driver = (async () => {
    while (!done) {
      await new Promise((r) => setImmediate(r));
      for (const i of [...pending.keys()].sort((a, b) => b - a)) {
        pending.get(i)!(i);
        pending.delete(i);
        resolved.push(i);
        inFlight--;
      }
    }
  })();
  const loader = new DataLoader(ds, { batchSize: 2, prefetch: 1 });
  const got: number[] = [];
  try {
    for await (const b of loader) got.push(...b.data());
  } finally {
    done = true;
    await driver;
  }
  assert.deepEqual(got, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  // The first turn resolves the two batches requested up front (prefetch 1 + the current one),
  // the second batch first.
  assert.deepEqual(resolved.slice(0, 4), [3, 2, 1, 0]);
  assert.deepEqual([...resolved].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(peak, 4, "exactly (prefetch + 1) batches of 2 in flight at the peak");
  assert.throws(() => [...new DataLoader(ds, { batchSize: 2 })], /returned a Promise; iterate this loader with `for await/);
});

test("async loader surfaces a failing item at its batch", async () => {
  const ds: data.Dataset<number> = { length: 6, getItem: async (i) => { if (i === 4) throw new Error("bad item 4"); return i; } };
  const got: number[] = [];
  await assert.rejects(async () => {
    for await (const b of new DataLoader(ds, { batchSize: 2 })) got.push(...b.data());
  }, /bad item 4/);
  assert.deepEqual(got, [0, 1, 2, 3]);
});

test("samplers: sequential, random with/without replacement, subset, weighted, batch", () => {
  assert.deepEqual([...new SequentialSampler(4)], [0, 1, 2, 3]);
  const g = new Generator(3);
  const perm = [...new RandomSampler(6, { generator: g })];
  assert.deepEqual(sorted(perm), [0, 1, 2, 3, 4, 5]);
  const more = [...new RandomSampler(4, { numSamples: 10, generator: g })];
  assert.equal(more.length, 10);
  assert.deepEqual(sorted(more.slice(0, 4)), [0, 1, 2, 3], "first 4 are one permutation");
  const repl = [...new RandomSampler(3, { replacement: true, numSamples: 300, generator: g })];
  assert.equal(repl.length, 300);
  assert.ok(repl.every((i) => i >= 0 && i < 3));
  assert.ok(new Set(repl).size === 3);
  assert.deepEqual(sorted([...new SubsetRandomSampler([10, 20, 30], { generator: g })]), [10, 20, 30]);

  const w = new WeightedRandomSampler([0, 1, 3], 4000, { generator: new Generator(5) });
  const counts = [0, 0, 0];
  for (const i of w) counts[i]++;
  assert.equal(counts[0], 0, "zero weight is never drawn");
  assert.ok(Math.abs(counts[2] / counts[1] - 3) < 0.3, `ratio ${counts[2] / counts[1]} ≈ 3`);
  const noRep = [...new WeightedRandomSampler([1, 0, 5, 2], 3, { replacement: false, generator: new Generator(1) })];
  assert.deepEqual(sorted(noRep), [0, 2, 3]);
  assert.throws(() => new WeightedRandomSampler([1, 0], 2, { replacement: false }), /without replacement from 1 indices/);

  assert.deepEqual([...new BatchSampler(new SequentialSampler(5), 2)], [[0, 1], [2, 3], [4]]);
  assert.deepEqual([...new BatchSampler(new SequentialSampler(5), 2, true)], [[0, 1], [2, 3]]);
  const loader = new DataLoader(numbers(6), { batchSampler: new BatchSampler(new SequentialSampler(6), 3) });
  assert.deepEqual([...loader].map((b) => b.tolist()), [[0, 1, 2], [3, 4, 5]]);
  assert.throws(() => new DataLoader(numbers(6), { batchSampler: new BatchSampler(new SequentialSampler(6), 3), batchSize: 2 }), /do not also pass batchSize/);
});

test("custom collate receives samples and their indices", () => {
  const loader = new DataLoader(numbers(5), { batchSize: 2, collateFn: (s: number[], idx: number[]) => ({ sum: s.reduce((a, b) => a + b, 0), idx }) });
  assert.deepEqual([...loader], [{ sum: 1, idx: [0, 1] }, { sum: 5, idx: [2, 3] }, { sum: 4, idx: [4] }]);
});
