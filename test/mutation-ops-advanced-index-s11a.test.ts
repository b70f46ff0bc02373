// Tests written for the survivors of `npm run mutate -- src/ops/advanced-index.ts:273-481` (session 11,
// helper opsa; docs/mutation/session-11-opsa.md): set's values and names, indexPut/indexCopy/
// indexFill/maskedScatter/maskedSelect/take/takeAlongDim checks, their 0-d and broadcast forms, and
// the in-place method forms' names. Values and refusals are PyTorch 1.13's; the messages are
// deeptype's own, asserted whole.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import {
  indexCopy, indexFill, indexPut, maskedScatter, maskedSelect, nonzero, set, take, takeAlongDim, where,
} from "../src/ops/advanced-index.js";
import { throwsWith } from "./throws-with.js";

const long = (v: unknown): dt.Tensor => dt.tensor(v as number[], { dtype: "int64" });
const bool = (v: unknown): dt.Tensor => dt.tensor(v as number[], { dtype: "bool" });
const leaf = (op: string): string =>
  `${op}: a leaf tensor that requires grad cannot be modified in place while gradients are recorded; wrap the update in noGrad(() => ...) as optimizers do, or use the out-of-place ${op.replace(/_$/, "")}`;

test("set: a boolean value, its op name in index and leaf errors (x[i] = True)", () => {
  // y = tensor([1., 2., 3.]); y[1] = True -> [1., 1., 3.]; a bool tensor takes True at an index tensor.
  const y = dt.tensor([1, 2, 3]);
  set(y, 1, true);
  assert.deepEqual(y.tolist(), [1, 1, 3]);
  const b = bool([true, false]);
  set(b, long([1]), true);
  assert.deepEqual(b.tolist(), [true, true]);
  throwsWith(() => set(dt.ones([2, 3]), "...", 0, "...", 1), 'set: an index can only have a single ellipsis ("..."), got 2');
  throwsWith(() => set(dt.zeros([3], { requiresGrad: true }), long([0]), 1), leaf("set"));
  throwsWith(() => set(dt.zeros([3], { requiresGrad: true }), 0, 1), leaf("set").replace("a leaf tensor", "a view of a leaf tensor"));
});

test("indexPut: indices as an array, null for a full slice, overwrite unless accumulating (torch.index_put)", () => {
  const x = dt.tensor([1, 2, 3]);
  throwsWith(() => indexPut(x, long([0]) as never, dt.tensor(1)), "indexPut: indices must be an array of tensors (one per leading dim, null for a full slice), got object");
  throwsWith(() => indexPut(x, [long([5])], dt.tensor(1)), "indexPut: index 5 is out of bounds for dim 0 with size 3; indices must lie in [-3, 2]", RangeError);
  // torch.index_put(x, ([1],), 5.) = [1., 5., 3.] (not 7: no accumulation by default).
  assert.deepEqual(indexPut(x, [long([1])], dt.tensor(5)).tolist(), [1, 5, 3]);
  assert.deepEqual(indexPut(x, [long([1])], dt.tensor(5), true).tolist(), [1, 7, 3]);
  // x2[:, [0, 2]] = 9: [[9, 1, 9], [9, 4, 9]].
  const x2 = dt.arange(6).reshape([2, 3]).float();
  assert.deepEqual(indexPut(x2, [null, long([0, 2])], dt.tensor(9)).tolist(), [[9, 1, 9], [9, 4, 9]]);
  assert.deepEqual(indexPut(x2, [long([1]), null], dt.tensor(9)).tolist(), [[0, 1, 2], [9, 9, 9]]);
  // deeptype's null is a full slice, so it counts as an indexed dim (PyTorch 1.13's index_put takes no None at all).
  throwsWith(() => indexPut(x, [long([0]), null], dt.tensor(9)), "indexPut: too many indices (2) for a tensor of shape [3]");
});

