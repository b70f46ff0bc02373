// Exact behaviour and messages of defaultCollate, DataLoader and the dataset classes: the cases the
// mutation run (docs/testing.md, "Mutation testing") found unchecked by data-loader.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tensor, arange, Generator, type Tensor, data } from "../src/index.js";
import { checkIndex as rawCheckIndex } from "../src/data/dataset.js";
// The module's own function (what DataLoader calls); data.defaultCollate is the same behind the entry layer.
import { defaultCollate } from "../src/data/collate.js";

const { DataLoader, TensorDataset, Subset, ConcatDataset, MapDataset, SequentialSampler, BatchSampler, mapDataset } = data;

const numbers = (n: number): data.Dataset<number> => ({ length: n, getItem: (i) => i });
/** Asserts that fn throws an Error whose message is exactly `message`. */
const throwsExactly = (fn: () => unknown, message: string, type: ErrorConstructor = Error): void => {
  assert.throws(fn, (e: Error) => {
    assert.ok(e instanceof type, `expected a ${type.name}, got ${e?.constructor?.name}`);
    assert.equal(e.message, message);
    return true;
  });
};
const STRUCTURE = "; every sample must have the same structure";
const KINDS = "; samples must be tensors, numbers, booleans, strings, or arrays/objects of them (or pass a custom collate)";

test("defaultCollate: values and dtypes of each leaf kind", () => {
  const ints = defaultCollate([3, -4, 0]);
  assert.equal(ints.dtype, "int64");
  assert.deepEqual(ints.shape, [3]);
  assert.deepEqual(ints.dataBigInt(), BigInt64Array.of(3n, -4n, 0n));
  const floats = defaultCollate([0.5, 2]);
  assert.equal(floats.dtype, "float64");
  assert.deepEqual(Array.from(floats.data()), [0.5, 2]);
  const bools = defaultCollate([false, true, true]);
  assert.equal(bools.dtype, "bool");
  assert.deepEqual(bools.shape, [3]);
  assert.deepEqual(bools.tolist(), [false, true, true]);
  const strings = ["a", "b"];
  const s = defaultCollate(strings);
  assert.deepEqual(s, ["a", "b"]);
  assert.notEqual(s, strings, "a new array, not the caller's");
  const stacked = defaultCollate([tensor([[1, 2]]), tensor([[3, 4]])]);
  assert.deepEqual(stacked.shape, [2, 1, 2]);
  assert.deepEqual(stacked.tolist(), [[[1, 2]], [[3, 4]]]);
  const nested = defaultCollate([{ a: { b: [1, "x"] } }, { a: { b: [2, "y"] } }] as { a: { b: [number, string] } }[]);
  assert.deepEqual(nested.a.b[0].tolist(), [1, 2]);
  assert.deepEqual(nested.a.b[1], ["x", "y"]);
  assert.deepEqual(Object.keys(nested), ["a"]);
});

test("defaultCollate: shape, rank and dtype mismatches name the path, both indices and both shapes", () => {
  const fix = "; resize or crop them to one size in the dataset's transform, or pass a custom collate";
  throwsExactly(() => defaultCollate([tensor([1, 2]), tensor([1, 2, 3])]), `defaultCollate: cannot stack the samples: dataset index 1 has shape [3] but dataset index 0 has [2]${fix}`);
  // Same leading size, other rank (both orders: a prefix match is still a mismatch).
  throwsExactly(() => defaultCollate([tensor([[1], [2]]), tensor([1, 2])], [4, 7]), `defaultCollate: cannot stack the samples: dataset index 7 has shape [2] but dataset index 4 has [2,1]${fix}`);
  throwsExactly(() => defaultCollate([tensor([1, 2]), tensor([[1], [2]])], [4, 7]), `defaultCollate: cannot stack the samples: dataset index 7 has shape [2,1] but dataset index 4 has [2]${fix}`);
  // Only the third sample differs: every sample is compared with the first.
  throwsExactly(() => defaultCollate([{ m: { img: tensor([1]) } }, { m: { img: tensor([2]) } }, { m: { img: tensor([3, 4]) } }]), `defaultCollate: cannot stack m.img: dataset index 2 has shape [2] but dataset index 0 has [1]${fix}`);
  throwsExactly(
    () => defaultCollate([tensor([1, 2]), tensor([1, 2], { dtype: "int32" })], [0, 3]),
    "defaultCollate: cannot stack the samples: dataset index 3 is int32 but dataset index 0 is float32; convert them to one dtype",
  );
  throwsExactly(() => defaultCollate([[tensor([1]), tensor([1])], [tensor([1]), tensor([1], { dtype: "float64" })]]), "defaultCollate: cannot stack [1]: dataset index 1 is float64 but dataset index 0 is float32; convert them to one dtype");
});

