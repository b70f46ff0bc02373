// src/tensor/shape.ts checked directly: strides, contiguity, dim normalisation and broadcasting,
// with the exact messages (the ops reach these through many layers; a mutant of a bound or a
// message survived there). Written for the survivors of `npm run mutate -- src/tensor`.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  broadcastShapes, checkReduceRank, checkShape, contiguousStrides, fmt, isContiguous, normalizeDim, normalizeDims, numel,
  reductionDims, sameShape,
} from "../src/tensor/shape.js";
import { throwsWith } from "./throws-with.js";

test("numel, contiguousStrides, isContiguous, fmt and sameShape", () => {
  assert.equal(numel([]), 1);
  assert.equal(numel([2, 3, 4]), 24);
  assert.equal(numel([2, 0, 4]), 0);
  assert.deepEqual(contiguousStrides([]), []);
  assert.deepEqual(contiguousStrides([2, 3, 4]), [12, 4, 1]);
  assert.deepEqual(contiguousStrides([5]), [1]);
  assert.equal(isContiguous([2, 3], [3, 1]), true);
  assert.equal(isContiguous([2, 3], [1, 2]), false); // a transpose
  assert.equal(isContiguous([3, 2], [2, 2]), false); // the last stride is wrong
  assert.equal(isContiguous([2, 3], [4, 1]), false); // a row stride with padding
  // Size-1 dims may have any stride (PyTorch too).
  assert.equal(isContiguous([2, 1, 3], [3, 99, 1]), true);
  assert.equal(isContiguous([1, 4], [7, 1]), true);
  assert.equal(isContiguous([], []), true);
  assert.equal(fmt([64, 784]), "[64,784]");
  assert.equal(fmt([]), "[]");
  assert.equal(sameShape([2, 3], [2, 3]), true);
  assert.equal(sameShape([2, 3], [3, 2]), false);
  assert.equal(sameShape([2, 3], [2, 3, 1]), false);
  assert.equal(sameShape([2, 3, 1], [2, 3]), false);
  assert.equal(sameShape([], []), true);
});

test("normalizeDim: negative dims, the range of each rank, the extra slot and the messages", () => {
  assert.equal(normalizeDim(-1, 3, "sum"), 2);
  assert.equal(normalizeDim(-3, 3, "sum"), 0);
  assert.equal(normalizeDim(2, 3, "sum"), 2);
  assert.equal(normalizeDim(0, 3, "sum"), 0);
  throwsWith(() => normalizeDim(3, 3, "sum"), "sum: dimension 3 is out of range for a tensor of 3 dimensions (expected a dim in [-3, 2])", RangeError);
  throwsWith(() => normalizeDim(-4, 3, "sum"), "sum: dimension -4 is out of range for a tensor of 3 dimensions (expected a dim in [-3, 2])", RangeError);
  throwsWith(() => normalizeDim(1, 1, "cumsum"), "cumsum: dimension 1 is out of range for a tensor of 1 dimension (expected a dim in [-1, 0])", RangeError);
  // A 0-d tensor takes dim 0 and -1, as PyTorch.
  assert.equal(normalizeDim(0, 0, "sum"), 0);
  assert.equal(normalizeDim(-1, 0, "sum"), 0);
  throwsWith(() => normalizeDim(1, 0, "sum"), "sum: dimension 1 is out of range for a tensor of 0 dimensions (expected a dim in [-1, 0])", RangeError);
  throwsWith(() => normalizeDim(-2, 0, "sum"), "sum: dimension -2 is out of range for a tensor of 0 dimensions (expected a dim in [-1, 0])", RangeError);
  // `extra`: unsqueeze's dim may be one past the last (ndim + 1 positions).
  assert.equal(normalizeDim(2, 2, "unsqueeze", 1), 2);
  assert.equal(normalizeDim(-1, 2, "unsqueeze", 1), 2);
  assert.equal(normalizeDim(-3, 2, "unsqueeze", 1), 0);
  throwsWith(() => normalizeDim(3, 2, "unsqueeze", 1), "unsqueeze: dimension 3 is out of range for a tensor of 2 dimensions (expected a dim in [-3, 2])", RangeError);
  throwsWith(() => normalizeDim(1.5, 2, "sum"), "sum: dim must be an integer, got number 1.5");
  throwsWith(() => normalizeDim("1" as never, 2, "sum"), 'sum: dim must be an integer, got string "1"');
});

