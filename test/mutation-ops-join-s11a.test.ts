// Tests written for the survivors of `npm run mutate -- src/ops/join.ts` (session 11, helper opsa;
// docs/mutation/session-11-opsa.md): cat's and stack's checks and legacy empty-tensor rule, and pad's
// crops, mode checks and edges. Values and refusals are PyTorch 1.13's (torch.cat, F.pad); the
// messages are deeptype's own, asserted whole.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { cat, flip, pad, repeat, stack } from "../src/ops/join.js";
import { throwsWith } from "./throws-with.js";

const range = (op: string, dim: number, ndim: number): string =>
  `${op}: dimension ${dim} is out of range for a tensor of ${ndim} dimension${ndim === 1 ? "" : "s"} (expected a dim in [${-Math.max(ndim, 1)}, ${Math.max(ndim, 1) - 1}])`;

test("cat and stack refuse an empty list, a non-tensor element, a bad dim and mismatched shapes", () => {
  throwsWith(() => cat([]), "cat: expected a non-empty list of tensors");
  throwsWith(() => stack([]), "stack: expected a non-empty list of tensors");
  const x = dt.ones([2, 3]);
  throwsWith(() => cat([x, null as never]), "cat: element 1 of the list is null, not a Tensor");
  throwsWith(() => cat([x, [1, 2] as never]), "cat: element 1 of the list is object, not a Tensor");
  throwsWith(() => cat([3 as never]), "cat: element 0 of the list is number, not a Tensor");
  throwsWith(() => cat([x], 2), range("cat", 2, 2), RangeError);
  throwsWith(() => stack([x], 3), `stack: dimension 3 is out of range for a tensor of 2 dimensions (expected a dim in [-3, 2])`, RangeError);
  throwsWith(() => flip(x, 2), range("flip", 2, 2), RangeError);
  // Shapes: another size outside the cat dim, or another rank (torch: "Tensors must have same number of dimensions").
  throwsWith(() => cat([x, dt.ones([3, 3])], 1), "cat: tensor 1 has shape [3,3], which does not match tensor 0's [2,3] outside dim 1");
  throwsWith(() => cat([x, dt.ones([3])], 0), "cat: tensor 1 has shape [3], which does not match tensor 0's [2,3] outside dim 0");
  throwsWith(() => cat([x, x, dt.ones([2, 3, 1])], -1), "cat: tensor 2 has shape [2,3,1], which does not match tensor 0's [2,3] outside dim -1");
  throwsWith(() => stack([x, x, dt.ones([3, 2])]), "stack: tensor 2 has shape [3,2] but tensor 0 has [2,3]; all must match");
  throwsWith(() => repeat(x, [2]), "repeat: got 1 repeat counts for a tensor of 2 dims; give at least one per dim");
  // The accepted neighbours: other sizes along the cat dim, a new last dim for stack.
  assert.deepEqual(cat([dt.ones([2, 1]), dt.zeros([2, 2])], 1).tolist(), [[1, 0, 0], [1, 0, 0]]);
  assert.deepEqual(cat([dt.ones([1, 2]), dt.zeros([2, 2])], -2).tolist(), [[1, 1], [0, 0], [0, 0]]);
  assert.deepEqual(stack([dt.tensor([1, 2]), dt.tensor([3, 4])], -1).tolist(), [[1, 3], [2, 4]]);
  assert.deepEqual([...repeat(dt.ones([2]), [1, 1, 2]).shape], [1, 1, 4]);
});