test("defaultCollate: structure mismatches name the path, what each sample is and what the first has", () => {
  throwsExactly(() => defaultCollate([tensor([1, 2]), 3] as unknown[]), `defaultCollate: sample of dataset index 1 is number, but dataset index 0 has a tensor of shape [2]${STRUCTURE}`);
  throwsExactly(() => defaultCollate([3, tensor([1])] as unknown[]), `defaultCollate: sample of dataset index 1 is a tensor of shape [1], but dataset index 0 has a number${STRUCTURE}`);
  throwsExactly(() => defaultCollate([1, true] as unknown[]), `defaultCollate: sample of dataset index 1 is boolean, but dataset index 0 has a number${STRUCTURE}`);
  throwsExactly(() => defaultCollate([true, 1] as unknown[]), `defaultCollate: sample of dataset index 1 is number, but dataset index 0 has a boolean${STRUCTURE}`);
  throwsExactly(() => defaultCollate(["a", "b", null] as unknown[]), `defaultCollate: sample of dataset index 2 is null, but dataset index 0 has a string${STRUCTURE}`);
  throwsExactly(() => defaultCollate([[1, 2], [1]]), `defaultCollate: sample of dataset index 1 is an array of length 1, but dataset index 0 has an array of length 2${STRUCTURE}`);
  throwsExactly(() => defaultCollate([[1, 2], "ab"] as unknown[]), `defaultCollate: sample of dataset index 1 is string, but dataset index 0 has an array of length 2${STRUCTURE}`);
  throwsExactly(() => defaultCollate([[1, "a"], [2, 3]] as unknown[]), `defaultCollate: [1] of dataset index 1 is number, but dataset index 0 has a string${STRUCTURE}`);
  throwsExactly(() => defaultCollate([{ a: 1 }, null] as unknown[], [2, 5]), `defaultCollate: sample of dataset index 5 is null, but dataset index 2 has an object${STRUCTURE}`);
  throwsExactly(() => defaultCollate([{ a: 1 }, 4] as unknown[]), `defaultCollate: sample of dataset index 1 is number, but dataset index 0 has an object${STRUCTURE}`);
  throwsExactly(() => defaultCollate([{ p: { q: 1 } }, { p: { q: "z" } }]), `defaultCollate: p.q of dataset index 1 is string, but dataset index 0 has a number${STRUCTURE}`);
  // Same number of keys, other names; and one key more.
  throwsExactly(() => defaultCollate([{ a: 1, b: 2 }, { a: 1, c: 2 }] as object[]), "defaultCollate: sample of dataset index 1 has keys {a, c} but dataset index 0 has {a, b}");
  throwsExactly(() => defaultCollate([{ a: 1 }, { a: 1, b: 2 }] as object[]), "defaultCollate: sample of dataset index 1 has keys {a, b} but dataset index 0 has {a}");
  throwsExactly(() => defaultCollate([{ o: { a: 1 } }, { o: { b: 1 } }] as object[]), "defaultCollate: o of dataset index 1 has keys {b} but dataset index 0 has {a}");
});

test("defaultCollate: what it cannot batch, and an empty list", () => {
  throwsExactly(() => defaultCollate([]), "defaultCollate: cannot collate an empty list of samples");
  // Through the entry layer the message is the same: the function is named once, not "data.defaultCollate: collate: ...".
  throwsExactly(() => data.defaultCollate([]), "defaultCollate: cannot collate an empty list of samples");
  throwsExactly(() => data.defaultCollate([1, "a"]), `defaultCollate: sample of dataset index 1 is string, but dataset index 0 has a number${STRUCTURE}`);
  throwsExactly(() => defaultCollate([new Float32Array(2), new Float32Array(2)] as unknown[], [3, 4]), `defaultCollate: cannot batch sample of dataset index 3: it is a typed array (wrap it with tensor())${KINDS}`);
  throwsExactly(() => defaultCollate([null, null] as unknown[]), `defaultCollate: cannot batch sample of dataset index 0: it is null${KINDS}`);
  throwsExactly(() => defaultCollate([undefined] as unknown[]), `defaultCollate: cannot batch sample of dataset index 0: it is undefined${KINDS}`);
  throwsExactly(() => defaultCollate([{ f: () => 1 }] as unknown[]), `defaultCollate: cannot batch f of dataset index 0: it is function${KINDS}`);
  throwsExactly(() => defaultCollate([[1n]] as unknown[]), `defaultCollate: cannot batch [0] of dataset index 0: it is bigint${KINDS}`);
});