test("normalizeDims: all dims by default, sorted, no repeats, and none for a 0-d tensor", () => {
  assert.deepEqual(normalizeDims(undefined, 3, "sum"), [0, 1, 2]);
  assert.deepEqual(normalizeDims(undefined, 0, "sum"), []);
  assert.deepEqual(normalizeDims(-1, 3, "sum"), [2]);
  assert.deepEqual(normalizeDims([2, 0], 3, "sum"), [0, 2]);
  assert.deepEqual(normalizeDims([-1, 0, 1], 3, "sum"), [0, 1, 2]);
  // Numeric order, not string order.
  assert.deepEqual(normalizeDims([10, 2], 11, "sum"), [2, 10]);
  assert.deepEqual(normalizeDims(0, 0, "sum"), []);
  assert.deepEqual(normalizeDims([-1], 0, "sum"), []);
  const dims = [1, 0];
  normalizeDims(dims, 2, "sum");
  assert.deepEqual(dims, [1, 0]); // the caller's array is not sorted in place
  throwsWith(() => normalizeDims([0, -2], 2, "sum"), "sum: dim [0,0] appears more than once");
  throwsWith(() => normalizeDims("0" as never, 2, "sum"), 'sum: dim must be an integer or an array of integers, got string "0"');
  throwsWith(() => normalizeDims(null as never, 2, "sum"), "sum: dim must be an integer or an array of integers, got null");
});

test("checkReduceRank and reductionDims: PyTorch's 64-dim limit applies only when dims are given", () => {
  checkReduceRank("amax", 64, 1);
  checkReduceRank("amax", 65, 65);
  const msg = "amax: only tensors with up to 64 dims can be reduced along a dim (PyTorch's limit too), got 65 dims; reshape to 64 dims or fewer first, or leave dim out to reduce over all of them";
  throwsWith(() => checkReduceRank("amax", 65, 64), msg);
  throwsWith(() => checkReduceRank("amax", 65, 1), msg);
  assert.equal(reductionDims(undefined, 65, "amax").length, 65);
  throwsWith(() => reductionDims(0, 65, "amax"), msg);
  assert.deepEqual(reductionDims(1, 3, "sum"), [1]);
  assert.deepEqual(reductionDims([2, 0], 64, "sum"), [0, 2]);
});

test("broadcastShapes: trailing alignment, ones stretch, and the failing dim in the message", () => {
  assert.deepEqual(broadcastShapes([2, 3], [3], "add"), [2, 3]);
  assert.deepEqual(broadcastShapes([3], [2, 3], "add"), [2, 3]);
  assert.deepEqual(broadcastShapes([2, 1], [1, 4], "add"), [2, 4]);
  assert.deepEqual(broadcastShapes([1, 4], [2, 1], "add"), [2, 4]);
  assert.deepEqual(broadcastShapes([], [2], "add"), [2]);
  assert.deepEqual(broadcastShapes([], [], "add"), []);
  assert.deepEqual(broadcastShapes([0], [1], "add"), [0]);
  assert.deepEqual(broadcastShapes([1], [0], "add"), [0]);
  assert.deepEqual(broadcastShapes([5, 1, 3], [4, 1], "mul"), [5, 4, 3]);
  throwsWith(() => broadcastShapes([2, 3], [4, 3], "add"), "add: shapes [2,3] and [4,3] cannot be broadcast: dimension -2 is 2 vs 4 (sizes must match or one of them must be 1)");
  throwsWith(() => broadcastShapes([3], [2, 4], "mul"), "mul: shapes [3] and [2,4] cannot be broadcast: dimension -1 is 3 vs 4 (sizes must match or one of them must be 1)");
  throwsWith(() => broadcastShapes([0], [2], "add"), "add: shapes [0] and [2] cannot be broadcast: dimension -1 is 0 vs 2 (sizes must match or one of them must be 1)");
});

test("checkShape: an array of non-negative integers, copied", () => {
  const s = [2, 0, 3];
  const out = checkShape(s, "zeros");
  assert.deepEqual(out, [2, 0, 3]);
  assert.notEqual(out, s);
  assert.deepEqual(checkShape([], "zeros"), []);
  throwsWith(() => checkShape([2, -1], "zeros"), "zeros: invalid shape [2,-1]: sizes must be non-negative integers");
  throwsWith(() => checkShape([2.5], "zeros"), "zeros: invalid shape [2.5]: sizes must be non-negative integers");
  throwsWith(() => checkShape(["2"] as never, "zeros"), "zeros: invalid shape [2]: sizes must be non-negative integers");
  throwsWith(() => checkShape("2,3" as never, "zeros"), 'zeros: shape must be an array of non-negative integers (or one integer), got string "2,3"');
});
