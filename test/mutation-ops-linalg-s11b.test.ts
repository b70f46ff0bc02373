// Tests written for the survivors of session 11's mutation runs of src/ops/einsum.ts and
// src/ops/linalg-norm.ts (docs/mutation/session-11-opsb.md). Expected values are PyTorch 1.13's
// (torch.einsum, torch.linalg.vector_norm / matrix_norm, float64), copied here with the call that gave them.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { einsum, linalg, type Tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const f64 = (v: number[][] | number[]): Tensor => dt.tensor(v as number[][], { dtype: "float64" });

function close(got: ArrayLike<number>, want: number[], what: string, tol = 1e-12): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i])), `${what}[${i}]: ${got[i]} vs PyTorch ${want[i]}`);
  }
}

// ------------------------------------------------------------------------------------------ einsum

test("einsum: an operand with more or fewer dims than its subscripts, with and without ..., names the spec trimmed", () => {
  const x2 = dt.zeros([2, 3]), x3 = dt.zeros([2, 3, 4]);
  throwsWith(() => einsum("ij", x3), 'einsum: operand 0 has shape [2,3,4] (3 dims) but its subscripts "ij" name 2');
  throwsWith(() => einsum("...ijkl", x2), 'einsum: operand 0 has shape [2,3] (2 dims) but its subscripts "...ijkl" name 4 plus ...');
  throwsWith(() => einsum("ijk...", x2), 'einsum: operand 0 has shape [2,3] (2 dims) but its subscripts "ijk..." name 3 plus ...');
  throwsWith(() => einsum(" ijk ,jk", x2, x2), 'einsum: operand 0 has shape [2,3] (2 dims) but its subscripts "ijk" name 3');
  // The nearest accepted calls: ... standing for no dims, and for all of them.
  assert.deepEqual([...einsum("...ij", x2).shape], [2, 3]);
  assert.deepEqual([...einsum("...->...", x2).shape], [2, 3]);
});

test("einsum: a bad output subscript is reported with einsum's name, and the output spec trimmed", () => {
  const x = dt.zeros([2, 3]);
  throwsWith(() => einsum("ij->i1", x), 'einsum: invalid subscript "1" in "i1"; use letters a-z, A-Z and "..."');
  throwsWith(() => einsum("ij-> ii ", x), 'einsum: output subscript i appears more than once in "ii"');
});

test("einsum: ... dims of different sizes are named ... in the message; size-1 ... dims broadcast either way", () => {
  throwsWith(
    () => einsum("...i,...i->...i", dt.ones([2, 3]), dt.ones([4, 3])),
    'einsum: subscript ... has size 4 in operand 1 but 2 elsewhere (sizes must match, or be 1 for "..." dims)',
  );
  // torch.einsum("...i,...i->...i", a, b) with a [1, 3] and b [4, 3] (and the other way): shape [4, 3].
  const a = f64([[1, 2, 3]]), b = f64([[1, 1, 1], [2, 2, 2], [3, 3, 3], [4, 4, 4]]);
  for (const [p, q] of [[a, b], [b, a]]) {
    const r = einsum("...i,...i->...i", p, q);
    assert.deepEqual([...r.shape], [4, 3]);
    close(r.data(), [1, 2, 3, 2, 4, 6, 3, 6, 9, 4, 8, 12], "broadcast product");
  }
});

test("einsum: the implicit output is the letters used once in alphabetical order (transposes 'ba', 'cab')", () => {
  const x = f64([[1, 0, -2], [3, 0.5, 0]]);
  // torch.einsum("ba", x) == x.T
  const t = einsum("ba", x);
  assert.deepEqual([...t.shape], [3, 2]);
  close(t.data(), [1, 3, 0, 0.5, -2, 0], "einsum('ba')");
  // torch.einsum("cab", arange(24).reshape(2,3,4)) has shape [3, 4, 2]: permute(1, 2, 0).
  const y = dt.arange(24, { dtype: "float64" }).reshape([2, 3, 4]);
  const p = einsum("cab", y);
  assert.deepEqual([...p.shape], [3, 4, 2]);
  close(p.data(), [0, 12, 1, 13, 2, 14, 3, 15, 4, 16, 5, 17, 6, 18, 7, 19, 8, 20, 9, 21, 10, 22, 11, 23], "einsum('cab')");
  // Implicit output with a contraction: "ij,jk" is the matrix product.
  close(einsum("ij,jk", f64([[1, 2], [3, 4]]), f64([[5, 6], [7, 8]])).data(), [19, 22, 43, 50], "einsum('ij,jk')");
});

