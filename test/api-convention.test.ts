// API.md's calling convention: PyTorch's habitual positional arguments, one trailing options object,
// `{ reduction }` on every loss, DataLoader(dataset, options), methods where PyTorch has methods, and
// the 0.1 forms kept for one release behind a one-time deprecation notice.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, data, randn, zeros, tensor, ones } from "../src/index.js";

const F = nn.functional;

/** Runs fn and returns what it printed through console.warn. */
function warnings(fn: () => void): string[] {
  const seen: string[] = [];
  const orig = console.warn;
  console.warn = (...a: unknown[]) => void seen.push(a.join(" "));
  try {
    fn();
  } finally {
    console.warn = orig;
  }
  return seen;
}

test("Conv layers take PyTorch's positional stride, padding, dilation, groups, bias", () => {
  const c = new nn.Conv2d(3, 16, 3, 1, 1);
  assert.deepEqual([c.stride, c.padding], [[1, 1], [1, 1]]);
  assert.deepEqual(c.call(zeros([2, 3, 8, 8])).shape, [2, 16, 8, 8]);
  const s = new nn.Conv2d(4, 8, 3, 2, 0, 1, 2, false);
  assert.deepEqual([s.stride, s.padding, s.groups, s.bias], [[2, 2], [0, 0], 2, null]);
  assert.deepEqual(new nn.Conv2d(3, 4, 3, 1, { padding: "same" }).padding, "same");
  assert.deepEqual(new nn.Conv1d(2, 2, 3, 2, 1).call(zeros([1, 2, 9])).shape, [1, 2, 5]);
  const t = new nn.ConvTranspose2d(4, 2, 3, 2, 1, 1);
  assert.deepEqual([t.stride, t.padding, t.outputPadding], [[2, 2], [1, 1], [1, 1]]);
  assert.deepEqual(t.call(zeros([1, 4, 5, 5])).shape, [1, 2, 10, 10]);
});

test("pooling, Linear, norms, Embedding, recurrent and attention layers read positional options in PyTorch's order", () => {
  const mp = new nn.MaxPool2d(3, 1, 1);
  assert.deepEqual([mp.stride, mp.padding], [1, 1]);
  assert.deepEqual(mp.call(randn([1, 2, 6, 6])).shape, [1, 2, 6, 6], "stride 1 and padding 1 keep the size");
  assert.deepEqual(new nn.MaxPool2d(2, 2).stride, 2);
  assert.deepEqual(new nn.AvgPool2d(2, 1).call(randn([1, 1, 4, 4])).shape, [1, 1, 3, 3]);
  assert.equal(new nn.Linear(4, 2, false).bias, null);
  const bn = new nn.BatchNorm2d(16, 1e-3, 0.01);
  assert.deepEqual([bn.eps, bn.momentum], [1e-3, 0.01]);
  assert.equal(new nn.LayerNorm(8, 1e-6).eps, 1e-6);
  assert.equal(new nn.GroupNorm(2, 4, 1e-3).eps, 1e-3);
  assert.equal(new nn.Embedding(10, 4, 0).paddingIdx, 0);
  const lstm = new nn.LSTM(10, 20, 2);
  assert.equal(lstm.numLayers, 2);
  assert.ok(Object.keys(lstm.stateDict()).includes("weight_ih_l1"));
  assert.equal(new nn.GRU(3, 4, 1, true, true).batchFirst, true);
  assert.equal(new nn.MultiheadAttention(8, 2, 0.1).dropout, 0.1);
  const enc = new nn.TransformerEncoderLayer(16, 4, 32, 0);
  assert.deepEqual(enc.linear1.weight.shape, [32, 16]);
});

test("a parameter given twice, or too many positional arguments, is an error naming the layer", () => {
  assert.throws(() => new nn.Conv2d(3, 4, 3, 2, { stride: 1 }), /^Error: Conv2d: stride was given both positionally \(number 2\) and in the options \(number 1\); give it once/);
  assert.throws(() => new (nn.MaxPool2d as unknown as new (...a: unknown[]) => unknown)(2, 2, 0, 1, true), /^Error: MaxPool2d: takes at most 3 optional positional arguments \(stride, padding, dilation\), got 4/);
  assert.throws(() => new (nn.Linear as unknown as new (...a: unknown[]) => unknown)(2, 2, false, true), /^Error: Linear: takes at most 1 optional positional argument \(bias\), got 2/);
});

