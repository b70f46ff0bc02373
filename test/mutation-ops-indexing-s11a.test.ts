// Tests written for the survivors of `npm run mutate -- src/ops/indexing.ts` (session 11, helper opsa;
// docs/mutation/session-11-opsa.md): the index checks of gather/scatter/indexSelect/indexAdd, their
// 0-d forms, scatter's gradient for a src larger than the index, oneHot's class count and tril/triu.
// Values and refusals are PyTorch 1.13's (torch.gather, scatter, index_add, F.one_hot, tril); the
// messages are deeptype's own, asserted whole.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { gather, indexAdd, indexSelect, oneHot, scatter, scatterAdd, tril, triu } from "../src/ops/indexing.js";
import { throwsWith } from "./throws-with.js";

const long = (v: unknown): dt.Tensor => dt.tensor(v as number[], { dtype: "int64" });
const range0 = (op: string, dim: number): string =>
  `${op}: dimension ${dim} is out of range for a tensor of 0 dimensions (expected a dim in [-1, 0])`;

test("index checks: dtype, bounds (both ends) and sizes, each message naming its op", () => {
  const x = dt.arange(12).reshape([3, 4]).float();
  throwsWith(() => gather(x, 1, dt.tensor([[0]])), "gather: index must be an int64 (or int32) tensor, got float32 (use idx.long())");
  throwsWith(() => indexSelect(x, 0, dt.tensor([0], { dtype: "int16" })), "indexSelect: index must be an int64 (or int32) tensor, got int16 (use idx.long())");
  throwsWith(() => gather(x, 1, long([[0, 4]])), "gather: index 4 is out of range for dim 1 of size 4", RangeError);
  throwsWith(() => gather(x, 1, long([[-1, 0]])), "gather: index -1 is out of range for dim 1 of size 4", RangeError);
  throwsWith(() => scatterAdd(x, 0, long([[3]]), dt.ones([1, 1])), "scatterAdd: index 3 is out of range for dim 0 of size 3", RangeError);
  throwsWith(() => scatter(x, -1, long([[5]]), 1), "scatter: index 5 is out of range for dim 1 of size 4", RangeError);
  throwsWith(() => indexSelect(x, 1, long([4])), "indexSelect: index 4 is out of range for dim 1 of size 4", RangeError);
  throwsWith(() => indexAdd(x, 0, long([1, 3]), dt.ones([2, 4])), "indexAdd: index 3 is out of range for dim 0 of size 3", RangeError);
  // The last valid positions are taken: torch.gather(x, 1, [[0, 3]]) = [[0, 3]].
  assert.deepEqual(gather(x, 1, long([[0, 3]])).tolist(), [[0, 3]]);
  assert.deepEqual(indexSelect(x, 0, long([2, 0])).tolist(), [[8, 9, 10, 11], [0, 1, 2, 3]]);
  // Sizes: the index may be larger than the input along the dim only (torch: "Expected index [...] to be smaller ...").
  throwsWith(() => gather(x, 1, long([[0], [0], [0], [0]])), "gather: index [4,1] is larger than the input [3,4] in dim 0");
  throwsWith(() => gather(x, 1, long([0])), "gather: index [1] must have as many dims as the input [3,4]");
  assert.deepEqual(gather(x, 1, long([[0, 1, 2, 3, 0]])).tolist(), [[0, 1, 2, 3, 0]]);
  assert.deepEqual(gather(x, 0, long([[0], [1], [2], [0]])).tolist(), [[0], [4], [8], [0]]);
  throwsWith(() => scatter(x, 1, long([[0, 1]]), dt.ones([1, 1])), "scatter: index [1,2] is larger than src [1,1] in dim 1");
  throwsWith(() => scatterAdd(x, 0, long([[0, 1]]), dt.ones([2, 1])), "scatterAdd: index [1,2] is larger than src [2,1] in dim 1");
  throwsWith(() => scatterAdd(x, 0, long([[0], [1]]), dt.ones([1, 1])), "scatterAdd: index [2,1] is larger than src [1,1] in dim 0");
  throwsWith(() => scatterAdd(x, 0, long([[0]]), dt.ones([1, 1], { dtype: "float64" })), 'scatterAdd: src is float64 but the input is float32; they must match (convert with src.to("float32"))');
  throwsWith(() => scatter(x, 0, long([[0]]), dt.ones([1, 1], { dtype: "float64" })), 'scatter: src is float64 but the input is float32; they must match (convert with src.to("float32"))');
  // indexAdd's src has the index's length along dim and slices that broadcast to x's (torch: "Number of
  // indices (1) should be equal to source.size(dim)", "The size of tensor a (4) must match ..."; session 12).
  throwsWith(() => indexAdd(x, 0, long([1]), dt.ones([1, 3])), "indexAdd: the source [1,3] does not fit the input [3,4]: its slices along dim 0 ([3]) must broadcast to the input's ([4]); give the source shape [1,4]");
  throwsWith(() => indexAdd(x, 0, long([1]), dt.ones([4])), "indexAdd: the index has 1 element but the source [4] has size 4 along dim 0; they must be equal");
  throwsWith(() => indexAdd(x, 1, long([1, 2]), dt.ones([2, 2])), "indexAdd: the source [2,2] does not fit the input [3,4]: its slices along dim 1 ([2]) must broadcast to the input's ([3]); give the source shape [3,2]");
  throwsWith(() => indexAdd(x, 0, long([[1]]), dt.ones([1, 4])), "indexAdd: index must be 1-D, got [1,1]");
  throwsWith(() => indexSelect(x, 0, long([[1]])), "indexSelect: index must be 1-D, got [1,1]");
  throwsWith(() => indexSelect(x, 2, long([1])), "indexSelect: dimension 2 is out of range for a tensor of 2 dimensions (expected a dim in [-2, 1])", RangeError);
  throwsWith(() => indexAdd(x, -3, long([1]), dt.ones([1, 4])), "indexAdd: dimension -3 is out of range for a tensor of 2 dimensions (expected a dim in [-2, 1])", RangeError);
  // torch.index_add(ones(3, 4), 1, [1, 2], ones(3, 2)): the accepted neighbour.
  assert.deepEqual(indexAdd(dt.ones([3, 4]), 1, long([1, 1]), dt.ones([3, 2])).tolist(), [[1, 3, 1, 1], [1, 3, 1, 1], [1, 3, 1, 1]]);
});

