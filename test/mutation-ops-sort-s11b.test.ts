// Tests written for the survivors of session 11's mutation run of src/ops/sort.ts
// (docs/mutation/session-11-opsb.md). Expected values are PyTorch 1.13's, copied here with the call
// that gave them.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const nums = (t: dt.Tensor): number[] => [...t.numbers()].map(Number);

test("sort, argsort, topk, kthvalue, median and mode of a 0-d tensor are 0-d (torch.sort(tensor(3.)) etc.)", () => {
  const s = dt.tensor(3);
  const shapes = [
    dt.sort(s).values, dt.sort(s).indices, dt.argsort(s), dt.topk(s, 1).values, dt.topk(s, 1).indices,
    dt.kthvalue(s, 1).values, dt.kthvalue(s, 1, 0, true).values, dt.median(s, 0).values, dt.mode(s).values, dt.mode(s, 0, true).values,
  ].map((t) => [...t.shape]);
  assert.deepEqual(shapes, Array(10).fill([]));
  assert.equal(dt.sort(s, 0).values.item(), 3);
  throwsWith(() => dt.sort(s, 1), "sort: dimension 1 is out of range for a tensor of 0 dimensions (expected a dim in [-1, 0])");
});

test("sort, argsort and topk refuse a flag that is not a boolean; every op names itself for a bad dim, keepdim or k", () => {
  const x = dt.tensor([[1, 5, 3], [4, 2, 6]]);
  throwsWith(() => dt.sort(x, -1, "yes" as never), 'sort: descending must be true or false, got string "yes"');
  throwsWith(() => dt.argsort(x, -1, "yes" as never), 'argsort: descending must be true or false, got string "yes"');
  throwsWith(() => dt.topk(x, 1, -1, "yes" as never), 'topk: largest must be true or false, got string "yes"');
  const range = (op: string) => `${op}: dimension 5 is out of range for a tensor of 2 dimensions (expected a dim in [-2, 1])`;
  throwsWith(() => dt.sort(x, 5), range("sort"));
  throwsWith(() => dt.argsort(x, 5), range("argsort"));
  throwsWith(() => dt.topk(x, 1, 5), range("topk"));
  throwsWith(() => dt.kthvalue(x, 1, 5), range("kthvalue"));
  throwsWith(() => dt.median(x, 5), range("median"));
  throwsWith(() => dt.mode(x, 5), range("mode"));
  throwsWith(() => dt.unique(x, { dim: 5 }), range("unique"));
  const kd = (op: string) => `${op}: keepdim must be true/false or an options object like { keepdim: true }, got string "yes"`;
  throwsWith(() => dt.kthvalue(x, 1, 1, "yes" as never), kd("kthvalue"));
  throwsWith(() => dt.median(x, 1, "yes" as never), kd("median"));
  throwsWith(() => dt.mode(x, 1, "yes" as never), kd("mode"));
  throwsWith(() => (dt.median as (x: dt.Tensor, d?: number, k?: boolean) => unknown)(x, undefined, true),
    "median: keepdim needs a dim (median(x, { dim: 0, keepdim: true })); median(x) is the 0-d median of all elements");
  // PyTorch: "selected index k out of range" (topk), "kthvalue(): selected number k out of range for dimension 1".
  for (const k of [4, -1, 1.5]) throwsWith(() => dt.topk(x, k), `topk: k (${k}) must be an integer in [0, 3], the size of dim -1 of [2,3]`, RangeError);
  for (const k of [0, 4, 1.5]) throwsWith(() => dt.kthvalue(x, k), `kthvalue: k (${k}) must be an integer in [1, 3], the size of dim -1 of [2,3]`, RangeError);
  // The nearest accepted: topk k = 0 and k = n, kthvalue k = n.
  assert.deepEqual([...dt.topk(x, 0).values.shape], [2, 0]);
  assert.deepEqual(nums(dt.topk(x, 3).values), [5, 3, 1, 6, 4, 2]);
  assert.deepEqual(nums(dt.kthvalue(x, 3, 1).values), [5, 6]);
});