test("einsum: a letter summed out of one operand leaves the other letters in order ('ijk->ki')", () => {
  // torch.einsum("ijk->ki", arange(24.).reshape(2, 3, 4))
  const y = dt.arange(24, { dtype: "float64" }).reshape([2, 3, 4]);
  const r = einsum("ijk->ki", y);
  assert.deepEqual([...r.shape], [4, 2]);
  close(r.data(), [12, 48, 15, 51, 18, 54, 21, 57], "einsum('ijk->ki')");
  // The same after a contraction: "ijk,k->ji" sums nothing early, j and i stay in order.
  const s = einsum("ijk,k->ji", y, f64([1, 0, 0, 1]));
  assert.deepEqual([...s.shape], [3, 2]);
  close(s.data(), [3, 27, 11, 35, 19, 43], "einsum('ijk,k->ji')");
});

test("einsum: letters only one operand uses are summed before the product, as PyTorch's (same rounding)", () => {
  // torch.einsum("ij,j->j", A, b) sums A over i first: (0.1 + 0.2 + 0.3) * 3 = 1.8000000000000003, where
  // summing the products 0.1*3 + 0.2*3 + 0.3*3 gives 1.8 (and 3.2999999999999994 for the other column).
  const A = f64([[0.1, 0.7], [0.2, 0.1], [0.3, 0.3]]);
  const r = einsum("ij,j->j", A, f64([3, 3]));
  assert.deepEqual([...r.data()], [1.8000000000000003, 3.3]);
});

// ------------------------------------------------------------------------------------- linalg norms

test("linalg norms: a bad keepdim is refused naming the function", () => {
  const x = dt.zeros([2, 3]);
  const msg = (op: string) => `${op}: keepdim must be true/false or an options object like { keepdim: true }, got string "yes"`;
  throwsWith(() => linalg.vectorNorm(x, 2, 0, "yes" as never), msg("vectorNorm"));
  throwsWith(() => linalg.matrixNorm(x, "fro", [-2, -1], "yes" as never), msg("matrixNorm"));
  throwsWith(() => linalg.norm(x, 2, 0, "yes" as never), msg("norm"));
});

test("linalg.vectorNorm: a string ord, an integer tensor and out-of-range dims are refused with their messages", () => {
  const x = dt.zeros([2, 3]);
  throwsWith(
    () => linalg.vectorNorm(x, "fro" as never),
    'linalg.vectorNorm: ord must be a number (2, 1, Infinity, -Infinity or 0; "fro" and "nuc" are linalg.matrixNorm\'s), got string "fro"',
  );
  // torch.linalg.vector_norm(torch.tensor([1, 2])) raises too ("Expected a floating point or complex tensor").
  throwsWith(() => linalg.vectorNorm(dt.tensor([1, 2], { dtype: "int32" })), "linalg.vectorNorm: expects a floating point tensor, got int32 (use x.float())");
  throwsWith(() => linalg.vectorNorm(x, 2, 5), "linalg.vectorNorm: dimension 5 is out of range for a tensor of 2 dimensions (expected a dim in [-2, 1])");
  throwsWith(() => linalg.matrixNorm(x, "fro", [5, 0]), "linalg.matrixNorm: dimension 5 is out of range for a tensor of 2 dimensions (expected a dim in [-2, 1])");
  throwsWith(() => linalg.matrixNorm(x, "fro", [0, 5]), "linalg.matrixNorm: dimension 5 is out of range for a tensor of 2 dimensions (expected a dim in [-2, 1])");
});