test("0-d inputs and 0-d indices are taken as one-element 1-D tensors (torch)", () => {
  const s = dt.tensor(5);
  // torch.gather(tensor(5.), 0, tensor(0)) = tensor(5.); with [0] -> [5.]; with [0, 0] -> [5., 5.].
  const g0 = gather(s, 0, long(0));
  assert.deepEqual([...g0.shape], []);
  assert.equal(g0.item(), 5);
  assert.deepEqual(gather(s, -1, long([0])).tolist(), [5]);
  assert.deepEqual(gather(s, 0, long([0, 0])).tolist(), [5, 5]);
  throwsWith(() => gather(s, 1, long(0)), range0("gather", 1), RangeError);
  // scatter_add(tensor(5.), 0, tensor(0), tensor(2.)) = 7; scatter = 2 (or the number 7 as value).
  const a = scatterAdd(s, 0, long(0), dt.tensor(2));
  assert.deepEqual([...a.shape], []);
  assert.equal(a.item(), 7);
  throwsWith(() => scatterAdd(s, 1, long(0), dt.tensor(2)), range0("scatterAdd", 1), RangeError);
  const b = scatter(s, 0, long(0), dt.tensor(2));
  assert.deepEqual([...b.shape], []);
  assert.equal(b.item(), 2);
  assert.equal(scatter(s, 0, long(0), 7).item(), 7);
  throwsWith(() => scatter(s, -2, long(0), 7), range0("scatter", -2), RangeError);
  // index_select / index_add of a 0-d input.
  assert.equal(indexSelect(s, 0, long([0])).item(), 5);
  assert.deepEqual([...indexSelect(s, 0, long([0])).shape], []);
  throwsWith(() => indexSelect(s, 1, long([0])), range0("indexSelect", 1), RangeError);
  const c = indexAdd(s, 0, long(0), dt.tensor(2));
  assert.deepEqual([...c.shape], []);
  assert.equal(c.item(), 7);
  throwsWith(() => indexAdd(s, 1, long(0), dt.tensor(2)), range0("indexAdd", 1), RangeError);
  // An index past a 0-d input's one element (torch: "index 1 is out of bounds for dimension 0 with size 1").
  throwsWith(() => scatterAdd(s, 0, long(1), dt.tensor(2)), "scatterAdd: index 1 is out of range for dim 0 of size 1", RangeError);
  throwsWith(() => scatter(s, 0, long(1), dt.tensor(2)), "scatter: index 1 is out of range for dim 0 of size 1", RangeError);
  throwsWith(() => scatter(s, 0, long(-1), 3), "scatter: index -1 is out of range for dim 0 of size 1", RangeError);
  throwsWith(() => indexAdd(s, 0, long(1), dt.tensor(2)), "indexAdd: index 1 is out of range for dim 0 of size 1", RangeError);
  // A 0-d index of a 2-D input: torch.index_select(x, 0, tensor(1)) = [[3, 4]]; index_add likewise.
  const x = dt.tensor([[1, 2], [3, 4]]);
  assert.deepEqual(indexSelect(x, 0, long(1)).tolist(), [[3, 4]]);
  assert.deepEqual(indexAdd(dt.ones([2, 2]), 0, long(1), dt.tensor([[10, 20]])).tolist(), [[1, 1], [11, 21]]);
  assert.deepEqual(indexAdd(dt.tensor([1, 2, 3]), 0, long(2), dt.tensor([10])).tolist(), [1, 2, 13]);
});