test("DataLoader: defaults, the positional batch size, and the stored options", () => {
  const d = new DataLoader(numbers(3));
  assert.equal(d.batchSize, 1);
  assert.equal(d.dropLast, false);
  assert.equal(d.prefetch, 2);
  assert.equal(d.length, 3);
  assert.deepEqual([...d].map((b) => b.tolist()), [[0], [1], [2]]);
  assert.ok(d.sampler instanceof SequentialSampler);
  const p = new DataLoader(numbers(5), 2);
  assert.equal(p.batchSize, 2);
  assert.deepEqual([...p].map((b) => b.tolist()), [[0, 1], [2, 3], [4]]);
  assert.equal(new DataLoader(numbers(5), { prefetch: 0 }).prefetch, 0);
  // A dataset that has a `dataset` field (Subset, MapDataset) is a dataset, not the 0.1 options bag.
  const sub = new Subset(numbers(10), [9, 8, 7]);
  assert.deepEqual([...new DataLoader(sub, 2)].map((b) => b.tolist()), [[9, 8], [7]]);
  const fn = (s: number[]): number => s.length;
  const c = new DataLoader(numbers(5), { batchSize: 2, collateFn: fn });
  assert.equal(c.collateFn, fn);
  assert.equal(c.collate, fn, "the deprecated getter returns collateFn");
  assert.deepEqual([...c], [2, 2, 1]);
});

test("DataLoader: the deprecated forms still work", () => {
  const warn = console.warn;
  const warnings: string[] = [];
  console.warn = (m: string) => warnings.push(m);
  try {
    const old = new DataLoader({ dataset: numbers(5), batchSize: 2, dropLast: true });
    assert.equal(old.dataset.length, 5);
    assert.equal(old.batchSize, 2);
    assert.equal(old.dropLast, true);
    assert.deepEqual([...old].map((b) => b.tolist()), [[0, 1], [2, 3]]);
    const sum = (s: number[]): number => s.reduce((a, b) => a + b, 0);
    const oldCollate = new DataLoader(numbers(4), { batchSize: 2, collate: sum });
    assert.equal(oldCollate.collateFn, sum);
    assert.deepEqual([...oldCollate], [1, 5]);
  } finally {
    console.warn = warn;
  }
  throwsExactly(() => new DataLoader(numbers(4), { collate: (s: number[]) => s, collateFn: (s: number[]) => s }), "DataLoader: pass collateFn only (collate is its deprecated name)");
});

test("DataLoader: bad arguments name what is wrong", () => {
  const opts = "DataLoader: the second argument takes options like { batchSize: 64, shuffle: true } (or a batch size), got ";
  throwsExactly(() => new DataLoader(numbers(3), "4" as never), `${opts}string "4"`);
  throwsExactly(() => new DataLoader(numbers(3), null as never), `${opts}null`);
  throwsExactly(() => new DataLoader(numbers(3), [4] as never), `${opts}an array of length 1`);
  const ds = "DataLoader: dataset must be a Dataset (a numeric `length` and a `getItem(i)` method), got ";
  const fix = "; write new DataLoader(dataset, { batchSize: 64 })";
  throwsExactly(() => new DataLoader(null as never), `${ds}null${fix}`);
  throwsExactly(() => new DataLoader({ length: 3 } as never), `${ds}an object${fix}`);
  throwsExactly(() => new DataLoader({ length: "3", getItem: () => 1 } as never), `${ds}an object${fix}`);
  for (const bad of [-1, 1.5, Number.NaN]) throwsExactly(() => new DataLoader(numbers(3), { prefetch: bad }), `DataLoader: prefetch must be a non-negative integer, got ${bad}`);
  for (const bad of [0, -2, 2.5]) throwsExactly(() => new DataLoader(numbers(3), { batchSize: bad }), `DataLoader: batchSize must be a positive integer, got ${bad}`);
  throwsExactly(
    () => new DataLoader(numbers(3), { shuffle: true, sampler: new SequentialSampler(3) }),
    "DataLoader: pass either shuffle: true or a sampler, not both (a sampler decides the order itself)",
  );
  // shuffle: false with a sampler is no clash.
  assert.deepEqual([...new DataLoader(numbers(3), { shuffle: false, sampler: [2, 0, 1] as unknown as data.Sampler })].map((b) => b.tolist()), [[2], [0], [1]]);
});