test("default arguments: argsort ascending along the last dim, topk largest, mode along the last dim (3-D inputs)", () => {
  // torch.argsort(x3) with x3 = [[[3, 1, 2], [0, 5, 4]], [[9, 8, 7], [1, 1, 0]]]
  const x3 = dt.tensor([[[3, 1, 2], [0, 5, 4]], [[9, 8, 7], [1, 1, 0]]]);
  assert.deepEqual(nums(dt.argsort(x3)), [1, 2, 0, 0, 2, 1, 2, 1, 0, 2, 0, 1]);
  // torch.topk(torch.tensor([1., 5, 3]), 2) -> values [5, 3], indices [1, 2]
  const t = dt.topk(dt.tensor([1, 5, 3]), 2);
  assert.deepEqual(nums(t.values), [5, 3]);
  assert.deepEqual(nums(t.indices), [1, 2]);
  // torch.mode of [[[1, 2, 2], [3, 3, 1]], [[0, 0, 5], [7, 6, 7]]] -> values [[2, 3], [0, 7]], indices [[2, 1], [1, 2]]
  const m = dt.mode(dt.tensor([[[1, 2, 2], [3, 3, 1]], [[0, 0, 5], [7, 6, 7]]]));
  assert.deepEqual(nums(m.values), [2, 3, 0, 7]);
  assert.deepEqual(nums(m.indices), [2, 1, 1, 2]);
});

test("mode: a longer run after a shorter one wins (torch.mode([1, 2, 2, 3, 3, 3]) is 3 at index 5)", () => {
  const m = dt.mode(dt.tensor([1, 2, 2, 3, 3, 3]));
  assert.equal(m.values.item(), 3);
  assert.equal(Number(m.indices.item()), 5);
});

test("kthvalue with keepdim keeps the dim (torch.kthvalue(x, 2, 1, True))", () => {
  const r = dt.kthvalue(dt.tensor([[1, 5, 3], [4, 2, 6]]), 2, 1, true);
  assert.deepEqual([...r.values.shape], [2, 1]);
  assert.deepEqual([...r.indices.shape], [2, 1]);
  assert.deepEqual(nums(r.values), [3, 4]);
  assert.deepEqual(nums(r.indices), [2, 0]);
  const r0 = dt.kthvalue(dt.tensor([[1, 5, 3], [4, 2, 6]]), 2, 0);
  assert.deepEqual([...r0.values.shape], [3]);
  assert.deepEqual(nums(r0.values), [4, 5, 6]);
});

test("unique: the inverse has the input's shape, and counts only when asked", () => {
  // torch.unique(torch.tensor([[1, 3, 1], [2, 3, 2]]), return_inverse=True): inverse [[0, 2, 0], [1, 2, 1]]
  const r = dt.unique(dt.tensor([[1, 3, 1], [2, 3, 2]]), { returnInverse: true });
  assert.equal(r.length, 2);
  assert.deepEqual([...r[1].shape], [2, 3]);
  assert.deepEqual(nums(r[1]), [0, 2, 0, 1, 2, 1]);
  assert.equal(dt.unique(dt.tensor([1, 3, 1]), { returnCounts: true }).length, 2);
});