test("scatter's and scatterAdd's src gradient when src is larger than the index: the index's block, zeros elsewhere", () => {
  // Forward as torch.scatter(arange(12).reshape(3, 4), 1, [[3, 0]], arange(1, 7).reshape(2, 3)):
  // [[2, 1, 2, 1], [4, 5, 6, 7], [8, 9, 10, 11]]. PyTorch 1.13's backward fails there ("returned an
  // invalid gradient at index 1 - got [1, 2] but expected shape ..."); deeptype pads the gathered
  // gradient with zeros to src's shape: d(sum(out * w))/d src[i][j] = w at the element it was written to.
  const w = dt.arange(12).reshape([3, 4]).float();
  for (const [op, expected] of [[scatter, [[2, 1, 2, 1], [4, 5, 6, 7], [8, 9, 10, 11]]], [scatterAdd, [[2, 1, 2, 4], [4, 5, 6, 7], [8, 9, 10, 11]]]] as const) {
    const src = dt.arange(1, 7).reshape([2, 3]).float().requiresGrad_();
    const out = op(dt.arange(12).reshape([3, 4]).float(), 1, long([[3, 0]]), src);
    assert.deepEqual(out.tolist(), expected);
    out.mul(w).sum().backward();
    assert.deepEqual(src.grad!.tolist(), [[3, 0, 0], [0, 0, 0]], op.name);
  }
  // Larger in the dim scattered along and the other one, along dim 0: index [2, 1] into a [3, 3] src.
  const src = dt.arange(9).reshape([3, 3]).float().requiresGrad_();
  const out = scatterAdd(dt.zeros([3, 2]), 0, long([[2], [0]]), src);
  assert.deepEqual(out.tolist(), [[3, 0], [0, 0], [0, 0]]);
  out.mul(dt.tensor([[1, 2], [3, 4], [5, 6]])).sum().backward();
  assert.deepEqual(src.grad!.tolist(), [[5, 0, 0], [1, 0, 0], [0, 0, 0]]);
});

test("oneHot infers the class count from the largest label, refuses empty or out-of-range labels (F.one_hot)", () => {
  // F.one_hot([1, 3]) = [[0, 1, 0, 0], [0, 0, 0, 1]]; 2-D labels add a last dim.
  const a = oneHot(long([1, 3]));
  assert.equal(a.dtype, "int64");
  assert.deepEqual(a.tolist(), [[0, 1, 0, 0], [0, 0, 0, 1]]);
  assert.deepEqual(oneHot(long([[0, 2], [1, 0]])).tolist(), [[[1, 0, 0], [0, 0, 1]], [[0, 1, 0], [1, 0, 0]]]);
  assert.deepEqual(oneHot(dt.tensor([2, 0], { dtype: "int32" }), 4).tolist(), [[0, 0, 1, 0], [1, 0, 0, 0]]);
  // Empty labels: refused without a count (torch: "Can not infer total number of classes from empty tensor."), else [0, n].
  throwsWith(() => oneHot(long([])), "oneHot: cannot infer the number of classes from an empty tensor [0]; give numClasses");
  assert.deepEqual([...oneHot(long([]), 3).shape], [0, 3]);
  assert.deepEqual([...oneHot(long([]), 0).shape], [0, 0]);
  // Out of range (torch: "Class values must be smaller than num_classes." / "must be non-negative.").
  throwsWith(() => oneHot(long([0, 5]), 3), "oneHot: index 5 is out of range for dim -1 of size 3", RangeError);
  throwsWith(() => oneHot(long([0]), 0), "oneHot: index 0 is out of range for dim -1 of size 0", RangeError);
  throwsWith(() => oneHot(long([-1])), "oneHot: index -1 is out of range for dim -1 of size 0", RangeError);
  throwsWith(() => oneHot(long([-2, 1])), "oneHot: index -2 is out of range for dim -1 of size 2", RangeError);
  throwsWith(() => oneHot(dt.tensor([1])), "oneHot: labels must be int64 (or int32), got float32 (use labels.long())");
});

test("tril and triu: at least 2 dims, an integer diagonal (torch.tril/triu)", () => {
  const x = dt.arange(1, 10).reshape([3, 3]);
  assert.deepEqual(tril(x, -1).tolist(), [[0, 0, 0], [4, 0, 0], [7, 8, 0]]);
  assert.deepEqual(triu(x, 1).tolist(), [[0, 2, 3], [0, 0, 6], [0, 0, 0]]);
  throwsWith(() => tril(dt.ones([3])), "tril: expects at least 2 dims, got [3]");
  throwsWith(() => triu(dt.ones([3])), "triu: expects at least 2 dims, got [3]");
  throwsWith(() => tril(x, 1.5), "tril: diagonal must be an integer, got number 1.5");
  throwsWith(() => triu(x, 0.5), "triu: diagonal must be an integer, got number 0.5");
});