test("indexCopy and indexFill: index dtype, dim, bounds and source shape checks; 0-d input (torch)", () => {
  const x = dt.tensor([1, 2, 3]);
  const x2 = dt.zeros([2, 3]);
  throwsWith(() => indexCopy(x, 0, dt.tensor([0]), dt.tensor([1])), "indexCopy: index must be an int64 (or int32) tensor, got float32 (use idx.long())");
  throwsWith(() => indexFill(x, 0, dt.tensor([0]), 1), "indexFill: index must be an int64 (or int32) tensor, got float32 (use idx.long())");
  throwsWith(() => indexCopy(x, 5, long([0]), dt.tensor([1])), "indexCopy: dimension 5 is out of range for a tensor of 1 dimension (expected a dim in [-1, 0])", RangeError);
  throwsWith(() => indexFill(x, 3, long([0]), 1), "indexFill: dimension 3 is out of range for a tensor of 1 dimension (expected a dim in [-1, 0])", RangeError);
  throwsWith(() => indexCopy(x, 0, long([3]), dt.tensor([1])), "indexCopy: index 3 is out of bounds for dim 0 with size 3; indices must lie in [-3, 2]", RangeError);
  // torch: "Number of indices (1) should be equal to source.size(dim) (2)".
  throwsWith(() => indexCopy(x2, 1, long([0]), dt.ones([2, 2])), "indexCopy: source has shape [2,2], expected [2,1] (x [2,3] with dim 1 of the index's length 1)");
  throwsWith(() => indexCopy(x2, 1, long([0]), dt.ones([2])), "indexCopy: source has shape [2], expected [2,1] (x [2,3] with dim 1 of the index's length 1)");
  // zeros(2, 3).index_copy(1, [2, 0], ones(2, 2)) = [[1, 0, 1], [1, 0, 1]].
  assert.deepEqual(indexCopy(x2, 1, long([2, 0]), dt.ones([2, 2])).tolist(), [[1, 0, 1], [1, 0, 1]]);
  // tensor(5.).index_fill(0, tensor(0), 7.) = tensor(7.) (also with [0]).
  for (const idx of [long(0), long([0])]) {
    const f = indexFill(dt.tensor(5), 0, idx, 7);
    assert.deepEqual([...f.shape], []);
    assert.equal(f.item(), 7);
  }
});

test("maskedScatter broadcasts x up to the mask; the in-place form keeps x's shape; maskedSelect's shapes (torch)", () => {
  const x = dt.tensor([1, 2, 3]);
  const m = bool([[true, false, true], [false, true, false]]);
  // x.masked_scatter(m, [10, 20, 30]) = [[10, 2, 20], [1, 30, 3]].
  assert.deepEqual(maskedScatter(x, m, dt.tensor([10, 20, 30])).tolist(), [[10, 2, 20], [1, 30, 3]]);
  assert.deepEqual(maskedScatter(x, bool([true, false, true]), dt.tensor([10, 20])).tolist(), [10, 2, 20]);
  // Same rank, x smaller in some or all dims: [[10, 2, 20], [1, 30, 3]] and [[10, 7], [7, 20]].
  assert.deepEqual(maskedScatter(dt.tensor([[1, 2, 3]]), m, dt.tensor([10, 20, 30])).tolist(), [[10, 2, 20], [1, 30, 3]]);
  assert.deepEqual(maskedScatter(dt.tensor([[7]]), bool([[true, false], [false, true]]), dt.tensor([10, 20])).tolist(), [[10, 7], [7, 20]]);
  // masked_scatter_ cannot grow x (torch: "expand(... size=[3]) ...").
  throwsWith(() => x.clone().maskedScatter_(m, dt.tensor([10, 20, 30])), "maskedScatter_: the mask of shape [2,3] cannot be broadcast to the input's shape [3]");
  throwsWith(() => maskedScatter(x, dt.tensor([1, 0, 1]), dt.tensor([1, 2])), "maskedScatter: mask must be a bool tensor, got float32 (compare first, e.g. x.gt(0))");
  throwsWith(() => x.clone().maskedScatter_(dt.tensor([1, 0, 1]), dt.tensor([1, 2])), "maskedScatter_: mask must be a bool tensor, got float32 (compare first, e.g. x.gt(0))");
  // torch: "The size of tensor a (3) must match the size of tensor b (2) ...".
  throwsWith(() => maskedSelect(dt.tensor([1, 2]), bool([true, false, true])), "maskedSelect: shapes [2] and [3] cannot be broadcast: dimension -1 is 2 vs 3 (sizes must match or one of them must be 1)");
});

