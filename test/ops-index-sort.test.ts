// Advanced indexing, index assignment, sorting and selection: calling forms (named tuples, options),
// autograd through in-place index writes, and the errors bad calls throw (op, values, fix).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  tensor, zeros, arange, randn, get, noGrad, sort, topk, kthvalue, median, unique, searchsorted, bincount, aminmax, cummax,
  maskedScatter, take, takeAlongDim, indexCopy, where,
} from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const int = (v: number[] | number[][]) => tensor(v, { dtype: "int32" });


test("get: advanced indices follow PyTorch's placement rules (int as basic, adjacent vs separated tensors, null)", () => {
  const x = arange(24).reshape([2, 3, 4]);
  assert.deepEqual(x.get(0, ":", [0, 1]).shape, [3, 2]);
  assert.deepEqual(x.get([0, 1], ":", [0, 1]).shape, [2, 3]);
  assert.deepEqual(x.get(":", int([[0], [1]]), [0, 1]).shape, [2, 2, 2]);
  assert.deepEqual(x.get(null, [0, 1], null).shape, [1, 2, 1, 3, 4]);
  assert.deepEqual(get(x, "...", [3, -1]).tolist(), x.get(":", ":", [3, 3]).tolist());
  assert.deepEqual(x.get(x.gt(20)).tolist(), [21, 22, 23]);
  assert.deepEqual(x.get(tensor(true)).shape, [1, 2, 3, 4]);
  assert.deepEqual(x.get(tensor(false)).shape, [0, 2, 3, 4]);
  // A mask over every dim beside a new axis: NumPy's shapes (PyTorch 1.13 raises here, see the docs).
  const y = arange(6).reshape([2, 3]);
  assert.deepEqual(y.get(y.gt(2), null).tolist(), [[3], [4], [5]]);
  assert.deepEqual(y.get(null, y.gt(2)).tolist(), [[3, 4, 5]]);
});

test("set: x[...] = v writes in place, through views, with gradients to x and v like index_put_", () => {
  const z = arange(6).reshape([2, 3]);
  z.set(z.gt(2), 0);
  assert.deepEqual(z.tolist(), [[0, 1, 2], [0, 0, 0]]);
  assert.equal(z.set(":", [0, 2], tensor([7, 8])), z, "returns the tensor itself");
  assert.deepEqual(z.tolist(), [[7, 1, 8], [7, 0, 8]]);
  const w = randn([3, 4], { requiresGrad: true });
  const v = randn([2], { requiresGrad: true });
  const y = w.mul(1);
  y.set(1, [0, 3], v);
  y.mul(tensor([1, 2, 3, 4])).sum().backward();
  assert.deepEqual(w.grad!.tolist(), [[1, 2, 3, 4], [0, 2, 3, 0], [1, 2, 3, 4]]);
  assert.deepEqual(v.grad!.tolist(), [1, 4]);
  const acc = zeros([2, 3]);
  acc.scatter_(1, int([[0, 0], [2, 1]]), 1.5, { reduce: "add" });
  assert.deepEqual(acc.tolist(), [[3, 0, 0], [0, 1.5, 1.5]]);
  throwsWith(() => acc.scatter_(1, int([[0]]), 2, { reduce: "multiply" }), 'scatter_: reduce "multiply" is not supported; use reduce "add" (or scatterAdd_), or compute the product out of place');
  const leaf = randn([3], { requiresGrad: true });
  throwsWith(() => leaf.set(0, 1), /^set: a view of a leaf tensor that requires grad cannot be modified in place while gradients are recorded; wrap the update in noGrad/);
  noGrad(() => leaf.set(0, 1));
  assert.equal(leaf.get(0).item(), 1);
});

test("named tuples: fields by name and by position", () => {
  const x = tensor([[3, 1, 2], [0, 5, 4]]);
  const { values, indices } = x.topk(2);
  const [v2, i2] = topk(x, 2);
  assert.deepEqual(values.tolist(), v2.tolist());
  assert.deepEqual(indices.tolist(), [[0, 2], [1, 2]]);
  assert.deepEqual(i2.tolist(), indices.tolist());
  const { min, max } = aminmax(x);
  assert.deepEqual([min.item(), max.item()], [0, 5]);
  const [lo, hi] = x.aminmax({ dim: 1 });
  assert.deepEqual([lo.tolist(), hi.tolist()], [[1, 0], [3, 5]]);
  const [cv, ci] = cummax(tensor([1, 3, 3, 2]), 0);
  assert.deepEqual([cv.tolist(), ci.tolist()], [[1, 3, 3, 3], [0, 1, 2, 2]]);
  assert.deepEqual(sort(x, { descending: true }).values.tolist(), [[3, 2, 1], [5, 4, 0]]);
  assert.deepEqual(JSON.stringify(sort(tensor([2, 1])).map((t) => t.tolist())), "[[1,2],[1,0]]");
});