test("searchsorted: side 'right', a number value, 2-D sequences, a sorter, and bucketize's default (left)", () => {
  const seq = dt.tensor([1, 2, 3, 3, 5]);
  // torch.searchsorted(seq, torch.tensor([3., 0, 6]), side="right") -> [4, 0, 5]
  assert.deepEqual(nums(dt.searchsorted(seq, dt.tensor([3, 0, 6]), { side: "right" })), [4, 0, 5]);
  assert.deepEqual(nums(dt.searchsorted(seq, dt.tensor([3, 0, 6]))), [2, 0, 5]);
  // torch.searchsorted(seq, 2.5) -> tensor(2), 0-d
  const n = dt.searchsorted(seq, 2.5);
  assert.deepEqual([...n.shape], []);
  assert.equal(Number(n.item()), 2);
  // torch.searchsorted([[1, 3, 5], [2, 4, 6]], [[3., 6], [4, 1]]) -> [[1, 3], [1, 0]] (4 in the first row would be 2)
  assert.deepEqual(nums(dt.searchsorted(dt.tensor([[1, 3, 5], [2, 4, 6]]), dt.tensor([[3, 6], [4, 1]]))), [1, 3, 1, 0]);
  // torch.searchsorted(us, [2.5, 5, 0], sorter=torch.argsort(us)) with us = [5, 1, 3, 2] -> [2, 3, 0]
  const us = dt.tensor([5, 1, 3, 2]);
  assert.deepEqual(nums(dt.searchsorted(us, dt.tensor([2.5, 5, 0]), { sorter: dt.argsort(us) })), [2, 3, 0]);
  // torch.bucketize(torch.tensor([1., 2, 2.5]), torch.tensor([1., 2, 3])) -> [0, 1, 2]
  assert.deepEqual(nums(dt.bucketize(dt.tensor([1, 2, 2.5]), dt.tensor([1, 2, 3]))), [0, 1, 2]);
  assert.deepEqual(nums(dt.bucketize(dt.tensor([1, 2, 2.5]), dt.tensor([1, 2, 3]), { right: true })), [1, 2, 2]);
});

test("searchsorted refuses leading dims that differ and a sorter of the wrong dtype, rank or shape (PyTorch too)", () => {
  throwsWith(() => dt.searchsorted(dt.ones([2, 3, 4]), dt.ones([2, 4, 2])),
    "searchsorted: the sequence [2,3,4] and values [2,4,2] must have the same leading dims (all but the last), or the sequence must be 1-D");
  throwsWith(() => dt.searchsorted(dt.ones([2, 3, 4]), dt.ones([3, 3, 2])),
    "searchsorted: the sequence [2,3,4] and values [3,3,2] must have the same leading dims (all but the last), or the sequence must be 1-D");
  const us = dt.tensor([5, 1, 3, 2]);
  const msg = (d: string) => `searchsorted: sorter must be an int64 (or int32) tensor of the sequence's shape [4], got ${d}`;
  throwsWith(() => dt.searchsorted(us, dt.tensor([1]), { sorter: dt.tensor([1, 3, 2, 0], { dtype: "float32" }) }), msg("float32 [4]"));
  throwsWith(() => dt.searchsorted(us, dt.tensor([1]), { sorter: dt.tensor([1, 3, 2], { dtype: "int64" }) }), msg("int64 [3]"));
  throwsWith(() => dt.searchsorted(us, dt.tensor([1]), { sorter: dt.tensor([[1, 3, 2, 0]], { dtype: "int64" }) }), msg("int64 [1,4]"));
  throwsWith(() => dt.searchsorted(dt.ones([2, 3]), dt.ones([2, 1]), { sorter: dt.zeros([2, 2], { dtype: "int64" }) }),
    "searchsorted: sorter must be an int64 (or int32) tensor of the sequence's shape [2,3], got int64 [2,2]");
  throwsWith(() => dt.searchsorted(dt.ones([2, 3]), dt.ones([2, 1]), { sorter: dt.zeros([2], { dtype: "int64" }) }),
    "searchsorted: sorter must be an int64 (or int32) tensor of the sequence's shape [2,3], got int64 [2]");
  // Values of another rank than a 2-D sequence (PyTorch: "... the first N-1 dimensions ... must match").
  throwsWith(() => dt.searchsorted(dt.ones([2, 3]), dt.ones([2])),
    "searchsorted: the sequence [2,3] and values [2] must have the same leading dims (all but the last), or the sequence must be 1-D");
});

test("topk's own default is largest (the module's function, below the entry layer)", async () => {
  const sort = await import("../src/ops/sort.js");
  assert.deepEqual(nums(sort.topk(dt.tensor([1, 5, 3]), 2).values), [5, 3]);
});