test("nonzero of a 0-d tensor, where with one value, take and takeAlongDim checks (torch)", () => {
  // torch.nonzero(tensor(5.), as_tuple=True) = (tensor([0]),); of tensor(0.): (tensor([]),); the [n, 0] form: [1, 0].
  const t = nonzero(dt.tensor(5), { asTuple: true });
  assert.equal(t.length, 1);
  assert.deepEqual(t[0].tolist(), [0]);
  assert.deepEqual(nonzero(dt.tensor(0), { asTuple: true })[0].tolist(), []);
  assert.deepEqual([...nonzero(dt.tensor(5)).shape], [1, 0]);
  throwsWith(() => (where as (...a: unknown[]) => unknown)(bool([true]), dt.tensor([1])), "where: give either only the condition (positions) or the condition and both values");
  throwsWith(() => (where as (...a: unknown[]) => unknown)(bool([true]), undefined, dt.tensor([1])), "where: give either only the condition (positions) or the condition and both values");
  const x2 = dt.arange(6).reshape([2, 3]).float();
  throwsWith(() => take(x2, dt.tensor([0])), "take: index must be an int64 (or int32) tensor, got float32 (use idx.long())");
  throwsWith(() => takeAlongDim(x2, dt.tensor([[0]]), 1), "takeAlongDim: indices must be an int64 (or int32) tensor, got float32 (use idx.long())");
  throwsWith(() => takeAlongDim(x2, long([[0]]), 2), "takeAlongDim: dimension 2 is out of range for a tensor of 2 dimensions (expected a dim in [-2, 1])", RangeError);
  // torch: "The size of tensor a (2) must match the size of tensor b (3) ...".
  throwsWith(() => takeAlongDim(x2, long([[0], [1], [0]]), 1), "takeAlongDim: shapes [2,1] and [3,1] cannot be broadcast: dimension -2 is 2 vs 3 (sizes must match or one of them must be 1)");
  assert.deepEqual(takeAlongDim(x2, long([[0], [1]]), 1).tolist(), [[0], [4]]);
});

test("the in-place method forms name themselves in their errors; indexAdd_ with and without alpha (torch)", () => {
  const w = (): dt.Tensor => dt.zeros([3], { requiresGrad: true });
  const i = long([0]);
  throwsWith(() => w().indexPut_([i], dt.tensor(1)), leaf("indexPut_"));
  throwsWith(() => w().indexCopy_(0, i, dt.tensor([1])), leaf("indexCopy_"));
  throwsWith(() => w().indexFill_(0, i, 1), leaf("indexFill_"));
  throwsWith(() => w().maskedScatter_(bool([true, false, true]), dt.tensor([1, 2])), leaf("maskedScatter_"));
  throwsWith(() => w().scatter_(0, i, dt.tensor([1])), leaf("scatter_"));
  throwsWith(() => w().scatter_(0, i, dt.tensor([1]), { reduce: "add" }), leaf("scatter_"));
  throwsWith(() => w().scatterAdd_(0, i, dt.tensor([1])), leaf("scatterAdd_"));
  throwsWith(() => w().indexAdd_(0, i, dt.tensor([1])), leaf("indexAdd_"));
  throwsWith(() => dt.tensor([1, 2, 3]).scatter_(0, i, dt.tensor([1]), { reduce: "multiply" }), 'scatter_: reduce "multiply" is not supported; use reduce "add" (or scatterAdd_), or compute the product out of place');
  // zeros(3).index_add_(0, [0, 2], [1., 2.]) = [1, 0, 2]; with alpha=3: [3, 0, 6].
  assert.deepEqual(dt.zeros([3]).indexAdd_(0, long([0, 2]), dt.tensor([1, 2])).tolist(), [1, 0, 2]);
  assert.deepEqual(dt.zeros([3]).indexAdd_(0, long([0, 2]), dt.tensor([1, 2]), { alpha: 3 }).tolist(), [3, 0, 6]);
  assert.deepEqual(dt.zeros([3]).indexAdd_(0, long([0, 2]), dt.tensor([1, 2]), { alpha: 1 }).tolist(), [1, 0, 2]);
  // scatter_ with reduce "add" and a number: every indexed position gains it.
  assert.deepEqual(dt.tensor([1, 2, 3]).scatter_(0, long([0, 0, 2]), 5, { reduce: "add" }).tolist(), [11, 2, 8]);
});