test("DataLoader with a batchSampler: clashes listed, shuffle/dropLast false allowed, sampler flattens it", () => {
  const bs = (): data.BatchSampler => new BatchSampler(new SequentialSampler(5), 2);
  throwsExactly(() => new DataLoader(numbers(5), { batchSampler: bs(), batchSize: 2, shuffle: true }), "DataLoader: batchSampler already decides batching; do not also pass batchSize, shuffle");
  throwsExactly(() => new DataLoader(numbers(5), { batchSampler: bs(), sampler: new SequentialSampler(5), dropLast: true }), "DataLoader: batchSampler already decides batching; do not also pass sampler, dropLast");
  const loader = new DataLoader(numbers(5), { batchSampler: bs(), shuffle: false, dropLast: false });
  assert.equal(loader.length, 3);
  assert.deepEqual([...loader].map((b) => b.tolist()), [[0, 1], [2, 3], [4]]);
  assert.equal(loader.sampler.length, 5);
  assert.deepEqual([...loader.sampler], [0, 1, 2, 3, 4]);
  // A batch sampler with batch size 0 would be refused; the loader's own batchSize check is skipped.
  assert.equal(loader.batchSize, 1);
});

test("DataLoader: shuffle uses the given generator; a given sampler decides the order", () => {
  const order = (seed: number): number[] => [...new DataLoader(numbers(12), { batchSize: 12, shuffle: true, generator: new Generator(seed) })][0].tolist() as number[];
  const a = order(1);
  assert.deepEqual(order(1), a);
  assert.deepEqual([...a].sort((x, y) => x - y), Array.from({ length: 12 }, (_, i) => i));
  assert.notDeepEqual(a, Array.from({ length: 12 }, (_, i) => i));
  const s = new DataLoader(numbers(6), { batchSize: 2, sampler: new Subset(numbers(6), [5, 3, 1]).indices as unknown as data.Sampler });
  assert.deepEqual([...s].map((b) => b.tolist()), [[5, 3], [1]]);
  const sync = new DataLoader({ length: 3, getItem: (i: number) => (i === 1 ? Promise.resolve(1) : i) }, { batchSize: 3 });
  throwsExactly(() => [...sync], "DataLoader: dataset.getItem(1) returned a Promise; iterate this loader with `for await (const batch of loader)`");
});

test("async iteration: prefetch 0 loads one batch at a time; a sync dataset also works with for await", async () => {
  const pending = new Map<number, (v: number) => void>();
  let inFlight = 0;
  let peak = 0;
  const ds: data.Dataset<number> = {
    length: 5,
    getItem: (i) => new Promise((resolve) => { pending.set(i, resolve); peak = Math.max(peak, ++inFlight); }),
  };
  let done = false;
  const driver = (async () => {
    while (!done) {
      await new Promise((r) => setImmediate(r));
      for (const [i, resolve] of pending) { resolve(i * 10); pending.delete(i); inFlight--; }
    }
  })();
  const got: number[][] = [];
  try {
    for await (const b of new DataLoader(ds, { batchSize: 2, prefetch: 0 })) got.push(b.tolist() as number[]);
  } finally {
    done = true;
    await driver;
  }
  assert.deepEqual(got, [[0, 10], [20, 30], [40]]);
  assert.equal(peak, 2, "prefetch 0: only the batch being consumed is loading");
  const syncGot: number[][] = [];
  for await (const b of new DataLoader(numbers(5), { batchSize: 3 })) syncGot.push(b.tolist() as number[]);
  assert.deepEqual(syncGot, [[0, 1, 2], [3, 4]]);
});

