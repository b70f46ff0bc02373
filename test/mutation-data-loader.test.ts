// DataLoader's and the dataset classes' argument checks and notices, checked exactly: the cases
// session 10's mutation run of src/data/*.ts found unchecked (docs/mutation/session-10-mutd.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import { data } from "../src/index.js";
import { throwsWith as throwsExactly } from "./throws-with.js";

const { DataLoader, MapDataset, Subset } = data;

const numbers = (n: number): data.Dataset<number> => ({ length: n, getItem: (i) => i });

test("DataLoader: a primitive in the dataset's place gets the dataset message (not a TypeError from the 0.1 options test)", () => {
  const msg = (got: string): string => `DataLoader: dataset must be a Dataset (a numeric \`length\` and a \`getItem(i)\` method), got ${got}; write new DataLoader(dataset, { batchSize: 64 })`;
  throwsExactly(() => new DataLoader("abc" as never), msg('string "abc"'));
  throwsExactly(() => new DataLoader(5 as never, 2), msg("number 5"));
});

test("DataLoader: a misspelt option is named, with the loader's name and the keys it takes", () => {
  throwsExactly(
    () => new DataLoader(numbers(3), { batchsize: 2 } as never),
    "DataLoader: unknown option 'batchsize'; did you mean 'batchSize'? (it takes batchSize, shuffle, sampler, batchSampler, dropLast, collateFn, collate, generator, prefetch)",
  );
});

test("DataLoader: the deprecated forms' notices say what to write instead", (t) => {
  // Each notice is printed once per process (src/tensor/deprecation.ts), so here it is printed only
  // when no earlier test in this process used the form (always so under `node --test`, which runs
  // each file in its own process); whatever is printed must be exactly this.
  const warn = t.mock.method(console, "warn", () => {});
  new DataLoader({ dataset: numbers(4), batchSize: 2 });
  new DataLoader(numbers(4), { collate: (s: number[]) => s });
  const printed = warn.mock.calls.map((c) => c.arguments[0] as string);
  const expected = [
    "deeptype: new DataLoader({ dataset, ...options }) is deprecated and will be removed in the next release; write new DataLoader(dataset, { ...options })",
    "deeptype: the option { collate } is deprecated and will be removed in the next release; write { collateFn }, PyTorch's collate_fn",
  ];
  for (const p of printed) assert.ok(expected.includes(p), `unexpected notice: ${p}`);
  // Printed at most once per form: a second use in the same process prints nothing.
  warn.mock.resetCalls();
  new DataLoader({ dataset: numbers(4), batchSize: 2 });
  new DataLoader(numbers(4), { collate: (s: number[]) => s });
  assert.equal(warn.mock.callCount(), 0);
});

test("the dataset classes refuse a function carrying getItem: a function's length is its arity, not a dataset size", () => {
  const f = Object.assign(function items(i: number): number {
    return i;
  }, { getItem: (i: number) => i });
  const msg = (fn: string): string => `${fn}: dataset must be a Dataset (a numeric \`length\` and a \`getItem(i)\` method), got a function (items)`;
  throwsExactly(() => new MapDataset(f as never, (x: unknown) => x), msg("MapDataset"));
  throwsExactly(() => new Subset(f as never, [0]), msg("Subset"));
});

test("DataLoader refuses a function carrying getItem: its length is the function's arity, not a size (as checkDataset)", () => {
  const f = Object.assign((a: number, b: number) => a + b, { getItem: (i: number) => i });
  throwsExactly(() => new data.DataLoader(f as never), "DataLoader: dataset must be a Dataset (a numeric `length` and a `getItem(i)` method), got a function; write new DataLoader(dataset, { batchSize: 64 })");
});