test("linalg.vectorNorm: inf and negative ords of an empty reduction are refused only when a reduced dim is empty", () => {
  const e = dt.zeros([0, 3]);
  // PyTorch: "linalg.vector_norm cannot compute the inf norm on an empty tensor ..."
  throwsWith(() => linalg.vectorNorm(e, Infinity), "linalg.vectorNorm: ord Infinity of an empty reduction (shape [0,3]) is undefined");
  throwsWith(() => linalg.vectorNorm(e, -1, 0), "linalg.vectorNorm: ord -1 of an empty reduction (shape [0,3]) is undefined");
  throwsWith(() => linalg.vectorNorm(e, -Infinity, [1, 0]), "linalg.vectorNorm: ord -Infinity of an empty reduction (shape [0,3]) is undefined");
  // Reducing the non-empty dim of an empty tensor is an empty result (PyTorch: tensor([])).
  for (const ord of [Infinity, -Infinity, -1]) assert.deepEqual([...linalg.vectorNorm(e, ord, 1).shape], [0]);
});

test("linalg.vectorNorm: ords 0.5, 3, -1 and -1.5 with values and gradients as PyTorch's, 0 at zero elements and zero norms", () => {
  // xr = torch.tensor(x, requires_grad=True); torch.linalg.vector_norm(xr, ord, 1).sum().backward()
  const cases: [number[][], number, number[], number[]][] = [
    [[[1, 0, -2], [3, 0.5, 0]], 0.5, [5.82842712474619, 5.949489742783177], [2.414213562373095, 0, -1.7071067811865472, 1.4082482904638631, 3.4494897427831774, 0]],
    [[[1, 0, -2], [3, 0.5, 0]], 3, [2.080083823051904, 3.004622503458683], [0.2311204247835449, 0, -0.9244816991341795, 0.9969254389356002, 0.02769237330376667, 0]],
    [[[1, 0, -2], [3, 0.5, 0]], -1.5, [0, 0], [0, 0, 0, 0, 0, 0]],
    [[[1, 0, -2], [3, 0.5, 0]], -1, [0, 0], [0, 0, 0, 0, 0, 0]],
    [[[1, 4, -2], [3, 0.5, 2]], -1.5, [0.7705047593161761, 0.44449443950570444],
      [0.5211206874355812, 0.01628502148236191, -0.09212199297557368, 0.008450116457059344, 0.7451450491280471, 0.023285782785251473]],
    [[[1, 4, -2], [3, 0.5, 2]], -1, [0.5714285714285714, 0.3529411764705882],
      [0.32653061224489793, 0.02040816326530612, -0.08163265306122448, 0.013840830449826987, 0.49826989619377154, 0.03114186851211072]],
  ];
  for (const [data, ord, value, grad] of cases) {
    const x = f64(data).requiresGrad_(true);
    const n = linalg.vectorNorm(x, ord, 1);
    close(n.data(), value, `ord ${ord} of ${JSON.stringify(data)}`, 1e-12);
    n.sum().backward();
    close(x.grad!.data(), grad, `gradient of ord ${ord} of ${JSON.stringify(data)}`, 1e-12);
  }
});

test("linalg.matrixNorm over two dims that are not adjacent, with and without keepdim, as PyTorch's", () => {
  const y = dt.arange(24, { dtype: "float64" }).reshape([2, 3, 4]);
  // torch.linalg.matrix_norm(y, 1, (0, 2)) -> [18, 26, 34]
  const one = linalg.matrixNorm(y, 1, [0, 2]);
  assert.deepEqual([...one.shape], [3]);
  close(one.data(), [18, 26, 34], "matrix 1-norm over (0, 2)");
  // torch.linalg.matrix_norm(y, -1, (2, 0), True) -> shape [1, 3, 1], [6, 22, 38]
  const m1 = linalg.matrixNorm(y, -1, [2, 0], true);
  assert.deepEqual([...m1.shape], [1, 3, 1]);
  close(m1.data(), [6, 22, 38], "matrix -1-norm over (2, 0), keepdim");
  // torch.linalg.matrix_norm(y, "nuc", (2, 0), True) -> shape [1, 3, 1]
  const nuc = linalg.matrixNorm(y, "nuc", [2, 0], true);
  assert.deepEqual([...nuc.shape], [1, 3, 1]);
  close(nuc.data(), [29.24604696228176, 38.253513079454414, 48.2424218185612], "nuclear norm over (2, 0), keepdim", 1e-10);
});