test("checkIndex: the range error and its two argument checks", () => {
  throwsExactly(() => rawCheckIndex(5, 5, "Ds"), "Ds.getItem: index 5 is out of range for a dataset of length 5 (valid indices are 0..4)", RangeError);
  throwsExactly(() => rawCheckIndex(-1, 5, "Ds"), "Ds.getItem: index -1 is out of range for a dataset of length 5 (valid indices are 0..4)", RangeError);
  throwsExactly(() => rawCheckIndex(1.5, 5, "Ds"), "Ds.getItem: index 1.5 is out of range for a dataset of length 5 (valid indices are 0..4)", RangeError);
  throwsExactly(() => rawCheckIndex(0, 0, "Ds"), "Ds.getItem: index 0 is out of range for a dataset of length 0 (the dataset is empty)", RangeError);
  throwsExactly(() => rawCheckIndex(0, "3" as never, "Ds"), 'data.checkIndex: length must be the dataset\'s length (a number), got string "3"');
  throwsExactly(() => rawCheckIndex(0, 3, 7 as never), "data.checkIndex: name must be the dataset's name for the message (a string), got number 7");
  rawCheckIndex(0, 1, "Ds");
  rawCheckIndex(4, 5, "Ds");
});

test("MapDataset and mapDataset: argument checks, index check, sync and async items", async () => {
  const got = "MapDataset: dataset must be a Dataset (a numeric `length` and a `getItem(i)` method), got ";
  throwsExactly(() => new MapDataset(null as never, (x) => x), `${got}null`);
  throwsExactly(() => new MapDataset(5 as never, (x) => x), `${got}number 5`);
  throwsExactly(() => new MapDataset({ length: "2", getItem: () => 1 } as never, (x) => x), `${got}an object`);
  throwsExactly(() => new MapDataset({ length: 2 } as never, (x) => x), `${got}an object`);
  throwsExactly(() => new MapDataset(numbers(2), 3 as never), "MapDataset: fn must be a function (item, index) => newItem, got number 3");
  const m = new MapDataset(numbers(3), (v, i) => `${v}:${i}`);
  assert.equal(m.length, 3);
  assert.equal(m.getItem(2), "2:2");
  throwsExactly(() => m.getItem(3), "MapDataset.getItem: index 3 is out of range for a dataset of length 3 (valid indices are 0..2)", RangeError);
  const asyncDs: data.Dataset<number> = { length: 2, getItem: async (i) => i + 100 };
  const am = mapDataset(asyncDs, (v, i) => v * 2 + i);
  assert.ok(am instanceof MapDataset);
  const item = am.getItem(1);
  assert.ok(item instanceof Promise);
  assert.equal(await item, 203);
});

test("TensorDataset: argument checks and rows as views", () => {
  throwsExactly(() => new TensorDataset(), "TensorDataset: give at least one tensor, e.g. new TensorDataset(inputs, targets)");
  throwsExactly(() => new TensorDataset(arange(3), 3 as never), "TensorDataset: tensors[1] must be a Tensor, got number 3");
  throwsExactly(() => new TensorDataset(arange(3), tensor(2)), "TensorDataset: tensor 1 is 0-d; every tensor needs a first dimension to index");
  throwsExactly(
    () => new TensorDataset(arange(6).reshape([3, 2]), arange(3), arange(8).reshape([4, 2])),
    "TensorDataset: tensor 2 has 4 rows (shape [4,2]) but tensor 0 has 3 (shape [3,2]); all must have the same size in dim 0",
  );
  const x = arange(6).reshape([3, 2]);
  const ds = new TensorDataset(x, arange(3));
  assert.equal(ds.length, 3);
  assert.equal(ds.tensors[0], x);
  const [row, label] = ds.getItem(2) as Tensor[];
  assert.deepEqual(row.tolist(), [4, 5]);
  assert.equal(label.item(), 2);
  throwsExactly(() => ds.getItem(3), "TensorDataset.getItem: index 3 is out of range for a dataset of length 3 (valid indices are 0..2)", RangeError);
});

