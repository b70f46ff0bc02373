/** median of empty tensors as PyTorch 1.13 (values from torch 1.13 in the comments). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { median, zeros, tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";

test("median: an empty float tensor gives NaN (0-d, its dtype), with a graph; integers refuse", () => {
  // torch.median(torch.empty(0)) = tensor(nan); torch.median(torch.empty(3, 0, dtype=torch.float64)) = tensor(nan, dtype=float64)
  const a = median(zeros([0]));
  assert.deepEqual([a.shape, a.dtype], [[], "float32"]);
  assert.ok(Number.isNaN(a.item()));
  const b = median(zeros([3, 0], { dtype: "float64" }));
  assert.deepEqual([b.shape, b.dtype], [[], "float64"]);
  assert.ok(Number.isNaN(b.item()));
  assert.ok(Number.isNaN(zeros([0, 2]).median().item()));
  // torch.median(torch.empty(0, requires_grad=True)).backward() leaves grad = tensor([])
  const x = zeros([0], { requiresGrad: true });
  const m = median(x);
  assert.equal(m.requiresGrad, true);
  m.backward();
  assert.deepEqual(x.grad!.shape, [0]);
  // PyTorch returns int64's minimum here (no NaN to give): refused instead.
  throwsWith(() => median(zeros([0], { dtype: "int64" })), "median: an empty int64 tensor (shape [0]) has no median; an empty float tensor gives NaN");
  throwsWith(() => median(zeros([2, 0], { dtype: "int32" })), "median: an empty int32 tensor (shape [2,0]) has no median; an empty float tensor gives NaN");
  // non-empty inputs are unchanged: the lower median
  assert.equal(median(tensor([3, 1, 2, 4])).item(), 2);
});

test("median(dim): an empty reduced dim throws as PyTorch; other dims empty give empty results", () => {
  // torch.median(torch.empty(2, 0), 1): "median(): Expected reduction dim 1 to have non-zero size."
  throwsWith(() => median(zeros([2, 0]), 1), "median: dim 1 of [2,0] is empty; there is no median");
  throwsWith(() => median(zeros([0]), 0), "median: dim 0 of [0] is empty; there is no median");
  // torch.median(torch.empty(2, 0), 0) = (values=tensor([]), indices=tensor([], dtype=int64))
  const { values, indices } = median(zeros([2, 0]), 0);
  assert.deepEqual([values.shape, values.dtype, indices.shape, indices.dtype], [[0], "float32", [0], "int64"]);
  const k = median(zeros([2, 0]), 0, true);
  assert.deepEqual([k.values.shape, k.indices.shape], [[1, 0], [1, 0]]);
});
