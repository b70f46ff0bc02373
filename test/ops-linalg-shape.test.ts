// einsum, linear algebra and the extra shape ops: calling forms, views that share storage, and the
// errors bad calls throw (op, shapes, fix).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  tensor, zeros, arange, randn, einsum, linalg, diagonal, diag, trace, mv, addmm, tensordot, cross, cdist, kron, movedim, roll, rot90,
  tensorSplit, hstack, repeatInterleave, atleast2d, grad,
} from "../src/index.js";
import { throwsWith } from "./throws-with.js";


test("diagonal and Tensor.unfold are views: writes show through to the base", () => {
  const m = zeros([3, 3]);
  diagonal(m).fill_(1);
  assert.deepEqual(m.tolist(), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  assert.equal(diagonal(m, 1).storage, m.storage);
  const x = arange(6).float();
  const w = x.unfold(0, 3, 2);
  assert.equal(w.storage, x.storage);
  assert.deepEqual(w.tolist(), [[0, 1, 2], [2, 3, 4]]);
  // Overlapping windows: each element's gradient counts the windows it is in.
  const leaf = arange(5).float().requiresGrad_();
  const [g] = grad([leaf.unfold(0, 3, 1).sum()], [leaf]);
  assert.deepEqual(g!.tolist(), [1, 2, 3, 2, 1]);
});

test("x.T, x.mT and linalg are PyTorch's paths", () => {
  const x = randn([2, 3, 4]);
  assert.deepEqual(x.T.shape, [4, 3, 2]);
  assert.deepEqual(x.mT.shape, [2, 4, 3]);
  assert.equal(tensor([3, 4]).T.shape[0], 2);
  assert.ok(Math.abs(linalg.norm(tensor([3, 4])).item() - 5) < 1e-6);
  assert.equal(linalg.vectorNorm(tensor([3, -4]), Infinity).item(), 4);
  assert.deepEqual(linalg.cross(tensor([1, 0, 0]), tensor([0, 1, 0])).tolist(), [0, 0, 1]);
  assert.deepEqual(einsum("i,i->", [tensor([1, 2]), tensor([3, 4])]).item(), 11);
});

test("linalg and shape errors name the op, the shapes and the fix", () => {
  const a = zeros([2, 3]);
  throwsWith(() => einsum("ij,jk->ik", a), 'einsum: "ij,jk->ik" has 2 operand subscripts but 1 tensors were given');
  throwsWith(() => einsum("ij,jk->ik", a, zeros([4, 2])), "einsum: subscript j has size 4 in operand 1 but 3 elsewhere (sizes must match, or be 1 for \"...\" dims)");
  throwsWith(() => einsum("ijk", a), 'einsum: operand 0 has shape [2,3] (2 dims) but its subscripts "ijk" name 3');
  throwsWith(() => einsum("ij->k", a), 'einsum: output subscript k does not appear in any operand of "ij->k"');
  throwsWith(() => einsum("ij->ii", a), 'einsum: output subscript i appears more than once in "ii"');
  throwsWith(() => einsum("i1", a), 'einsum: invalid subscript "1" in "i1"; use letters a-z, A-Z and "..."');
  throwsWith(() => einsum("ii", a), "einsum: subscript i is repeated in an operand for dims of different sizes 2 and 3");
  throwsWith(() => mv(a, zeros([2])), "mv: cannot multiply [2,3] by [2]: sizes 3 and 2 differ");
  throwsWith(() => addmm(zeros([3]), a, zeros([3, 4])), "addmm: input of shape [3] cannot be broadcast to the product's shape [2,4]; pass an input of shape [2,4] or one that broadcasts to it (sizes 1 or missing leading dims)");
  throwsWith(() => addmm(zeros([4]), a, zeros([3])), "addmm: mat2 must be 2-D, got shape [3]");
  throwsWith(() => trace(zeros([2])), "trace: expects a 2-D tensor, got [2]");
  throwsWith(() => diag(zeros([2, 2, 2])), "diag: expects a 1-D or 2-D tensor, got [2,2,2]; use diagonal or diagEmbed for batches");
  throwsWith(() => diagonal(a, 0, 1, -1), "diagonal: dim1 and dim2 must differ, both are 1");
  throwsWith(() => tensordot(a, zeros([2, 3]), 1), "tensordot: contracted dims differ in size: dim 1 of [2,3] is 3, dim 0 of [2,3] is 2");
  throwsWith(() => cross(a, a, 0), "cross: dim 0 has size 2, not 3 in the broadcast shape [2,3] of [2,3] and [2,3]");
  throwsWith(() => cross(zeros([2, 2]), zeros([2, 2])), "cross: no dim has size 3 in the broadcast shape [2,2] of [2,2] and [2,2]");
  throwsWith(() => linalg.cross(zeros([3]), zeros([2, 3])), "linalg.cross: inputs must have the same number of dims, got [3] and [2,3] (unsqueeze the smaller one)");
  throwsWith(() => cdist(a, zeros([2, 4])), "cdist: x1 [2,3] and x2 [2,4] must have the same number of columns (last dim)");
  throwsWith(() => linalg.matrixNorm(a, 3), 'linalg.matrixNorm: ord 3 is not a matrix norm; use "fro", "nuc", 1, -1, 2, -2, Infinity or -Infinity');
  throwsWith(() => linalg.svdvals(zeros([3])), "linalg.svdvals: expects a matrix or a batch of matrices [..., m, n], got shape [3]");
  throwsWith(() => cross(zeros([5, 3]), zeros([5, 1]), 1), "cross: dim 1 must have size 3 in both inputs, got [5,3] and [5,1] (the product's dim is not broadcast)");
  throwsWith(() => linalg.norm(zeros([2, 2, 2]), 1), "linalg.norm: with ord 1 and no dim the input must be 1-D or 2-D, got [2,2,2]; give dim");
  throwsWith(() => movedim(a, [0, 1], [1]), "movedim: source [0,1] and destination [1] must have the same number of dims");
  throwsWith(() => roll(a, [1, 2], [0]), "roll: shifts [1,2] and dims [0] must have the same length");
  throwsWith(() => rot90(zeros([3])), "rot90: expects at least 2 dims, got [3]");
  throwsWith(() => tensorSplit(a, 0), "tensorSplit: the number of sections must be a positive integer, got 0");
  throwsWith(() => hstack([]), "hstack: expected a non-empty list of tensors");
  throwsWith(() => repeatInterleave(a, tensor([1, 2], { dtype: "int32" }), 1), "repeatInterleave: repeats has 2 counts but dim 1 has size 3");
  throwsWith(() => a.unfold(1, 4, 1), "unfold: size (4) must be an integer in [0, 3], the size of dim 1 of [2,3]");
  throwsWith(() => zeros([3]).fliplr(), "fliplr: expects at least 2 dims, got [3]");
  assert.deepEqual(atleast2d([zeros([]), zeros([2])]).map((t) => t.shape), [[1, 1], [1, 2]]);
  assert.deepEqual(kron(tensor([1, 2]), tensor([1, 10])).tolist(), [1, 10, 2, 20]);
});