test("Subset: index checks and any array-like of indices", () => {
  throwsExactly(() => new Subset(numbers(3), null as never), "Subset: indices must be an array of indices, got null");
  throwsExactly(() => new Subset(numbers(3), 2 as never), "Subset: indices must be an array of indices, got number 2");
  throwsExactly(() => new Subset(numbers(3), "01" as never), 'Subset: indices must be an array of indices, got string "01"');
  throwsExactly(() => new Subset(numbers(3), {} as never), "Subset: indices must be an array of indices, got an object");
  throwsExactly(() => new Subset(null as never, [0]), "Subset: dataset must be a Dataset (a numeric `length` and a `getItem(i)` method), got null");
  throwsExactly(() => new Subset(numbers(3), [0, 3]), "Subset: indices[1] = 3 is out of range for a dataset of length 3", RangeError);
  throwsExactly(() => new Subset(numbers(3), [-1]), "Subset: indices[0] = -1 is out of range for a dataset of length 3", RangeError);
  throwsExactly(() => new Subset(numbers(3), [0.5]), "Subset: indices[0] = 0.5 is out of range for a dataset of length 3", RangeError);
  const s = new Subset(numbers(10), Int32Array.of(9, 0, 2));
  assert.deepEqual(s.indices, [9, 0, 2]);
  assert.equal(s.length, 3);
  assert.deepEqual([0, 1, 2].map((i) => s.getItem(i)), [9, 0, 2]);
  throwsExactly(() => s.getItem(3), "Subset.getItem: index 3 is out of range for a dataset of length 3 (valid indices are 0..2)", RangeError);
  assert.equal(new Subset(numbers(3), [2]).getItem(0), 2);
});

test("ConcatDataset: checks, cumulative sizes, and every index of uneven parts (an empty one included)", () => {
  throwsExactly(() => new ConcatDataset(numbers(3) as never), "ConcatDataset: datasets must be an array of datasets, got an object");
  throwsExactly(() => new ConcatDataset([numbers(1), 4 as never]), "ConcatDataset: datasets[1] must be a Dataset (a numeric `length` and a `getItem(i)` method), got number 4");
  throwsExactly(() => new ConcatDataset([]), "ConcatDataset: expected at least one dataset");
  throwsExactly(() => new ConcatDataset([numbers(1), numbers(-1)]), "ConcatDataset: dataset 1 has an invalid length -1");
  throwsExactly(() => new ConcatDataset([numbers(1.5)]), "ConcatDataset: dataset 0 has an invalid length 1.5");
  const tag = (name: string, n: number): data.Dataset<string> => ({ length: n, getItem: (i) => `${name}${i}` });
  const parts = [tag("a", 2), tag("b", 0), tag("c", 3), tag("d", 1), tag("e", 2)];
  const cat = new ConcatDataset(parts);
  assert.deepEqual(cat.cumulativeSizes, [2, 2, 5, 6, 8]);
  assert.equal(cat.length, 8);
  assert.deepEqual(Array.from({ length: 8 }, (_, i) => cat.getItem(i)), ["a0", "a1", "c0", "c1", "c2", "d0", "e0", "e1"]);
  throwsExactly(() => cat.getItem(8), "ConcatDataset.getItem: index 8 is out of range for a dataset of length 8 (valid indices are 0..7)", RangeError);
  assert.notEqual(cat.datasets, parts, "a copy of the list");
  assert.deepEqual(cat.datasets, parts);
  const one = new ConcatDataset([tag("z", 2)]);
  assert.deepEqual([one.getItem(0), one.getItem(1)], ["z0", "z1"]);
  assert.equal(new ConcatDataset([tag("z", 0)]).length, 0);
});

test("items that are null pass through; a Promise met by sync iteration is refused and its rejection handled", async () => {
  const nulls: data.Dataset<null> = { length: 3, getItem: () => null };
  assert.deepEqual([...new DataLoader(nulls, { batchSize: 2, collateFn: (s: null[]) => s })], [[null, null], [null]]);
  assert.deepEqual(new MapDataset(nulls, (v, i) => `${v}${i}`).getItem(1), "null1");
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown): void => void unhandled.push(e);
  process.on("unhandledRejection", onUnhandled);
  try {
    const failing: data.Dataset<number> = { length: 2, getItem: () => Promise.reject(new Error("disk gone")) };
    throwsExactly(() => [...new DataLoader(failing)], "DataLoader: dataset.getItem(0) returned a Promise; iterate this loader with `for await (const batch of loader)`");
    // Give a rejection that nobody handles the turns it needs to be reported.
    for (let k = 0; k < 3; k++) await new Promise((r) => setImmediate(r));
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
  assert.deepEqual(unhandled, [], "the refused Promise's rejection is handled, not reported as unhandled");
});