test("sort, median, unique: NaN sorts last, propagates through median, and each NaN stays unique", () => {
  const n = tensor([1, NaN, 0, 2]);
  assert.deepEqual(sort(n).indices.tolist(), [2, 0, 3, 1]);
  assert.deepEqual(sort(n, 0, true).indices.tolist(), [1, 3, 0, 2]);
  assert.ok(Number.isNaN(median(n).item()));
  assert.equal(median(n, 0).indices.item(), 1);
  assert.equal(unique(tensor([NaN, 1, NaN])).numel(), 3);
  const [u, inv, counts] = unique(int([3, 1, 2, 3, 1]), { returnInverse: true, returnCounts: true });
  assert.deepEqual([u.tolist(), inv.tolist(), counts.tolist()], [[1, 2, 3], [2, 0, 1, 2, 0], [2, 1, 2]]);
  assert.deepEqual(where(tensor([[0, 1], [1, 0]])).map((t) => t.tolist()), [[0, 1], [1, 0]]);
});

test("index and sort errors name the op, the values and the fix", () => {
  const x = zeros([2, 3]);
  throwsWith(() => x.get(int([0, 2])), "get: index 2 is out of bounds for dim 0 with size 2; indices must lie in [-2, 1]", RangeError);
  throwsWith(() => x.get(tensor([0, 1])), "get: tensors used as indices must be int64, int32 or bool, got float32 of shape [2]; convert with idx.long() (or compare to get a bool mask)");
  throwsWith(() => x.get(tensor([true, false, true])), "get: the bool mask of shape [3] does not match the indexed dims [2] (dims 0..0 of [2,3]); a mask must have exactly the shape of the dims it indexes");
  throwsWith(() => x.get(0, 0, 0), "get: too many indices (3) for a tensor of shape [2,3]");
  throwsWith(() => x.get("...", 0, "..."), 'get: an index can only have a single ellipsis ("..."), got 2');
  throwsWith(() => x.get(int([0, 1]), int([0, 1, 2])), "get: the index tensors' shapes [2], [3] cannot be broadcast together (sizes must match or be 1)");
  throwsWith(() => x.get([0.5]), "get: list indices must be integers or booleans, got 0.5; use a number per element (or a bool mask)");
  throwsWith(() => x.clone().set(int([0]), tensor([1, 2])), "set: shape mismatch: the value of shape [2] cannot be broadcast to the indexing result of shape [1,3]");
  throwsWith(() => x.clone().set(0, tensor([1, 2])), "set: shape mismatch: the value of shape [2] cannot be broadcast to the indexed shape [3]");
  throwsWith(() => maskedScatter(x, x.eq(0), zeros([4])), "maskedScatter: the mask selects 6 elements but source of shape [4] has only 4; give a source with at least as many elements");
  throwsWith(() => x.maskedSelect(x), "maskedSelect: mask must be a bool tensor, got float32 (compare first, e.g. x.gt(0))");
  throwsWith(() => take(x, int([6])), "take: index 6 is out of bounds for dim 0 with size 6; indices must lie in [-6, 5]", RangeError);
  throwsWith(() => takeAlongDim(x, int([0]), 0), "takeAlongDim: input [2,3] and indices [1] must have the same number of dims");
  throwsWith(() => indexCopy(x, 0, int([1]), zeros([2, 3])), "indexCopy: source has shape [2,3], expected [1,3] (x [2,3] with dim 0 of the index's length 1)");
  throwsWith(() => topk(x, 4), "topk: k (4) must be an integer in [0, 3], the size of dim -1 of [2,3]", RangeError);
  throwsWith(() => kthvalue(x, 0), "kthvalue: k (0) must be an integer in [1, 3], the size of dim -1 of [2,3]", RangeError);
  throwsWith(() => median(zeros([0], { dtype: "int64" })), "median: an empty int64 tensor (shape [0]) has no median; an empty float tensor gives NaN");
  throwsWith(() => sort(x, 2), "sort: dimension 2 is out of range for a tensor of 2 dimensions (expected a dim in [-2, 1])", RangeError);
  throwsWith(() => searchsorted(zeros([2, 3]), zeros([3, 1])), "searchsorted: the sequence [2,3] and values [3,1] must have the same leading dims (all but the last), or the sequence must be 1-D");
  throwsWith(() => bincount(int([1, -1])), "bincount: values must be non-negative, got -1", RangeError);
  throwsWith(() => bincount(x), "bincount: expects a 1-D integer tensor (int64, int32, ...), got float32 of shape [2,3]");
  throwsWith(() => x.histc(0), "histc: bins must be a positive integer, got 0");
  throwsWith(() => x.logcumsumexp(0) && int([1]).logcumsumexp(0), "logcumsumexp: expects a floating point tensor, got int32 (use x.float())");
});