test("cat skips 1-D empty tensors only next to tensors of another rank, promoting with them (torch.cat)", () => {
  const f64Empty = dt.zeros([0], { dtype: "float64" });
  // torch.cat([zeros(0, float64), ones(2, 2)]): [[1, 1], [1, 1]] float64.
  const a = cat([f64Empty, dt.ones([2, 2])]);
  assert.equal(a.dtype, "float64");
  assert.deepEqual(a.tolist(), [[1, 1], [1, 1]]);
  const b = cat([dt.tensor([[1, 2], [3, 4]]), dt.zeros([0])], 1);
  assert.deepEqual(b.tolist(), [[1, 2], [3, 4]]);
  // Only 1-D tensors: nothing is skipped, the empty one still promotes (torch: [1., 2.] float64).
  const c = cat([f64Empty, dt.tensor([1, 2], { dtype: "int64" })]);
  assert.equal(c.dtype, "float64");
  assert.deepEqual(c.tolist(), [1, 2]);
  // Only empty 1-D tensors: an empty result.
  assert.deepEqual([...cat([dt.zeros([0]), dt.zeros([0])]).shape], [0]);
  // A 2-D empty tensor is not skipped: its other sizes must match.
  assert.deepEqual([...cat([dt.ones([2, 3]), dt.zeros([0, 3])]).shape], [2, 3]);
  throwsWith(() => cat([dt.ones([2, 3]), dt.zeros([0, 2])]), "cat: tensor 1 has shape [0,2], which does not match tensor 0's [2,3] outside dim 0");
});

test("flip's view is named flip in the graph, under the copy (PyTorch's flip copies too)", () => {
  const x = dt.tensor([1, 2, 3], { requiresGrad: true });
  const y = flip(x, 0);
  assert.equal(y.gradFn!.name, "copy");
  assert.equal((y.gradFn!.edges[0] as { name: string }).name, "flip");
  assert.deepEqual(y.tolist(), [3, 2, 1]);
});

test("constant pad: negative pads crop, mixed with positive ones, and the result is new memory (F.pad)", () => {
  const x = dt.tensor([1, 2, 3, 4]);
  // F.pad(x, (-1, 2), value=7) = [2, 3, 4, 7, 7]; (-1, -2) = [2]; (-4, 0) has size 0.
  assert.deepEqual(pad(x, [-1, 2], "constant", 7).tolist(), [2, 3, 4, 7, 7]);
  assert.deepEqual(pad(x, [2, -1], "constant", 7).tolist(), [7, 7, 1, 2, 3]);
  assert.deepEqual(pad(x, [-1, -2]).tolist(), [2]);
  assert.deepEqual([...pad(x, [-4, 0]).shape], [0]);
  assert.deepEqual([...pad(x, [0, -4]).shape], [0]);
  throwsWith(() => pad(x, [-4, -1]), "pad: pads (-4, -1) would give dim 0 of size 4 a negative size (shape [4])");
  throwsWith(() => pad(x, [-5, 0]), "pad: pads (-5, 0) would give dim 0 of size 4 a negative size (shape [4])");
  const x2 = dt.tensor([[1, 2, 3], [4, 5, 6]]);
  // F.pad(x2, (1, 1, -1, 0)) = [[0, 4, 5, 6, 0]]; (0, 1, -1, 0) = [[4, 5, 6, 0]]; (-1, 0, 0, -1) = [[2, 3]].
  assert.deepEqual(pad(x2, [1, 1, -1, 0]).tolist(), [[0, 4, 5, 6, 0]]);
  assert.deepEqual(pad(x2, [0, 1, -1, 0]).tolist(), [[4, 5, 6, 0]]);
  assert.deepEqual(pad(x2, [1, 0, 0, -1]).tolist(), [[0, 1, 2, 3]]);
  assert.deepEqual(pad(x2, [-1, 0, 0, -1]).tolist(), [[2, 3]]);
  // Zero pads or crops only: a copy, as PyTorch's (writing into it leaves x alone).
  for (const pads of [[0, 0], [-1, 0], [0, 0, 0, -1]]) {
    const y = pad(x2, pads);
    assert.notEqual(y, x2);
    y.set(0, 0, 100);
    assert.deepEqual(x2.tolist(), [[1, 2, 3], [4, 5, 6]], `pads ${pads}`);
  }
  // The gradient of a crop and pad: ones where x was kept.
  const w = dt.tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
  pad(w, [1, -1, -1, 0]).sum().backward();
  assert.deepEqual(w.grad!.tolist(), [[0, 0, 0], [1, 1, 0]]);
});