test("every loss takes { reduction }; the 0.1 positional string still works once-warned", () => {
  const x = tensor([1, 2, 3]);
  const y = tensor([1, 0, 0]);
  assert.equal(F.mseLoss(x, y, { reduction: "sum" }).item(), 13);
  assert.deepEqual(F.l1Loss(x, y, { reduction: "none" }).tolist(), [0, 2, 3]);
  assert.equal(F.smoothL1Loss(x, y, { reduction: "sum", beta: 2 }).item(), 0 + 1 + 2);
  let first = 0;
  const w = warnings(() => {
    first = F.mseLoss(x, y, "sum").item();
    F.mseLoss(x, y, "sum");
  });
  assert.equal(first, 13);
  assert.equal(w.length, 1, "one notice per form, not one per call");
  assert.match(w[0], /mseLoss\(input, target, "sum"\) is deprecated .* write mseLoss\(input, target, \{ reduction: "sum" \}\)/);
  assert.throws(() => F.mseLoss(x, y, 3 as never), /^Error: mseLoss: options must be an object like \{ reduction: "sum" \}, got 3/);
});

test("DataLoader(dataset, options), DataLoader(dataset, batchSize), and the 0.1 options-only form", () => {
  const ds = new data.TensorDataset(tensor([1, 2, 3, 4, 5]));
  assert.deepEqual([...new data.DataLoader(ds, { batchSize: 2 })].map((b) => b[0].tolist()), [[1, 2], [3, 4], [5]]);
  assert.deepEqual([...new data.DataLoader(ds, 4)].map((b) => b[0].shape[0]), [4, 1]);
  let batches = 0;
  const w = warnings(() => {
    batches = [...new data.DataLoader({ dataset: ds, batchSize: 5 })].length;
  });
  assert.equal(batches, 1);
  assert.match(w.join("\n"), /new DataLoader\(\{ dataset, \.\.\.options \}\) is deprecated/);
  assert.throws(() => new data.DataLoader(ds, "64" as never), /^Error: DataLoader: the second argument takes options like \{ batchSize: 64, shuffle: true \} \(or a batch size\), got string "64"/);
});

test("DataLoader's collateFn is PyTorch's collate_fn; the 0.2 name collate warns and still works", () => {
  const ds = new data.TensorDataset(tensor([1, 2, 3]));
  const sizes = (samples: unknown[]) => samples.length;
  const loader = new data.DataLoader(ds, { batchSize: 2, collateFn: sizes });
  assert.deepEqual([...loader], [2, 1]);
  assert.equal(loader.collateFn, sizes);
  let old: unknown[] = [];
  const w = warnings(() => {
    old = [...new data.DataLoader(ds, { batchSize: 3, collate: sizes })];
  });
  assert.deepEqual(old, [3]);
  assert.match(w.join("\n"), /the option \{ collate \} is deprecated .* write \{ collateFn \}/);
  assert.throws(() => new data.DataLoader(ds, { collate: sizes, collateFn: sizes }), /^Error: DataLoader: pass collateFn only/);
});

test("numel() and elementSize() are methods, as in PyTorch", () => {
  assert.equal(randn([2, 3]).numel(), 6);
  assert.equal(ones([0, 3]).numel(), 0);
  assert.equal(tensor(5).numel(), 1);
  assert.deepEqual(
    (["float32", "float64", "int32", "bool"] as const).map((dtype) => zeros([2], { dtype }).elementSize()),
    [4, 8, 4, 1],
  );
});

test("reductions take keepdim positionally or as { keepdim }; max/min along a dim are named tuples", () => {
  const x = tensor([[1, 5, 3], [4, 2, 6]]);
  for (const [name, f] of [
    ["sum", (k: never) => x.sum(1, k)], ["mean", (k: never) => x.mean(1, k)], ["prod", (k: never) => x.prod(1, k)],
    ["amax", (k: never) => x.amax(1, k)], ["amin", (k: never) => x.amin(1, k)], ["argmax", (k: never) => x.argmax(1, k)],
    ["logsumexp", (k: never) => x.logsumexp(1, k)], ["norm", (k: never) => x.norm(2, 1, k)], ["nansum", (k: never) => x.nansum(1, k)],
    ["any", (k: never) => x.any(1, k)], ["median", (k: never) => x.median(1, k).values], ["max", (k: never) => x.max(1, k).values],
  ] as const) {
    assert.deepEqual(f(true as never).shape, [2, 1], `${name}(1, true)`);
    assert.deepEqual(f({ keepdim: true } as never).shape, [2, 1], `${name}(1, { keepdim: true })`);
    assert.deepEqual(f({ keepdim: false } as never).shape, [2], `${name}(1, { keepdim: false }) must drop the dim (an object is truthy)`);
    assert.deepEqual(f(undefined as never).shape, [2], `${name}(1)`);
  }
  assert.throws(() => x.sum(1, "yes" as never), /^Error: sum: keepdim must be true\/false or an options object like \{ keepdim: true \}, got string "yes"/);
  const [values, indices] = x.max(1);
  assert.deepEqual([values.tolist(), indices.tolist()], [[5, 6], [1, 2]]);
  const { values: lo, indices: at } = x.min(0);
  assert.deepEqual([lo.tolist(), at.tolist()], [[1, 2, 3], [0, 1, 0]]);
});
