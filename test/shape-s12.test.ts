// Session 12 (helper fixes): roll and repeatInterleave refuse any dim of a 0-d tensor, as PyTorch 1.13
// (torch.roll(torch.tensor(3.), 1, 0) and torch.repeat_interleave(torch.tensor(3.), 2, 0) raise
// IndexError "Dimension specified as 0 but tensor has no dimensions"), while their dim-less forms still
// take one. Expected values are PyTorch's, from the torch call in the comment beside each.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { throwsWith } from "./throws-with.js";

test("roll and repeatInterleave: a 0-d tensor takes no dim, with a message naming the op", () => {
  const x = dt.tensor(3);
  const roll = (d: number): string => `roll: dim ${d} was given but the tensor is 0-d and has no dims (PyTorch raises too); leave out dims to roll its one element, or reshape it to [1]`;
  const rep = (d: number): string => `repeatInterleave: dim ${d} was given but the tensor is 0-d and has no dims (PyTorch raises too); leave out dim to repeat its one element, or reshape it to [1]`;
  throwsWith(() => dt.roll(x, 1, 0), roll(0), RangeError); // torch.roll(x, 1, 0)
  throwsWith(() => dt.roll(x, 0, 0), roll(0), RangeError); // torch.roll(x, 0, 0)
  throwsWith(() => dt.roll(x, [1], [-1]), roll(-1), RangeError); // torch.roll(x, (1,), (-1,))
  throwsWith(() => x.roll(1, 0), roll(0), RangeError);
  throwsWith(() => dt.repeatInterleave(x, 2, 0), rep(0), RangeError); // torch.repeat_interleave(x, 2, 0)
  throwsWith(() => dt.repeatInterleave(x, dt.tensor([2], { dtype: "int64" }), -1), rep(-1), RangeError);
  throwsWith(() => x.repeatInterleave(2, 0), rep(0), RangeError); // x.repeat_interleave(2, 0)
  // A dim out of even the scalar range keeps the usual message.
  throwsWith(() => dt.roll(x, 1, 1), "roll: dimension 1 is out of range for a tensor of 0 dimensions (expected a dim in [-1, 0])", RangeError);
});

test("roll and repeatInterleave without a dim still take a 0-d tensor; with dims the results are unchanged", () => {
  const x = dt.tensor(3);
  const r = dt.roll(x, 2); // torch.roll(torch.tensor(3.), 2) = tensor(3.)
  assert.deepEqual(r.shape, []);
  assert.equal(r.item(), 3);
  assert.deepEqual(dt.repeatInterleave(x, 2).tolist(), [3, 3]); // torch.repeat_interleave(x, 2)
  assert.deepEqual(dt.repeatInterleave(x, dt.tensor([3], { dtype: "int64" })).tolist(), [3, 3, 3]); // torch.repeat_interleave(x, torch.tensor([3]))
  // torch.roll(torch.arange(6).reshape(2,3), 1, -1)
  assert.deepEqual(dt.roll(dt.arange(6).reshape([2, 3]), 1, -1).tolist(), [[2, 0, 1], [5, 3, 4]]);
  // torch.repeat_interleave(torch.tensor([[1,2]]), torch.tensor([1,2]), -1)
  assert.deepEqual(dt.repeatInterleave(dt.tensor([[1, 2]]), dt.tensor([1, 2], { dtype: "int64" }), -1).tolist(), [[1, 2, 2]]);
});

test("narrow, select, split and takeAlongDim with a dim refuse a 0-d tensor, as PyTorch", () => {
  const x = dt.tensor(3);
  // torch.narrow(torch.tensor(3.), 0, 0, 1): "narrow() cannot be applied to a 0-dim tensor."
  throwsWith(() => dt.narrow(x, 0, 0, 1), "narrow: cannot be applied to a 0-d tensor (PyTorch refuses too); reshape it to [1] first");
  // torch.select(torch.tensor(3.), 0, 0): IndexError "select() cannot be applied to a 0-dim tensor."
  throwsWith(() => dt.select(x, 0, 0), "select: cannot be applied to a 0-d tensor (PyTorch refuses too); use item() for its value", RangeError);
  // torch.split(torch.tensor(3.), 1): "split expects at least a 1-dimensional tensor"
  throwsWith(() => dt.split(x, 1), "split: expects a tensor of at least 1 dim, got a 0-d tensor (as PyTorch); reshape it to [1] first");
  // torch.take_along_dim(torch.tensor(3.), torch.tensor(0), 0): IndexError "Dimension specified as 0 but tensor has no dimensions"
  const i0 = dt.tensor(0, { dtype: "int64" });
  throwsWith(() => dt.takeAlongDim(x, i0, 0), "takeAlongDim: dim 0 was given but the tensor is 0-d and has no dims (PyTorch raises too); leave out dim, or reshape it to [1]", RangeError);
  // torch.take_along_dim(torch.tensor(3.), torch.tensor(0)) = tensor([3.])
  assert.deepEqual(dt.takeAlongDim(x, i0).tolist(), [3]);
  // torch.chunk(torch.tensor(3.), 1) raises too (unchanged).
  assert.throws(() => dt.chunk(x, 1));
});