test("pad refuses odd or too many pads, non-integer pads and unknown modes", () => {
  const x = dt.ones([2, 3]);
  throwsWith(() => pad(x, [1, 1, 1]), "pad: expected an even number of pads, at most 2 per dim (4 here), got [1,1,1]");
  throwsWith(() => pad(x, [1, 1, 1, 1, 1, 1]), "pad: expected an even number of pads, at most 2 per dim (4 here), got [1,1,1,1,1,1]");
  throwsWith(() => pad(dt.ones([3]), [1, 1, 1, 1]), "pad: expected an even number of pads, at most 2 per dim (2 here), got [1,1,1,1]");
  assert.deepEqual([...pad(x, [1, 1, 1, 1]).shape], [4, 5]);
  throwsWith(() => pad(x, [1.5, 1]), "pad: pads must be integers, got [1.5,1]");
  throwsWith(() => pad(x, [1, 1, 0, 0.5]), "pad: pads must be integers, got [1,1,0,0.5]");
  throwsWith(() => pad(x, [1, 1], "foo" as never), 'pad: unknown mode "foo" (use "constant", "reflect", "replicate" or "circular")');
});

test("reflect, replicate and circular pad take 1 to 3 padded dims of a batched (or, but circular, unbatched) input", () => {
  // torch refuses each ("Only 2D, 3D, 4D, 5D padding ...", "Invalid padding size ...").
  const rf = "2 pads for a [C,L] or [N,C,L] input, 4 for [C,H,W] or [N,C,H,W], 6 for [C,D,H,W] or [N,C,D,H,W]";
  const cf = "[N, C, ...] with 1 to 3 padded dims (2 pads for [N,C,L], 4 for [N,C,H,W], 6 for [N,C,D,H,W])";
  throwsWith(() => pad(dt.ones([3]), [1, 1], "reflect"), `pad: reflect padding takes ${rf}; got 2 pads for input [3]`);
  throwsWith(() => pad(dt.ones([1, 1, 1, 4]), [1, 1], "replicate"), `pad: replicate padding takes ${rf}; got 2 pads for input [1,1,1,4]`);
  throwsWith(() => pad(dt.ones([1, 1, 2, 2, 2, 2]), [1, 1, 1, 1, 1, 1, 1, 1], "reflect"), `pad: reflect padding takes ${rf}; got 8 pads for input [1,1,2,2,2,2]`);
  throwsWith(() => pad(dt.ones([2, 3]), [1, 1], "circular"), `pad: circular padding takes ${cf}; got 2 pads for input [2,3]`);
  throwsWith(() => pad(dt.ones([1, 3, 3]), [1, 1, 1, 1], "circular"), `pad: circular padding takes ${cf}; got 4 pads for input [1,3,3]`);
  throwsWith(() => pad(dt.ones([1, 1, 1, 1, 2, 2]), [1, 1, 1, 1, 1, 1, 1, 1], "circular"), `pad: circular padding takes ${cf}; got 8 pads for input [1,1,1,1,2,2]`);
  throwsWith(() => pad(dt.ones([2, 3]), [], "reflect"), `pad: reflect padding takes ${rf}; got 0 pads for input [2,3]`);
  throwsWith(() => pad(dt.ones([1, 2, 3]), [], "circular"), `pad: circular padding takes ${cf}; got 0 pads for input [1,2,3]`);
  throwsWith(() => pad(dt.ones([2, 3]), [], "circular"), `pad: circular padding takes ${cf}; got 0 pads for input [2,3]`);
  // Accepted: [C, L] and [N, C, L] with 2 pads, [C, H, W] with 4, [N, C, D, H, W] with 6.
  assert.deepEqual(pad(dt.tensor([[1, 2, 3]]), [1, 1], "reflect").tolist(), [[2, 1, 2, 3, 2]]);
  assert.deepEqual([...pad(dt.ones([1, 2, 3]), [1, 1, 1, 1], "replicate").shape], [1, 4, 5]);
  assert.deepEqual([...pad(dt.ones([1, 1, 2, 2, 2]), [1, 1, 1, 1, 1, 1], "circular").shape], [1, 1, 4, 4, 4]);
  assert.deepEqual([...pad(dt.ones([1, 1, 2, 2]), [1, 1, 1, 1], "circular").shape], [1, 1, 4, 4]);
  assert.deepEqual([...pad(dt.ones([1, 1, 2]), [1, 1], "circular").shape], [1, 1, 4]);
  // F.pad(arange(1, 10).reshape(1, 3, 3), (1, 0, 0, 1), mode="replicate").
  assert.deepEqual(pad(dt.arange(1, 10).reshape([1, 3, 3]), [1, 0, 0, 1], "replicate").tolist(),
    [[[1, 1, 2, 3], [4, 4, 5, 6], [7, 7, 8, 9], [7, 7, 8, 9]]]);
});

test("reflect, replicate and circular pad: one-sided pads, sizes at the limits, empty batches (F.pad)", () => {
  const x = dt.tensor([[[1, 2, 3, 4]]]);
  assert.deepEqual(pad(x, [0, 2], "reflect").tolist(), [[[1, 2, 3, 4, 3, 2]]]);
  assert.deepEqual(pad(x, [2, 0], "reflect").tolist(), [[[3, 2, 1, 2, 3, 4]]]);
  assert.deepEqual(pad(x, [3, 3], "reflect").tolist(), [[[4, 3, 2, 1, 2, 3, 4, 3, 2, 1]]]);
  assert.deepEqual(pad(x, [0, 2], "replicate").tolist(), [[[1, 2, 3, 4, 4, 4]]]);
  throwsWith(() => pad(x, [4, 0], "reflect"), "pad: reflect padding (4, 0) must be smaller than dim 2's size 4 (shape [1,1,4])");
  throwsWith(() => pad(x, [0, 4], "reflect"), "pad: reflect padding (0, 4) must be smaller than dim 2's size 4 (shape [1,1,4])");
  // Circular: up to the size wraps once; past it, refused (torch: "wrapping around more than once").
  assert.deepEqual(pad(x, [0, 4], "circular").tolist(), [[[1, 2, 3, 4, 1, 2, 3, 4]]]);
  assert.deepEqual(pad(x, [4, 1], "circular").tolist(), [[[1, 2, 3, 4, 1, 2, 3, 4, 1]]]);
  throwsWith(() => pad(x, [0, 5], "circular"), "pad: circular padding (0, 5) must be at most dim 2's size 4 (shape [1,1,4]); it would wrap around more than once");
  throwsWith(() => pad(x, [5, 0], "circular"), "pad: circular padding (5, 0) must be at most dim 2's size 4 (shape [1,1,4]); it would wrap around more than once");
  // Circular with a crop on one side wraps what is left: F.pad(x, (-1, 2)) = [2, 3, 4, 2, 3], (2, -1) = [2, 3, 1, 2, 3].
  assert.deepEqual(pad(x, [-1, 2], "circular").tolist(), [[[2, 3, 4, 2, 3]]]);
  assert.deepEqual(pad(x, [2, -1], "circular").tolist(), [[[2, 3, 1, 2, 3]]]);
  assert.deepEqual(pad(x, [-2, 1], "circular").tolist(), [[[3, 4, 3]]]);
  // A batch of zero inputs pads to a batch of zero outputs (only the padded dims are checked).
  for (const mode of ["reflect", "replicate", "circular"] as const) {
    assert.deepEqual([...pad(dt.zeros([0, 2, 3]), [1, 1], mode).shape], [0, 2, 5], mode);
  }
  throwsWith(() => pad(dt.zeros([1, 2, 0]), [1, 1], "replicate"), "pad: replicate padding of dim 2 needs at least one element to repeat (shape [1,2,0])");
  throwsWith(() => pad(dt.zeros([1, 2, 0]), [0, 1], "replicate"), "pad: replicate padding of dim 2 needs at least one element to repeat (shape [1,2,0])");
  throwsWith(() => pad(dt.zeros([1, 2, 0]), [1, 1], "reflect"), "pad: reflect padding (1, 1) must be smaller than dim 2's size 0 (shape [1,2,0])");
  throwsWith(() => pad(x, [1, 1], "reflect", 2), "pad: reflect padding takes no fill value (got 2); only \"constant\" padding fills");
});
