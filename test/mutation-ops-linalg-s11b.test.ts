// Tests written for the survivors of session 11's mutation runs of src/ops/einsum.ts and
// src/ops/linalg-norm.ts (docs/mutation/session-11-opsb.md). Expected values are PyTorch 1.13's
// (torch.einsum, torch.linalg.vector_norm / matrix_norm, float64), copied here with the call that gave them.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { einsum, linalg, type Tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";
import { closeRelative as close } from "./float64-close.js";

const f64 = (v: number[][] | number[]): Tensor => dt.tensor(v as number[][], { dtype: "float64" });


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

// ------------------------------------------------------------------------------------------ svdvals

test("svdvals' gradient at zero singular values: PyTorch's for the zero matrix, an orthonormal completion otherwise", () => {
  // torch.linalg.svdvals(A) weighted by w, backward: for the zero matrix LAPACK's U and V are I, so the
  // gradient is diag(w) padded (PyTorch 1.13, 3x2, 2x3, 3x3; also diag(2, 0) in a 3x2).
  const grad = (A: number[][], w: number[]): Tensor => {
    const x = f64(A).requiresGrad_(true);
    linalg.svdvals(x).mul(f64(w)).sum().backward();
    return x.grad!;
  };
  close(grad([[0, 0], [0, 0], [0, 0]], [1, 2]).data(), [1, 0, 0, 2, 0, 0], "zero 3x2");
  close(grad([[0, 0, 0], [0, 0, 0]], [1, 2]).data(), [1, 0, 0, 0, 2, 0], "zero 2x3");
  close(grad([[0, 0, 0], [0, 0, 0], [0, 0, 0]], [1, 2, 3]).data(), [1, 0, 0, 0, 2, 0, 0, 0, 3], "zero 3x3");
  close(grad([[2, 0], [0, 0], [0, 0]], [1, 2]).data(), [1, 0, 0, 2, 0, 0], "diag(2, 0)");
  // Rank 1 (u1 = (1, 1, 0)/√2, and v1 = (1, 1, 0)/√2 for the transpose): the singular vectors of
  // the zero singular values are not unique, but G = U·diag(w)·Vᵀ with orthonormal U and V has
  // singular values |w| whichever completion is taken (PyTorch's own G has them too).
  for (const A of [[[1, 2, 2], [1, 2, 2], [0, 0, 0]], [[1, 1, 0], [2, 2, 0], [2, 2, 0]], [[0, 0, 0], [0, 0, 0], [0, 0, 0]], [[2, 0], [0, 0], [0, 0]]]) {
    const w = A[0].length === 3 ? [1, 2, 3] : [1, 2];
    const s = linalg.svdvals(grad(A, w));
    close(s.data(), [...w].reverse(), `singular values of the gradient of ${JSON.stringify(A)}`, 1e-12);
  }
});

// ------------------------------------------------------------------------------------------- matmul

test("matmul: a 0-d operand, inner sizes, batch dims that do not broadcast and bool operands are refused", () => {
  // PyTorch refuses each (its messages differ: "both arguments to matmul need to be at least 1D", ...).
  throwsWith(() => dt.matmul(dt.tensor(2), dt.ones([2])), "matmul: both arguments need at least 1 dimension, got [] and [2] (use mul for scalars)");
  throwsWith(() => dt.matmul(dt.ones([2]), dt.tensor(2)), "matmul: both arguments need at least 1 dimension, got [2] and [] (use mul for scalars)");
  throwsWith(() => dt.matmul(dt.ones([2, 3]), dt.ones([2, 3])), "matmul: cannot multiply [2,3] by [2,3]: inner dimensions 3 and 2 differ");
  throwsWith(() => dt.matmul(dt.ones([2, 3]), dt.ones([2])), "matmul: cannot multiply [2,3] by [2]: inner dimensions 3 and 2 differ");
  throwsWith(
    () => dt.matmul(dt.ones([2, 2, 3]), dt.ones([3, 3, 2])),
    "matmul: cannot multiply [2,2,3] by [3,3,2]: batch dimensions [2] and [3] cannot be broadcast (sizes must match or one of them must be 1)",
  );
  const msg = "matmul: bool tensors are not supported; cast them first (x.float())";
  throwsWith(() => dt.matmul(dt.ones([2, 2], { dtype: "bool" }), dt.ones([2, 2])), msg);
  throwsWith(() => dt.matmul(dt.ones([2, 2]), dt.ones([2, 2], { dtype: "bool" })), msg);
});

test("svdvals of 6x6, 8x5 and 5x8 matrices to 1e-12 of PyTorch's (the Jacobi rotations must converge, not just be orthogonal)", () => {
  // A[i][j] = ((7i + 3j + ij) mod 11) - 5 + 0.25 (i = j); torch.linalg.svdvals(A) and of A.T.
  const mat = (m: number, n: number): Tensor =>
    f64(Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => ((i * 7 + j * 3 + i * j) % 11) - 5 + (i === j ? 0.25 : 0))));
  close(linalg.svdvals(mat(6, 6)).data(), [11.16927594781036, 10.064605561868769, 8.64136716838605, 6.902502912712135, 0.08093423353006088, 0.040820786961455136], "6x6", 1e-11);
  const s85 = [11.723741513954515, 9.93967467694768, 9.221291133407147, 7.008896990359083, 3.8616583279605026];
  close(linalg.svdvals(mat(8, 5)).data(), s85, "8x5", 1e-12);
  close(linalg.svdvals(mat(8, 5).mT).data(), s85, "5x8", 1e-12);
});

test("mm, bmm, dot, linear and linearRelu refuse bad operands with their messages; x.mT of a 0-d tensor is itself", () => {
  throwsWith(() => dt.mm(dt.ones([2, 3]), dt.ones([3])), "mm: expects two 2-D tensors, got [2,3] and [3]");
  throwsWith(() => dt.mm(dt.ones([3]), dt.ones([3, 2])), "mm: expects two 2-D tensors, got [3] and [3,2]");
  throwsWith(() => dt.bmm(dt.ones([2, 2, 3]), dt.ones([3, 2])), "bmm: expects two 3-D tensors, got [2,2,3] and [3,2]");
  throwsWith(() => dt.bmm(dt.ones([2, 3]), dt.ones([2, 3, 2])), "bmm: expects two 3-D tensors, got [2,3] and [2,3,2]");
  throwsWith(() => dt.bmm(dt.ones([2, 2, 3]), dt.ones([3, 3, 2])), "bmm: batch sizes differ: [2,2,3] and [3,3,2]");
  throwsWith(() => dt.dot(dt.ones([3]), dt.ones([2])), "dot: expects two 1-D tensors of the same length, got [3] and [2]");
  throwsWith(() => dt.dot(dt.ones([1, 3]), dt.ones([3])), "dot: expects two 1-D tensors of the same length, got [1,3] and [3]");
  throwsWith(() => dt.dot(dt.ones([3]), dt.ones([3, 1])), "dot: expects two 1-D tensors of the same length, got [3] and [3,1]");
  // PyTorch: "1D tensors expected, but got 2D and 1D tensors" (a [3, 1] first operand has the right length)
  throwsWith(() => dt.dot(dt.ones([3, 1]), dt.ones([3])), "dot: expects two 1-D tensors of the same length, got [3,1] and [3]");
  assert.equal(dt.dot(f64([1, 2, 3]), f64([4, 5, 6])).item(), 32);
  const w = dt.ones([4, 3]);
  for (const op of ["linear", "linearRelu"] as const) {
    const f = dt[op];
    throwsWith(() => f(dt.tensor(2), w), `${op}: input [] has no features in its last dim, but the weight [4,3] expects 3; flatten the input or fix inFeatures`);
    throwsWith(() => f(dt.ones([2, 2]), w), `${op}: input [2,2] has 2 features in its last dim, but the weight [4,3] expects 3; flatten the input or fix inFeatures`);
    // The same check when the bias is not one value per output (the unfused path names the op too).
    throwsWith(() => f(dt.ones([2, 2]), w, dt.ones([2, 4])), `${op}: input [2,2] has 2 features in its last dim, but the weight [4,3] expects 3; flatten the input or fix inFeatures`);
    throwsWith(() => f(dt.ones([2, 3]), dt.ones([3])), `${op}: weight must be [outFeatures, inFeatures], got [3]`);
    throwsWith(() => f(dt.ones([2, 3], { dtype: "bool" }), w), `${op}: bool tensors are not supported; cast them first (x.float())`);
    throwsWith(() => f(dt.ones([2, 3]), dt.ones([4, 3], { dtype: "bool" })), `${op}: bool tensors are not supported; cast them first (x.float())`);
  }
  const s = dt.tensor(3);
  assert.equal(s.mT, s);
});

const X = [[1, -2, 0.5], [0, 3, -1]];
const W = [[0.5, 1, -1], [2, 0, 1], [-1, 1, 1], [0.25, -0.5, 2]];
const B = [0.1, -0.2, 0.3, -0.4];

test("linear and linearRelu with biases that broadcast ([1], [M, N]) as F.linear's", () => {
  const x = f64(X), w = f64(W);
  // F.linear(x, w, torch.tensor([0.5])) and F.linear(x, w, bm) with bm = [[1, 2, 3, 4], [5, 6, 7, 8]]
  close(dt.linear(x, w, f64([0.5])).data(), [-1.5, 3, -2, 2.75, 4.5, -0.5, 2.5, -3], "bias [1]");
  const bm = f64([[1, 2, 3, 4], [5, 6, 7, 8]]);
  close(dt.linear(x, w, bm).data(), [-1, 4.5, 0.5, 6.25, 9, 5, 9, 4.5], "bias [2, 4]");
  close(dt.linearRelu(x, w, f64([0.5])).data(), [0, 3, 0, 2.75, 4.5, 0, 2.5, 0], "relu, bias [1]");
  close(dt.linearRelu(x, w, bm.neg()).data(), [0, 0.5, 0, 0, 0, 0, 0, 0], "relu, bias -[2, 4]");
  // A [N, 1] bias with as many rows as outputs (x [4, 3], w [4, 3]): one value per row, not per output.
  const x4 = f64([[1, -2, 0.5], [0, 3, -1], [2, 1, 1], [-1, 0, 4]]), bcol = f64([[10], [20], [30], [40]]);
  close(dt.linear(x4, w, bcol).data(), [8, 12.5, 7.5, 12.25, 24, 19, 22, 16.5, 31, 35, 30, 32, 35.5, 42, 45, 47.75], "bias [4, 1]");
  close(dt.linearRelu(x4, w, bcol).data(), [8, 12.5, 7.5, 12.25, 24, 19, 22, 16.5, 31, 35, 30, 32, 35.5, 42, 45, 47.75], "relu, bias [4, 1]");
});

test("linear and linearRelu under createGraph: first and second order gradients as PyTorch's, with and without bias", () => {
  // gs = torch.autograd.grad((y * wt * y).sum(), ins, create_graph=True), wt = arange(1, 9).reshape(2, 4);
  // then torch.autograd.grad(sum((g * g).sum() for g in gs), ins).
  const want: Record<string, [number[][], number[][]]> = {
    "linear,bias": [
      [[33.400000000000006, -24.4, 29.4, -56.099999999999994, 104.39999999999999, -148.0], [-3.8, 130.6, -42.9, 9.2, -61.599999999999994, 19.0, -13.200000000000001, 122.99999999999999, -38.8, 14.8, -216.8, 69.8], [37.2, -5.199999999999999, 18.999999999999993, -47.599999999999994]],
      [[9654.619999999999, -20512.28, 19800.24, -40173.38, 91766.91999999998, -100481.76], [-5999.4400000000005, 52812.03999999999, -26857.14, 4093.4399999999996, -40964.479999999996, 16995.76, -7950.599999999999, 51180.719999999994, -24335.759999999995, 16230.720000000001, -138715.36000000002, 59621.840000000004], [12779.599999999999, -9397.599999999999, 8844.399999999998, -27920.0]],
    ],
    "linear": [
      [[37.5, -28.0, 35.0, -46.0, 96.0, -136.0], [-4.0, 128.0, -42.0, 10.0, -56.0, 17.0, -15.0, 114.0, -35.5, 18.0, -204.0, 65.0]],
      [[10230.0, -22119.0, 21471.0, -35696.0, 80390.0, -89454.0], [-5281.0, 48606.0, -24510.5, 3778.0, -36448.0, 14838.0, -7196.0, 45420.0, -21151.5, 15332.0, -126236.0, 53179.0]],
    ],
    "linearRelu,bias": [
      [[22.099999999999998, -7.4, 38.8, -11.699999999999996, 73.19999999999999, -8.800000000000004], [0.0, 123.0, -41.0, 9.2, -18.4, 4.6, 0.0, 96.6, -32.199999999999996, 14.8, -29.6, 7.4], [41.0, 9.2, 32.199999999999996, 14.8]],
      [[3572.6600000000003, -2649.3199999999997, 7166.08, -6776.899999999998, 38898.439999999995, -3930.2800000000016], [-959.3999999999996, 37631.4, -11264.6, 1530.6399999999999, -2384.16, 1275.9199999999998, -753.4799999999997, 40859.28, -12615.119999999999, 3523.3599999999997, -5957.44, 2583.08], [10543.0, 1124.0, 12048.399999999998, 2869.2]],
    ],
    "linearRelu": [
      [[24.5, -9.0, 46.0, -8.0, 68.0, -12.0], [0.0, 120.0, -40.0, 10.0, -20.0, 5.0, 0.0, 84.0, -28.0, 18.0, -36.0, 9.0]],
      [[3996.5, -3273.0, 7912.0, -4872.0, 33456.0, -4656.0], [-640.0, 34000.0, -10480.0, 1670.0, -2540.0, 1510.0, -448.0, 32704.0, -10304.0, 4036.0, -6632.0, 3233.0]],
    ],
  };
  for (const op of ["linear", "linearRelu"] as const) {
    for (const withBias of [true, false]) {
      const key = withBias ? `${op},bias` : op;
      const x = f64(X).requiresGrad_(true), w = f64(W).requiresGrad_(true), b = f64(B).requiresGrad_(true);
      const ins = withBias ? [x, w, b] : [x, w];
      const y = withBias ? dt[op](x, w, b) : dt[op](x, w);
      const wt = dt.arange(1, 9, { dtype: "float64" }).reshape([2, 4]);
      const gs = dt.grad(y.mul(wt).mul(y).sum(), ins, { createGraph: true });
      gs.forEach((g, i) => close(g!.data(), want[key][0][i], `${key} gradient ${i}`, 1e-12));
      const s = gs.map((g) => g!.mul(g!).sum()).reduce((p, q) => p.add(q));
      const gg = dt.grad(s, ins);
      gg.forEach((g, i) => close(g!.data(), want[key][1][i], `${key} second-order gradient ${i}`, 1e-12));
    }
  }
});

// ------------------------------------------------------------------------------------------ linalg.ts

test("diagEmbed, mv, addmm, baddbmm, addbmm, addmv and addr refuse bad operands with their messages", () => {
  throwsWith(() => dt.diagEmbed(dt.ones([2, 3]), 0, 0, 0), "diagEmbed: dim1 and dim2 must differ, both are 0");
  throwsWith(() => dt.diagEmbed(dt.ones([2, 3]), 0, 5), "diagEmbed: dimension 5 is out of range for a tensor of 3 dimensions (expected a dim in [-3, 2])");
  throwsWith(() => dt.mv(dt.ones([3]), dt.ones([3])), "mv: mat must be 2-D, got shape [3]");
  throwsWith(() => dt.mv(dt.ones([2, 3]), dt.ones([3, 1])), "mv: vec must be 1-D, got shape [3,1]");
  const bc = (op: string, i: string, p: string) =>
    `${op}: input of shape ${i} cannot be broadcast to the product's shape ${p}; pass an input of shape ${p} or one that broadcasts to it (sizes 1 or missing leading dims)`;
  throwsWith(() => dt.addmm(dt.ones([3, 3]), dt.ones([2, 3]), dt.ones([3, 2])), bc("addmm", "[3,3]", "[2,2]"));
  throwsWith(() => dt.addmm(dt.ones([2, 2]), dt.ones([3]), dt.ones([3, 2])), "addmm: mat1 must be 2-D, got shape [3]");
  throwsWith(() => dt.addmm(dt.ones([2, 2]), dt.ones([2, 3]), dt.ones([3])), "addmm: mat2 must be 2-D, got shape [3]");
  for (const op of ["baddbmm", "addbmm"] as const) {
    throwsWith(() => dt[op](dt.ones([2, 2]), dt.ones([2, 3]), dt.ones([2, 3, 2])), `${op}: batch1 must be 3-D, got shape [2,3]`);
    throwsWith(() => dt[op](dt.ones([2, 2]), dt.ones([2, 2, 3]), dt.ones([3, 2])), `${op}: batch2 must be 3-D, got shape [3,2]`);
    throwsWith(() => dt[op](dt.ones([2, 2]), dt.ones([2, 2, 3]), dt.ones([3, 3, 2])), `${op}: batch sizes differ: [2,2,3] and [3,3,2]`);
  }
  throwsWith(() => dt.baddbmm(dt.ones([3, 3]), dt.ones([2, 2, 3]), dt.ones([2, 3, 2])), bc("baddbmm", "[3,3]", "[2,2,2]"));
  throwsWith(() => dt.addbmm(dt.ones([3, 3]), dt.ones([2, 2, 3]), dt.ones([2, 3, 2])), bc("addbmm", "[3,3]", "[2,2]"));
  throwsWith(() => dt.addmv(dt.ones([3]), dt.ones([2, 3]), dt.ones([3])), bc("addmv", "[3]", "[2]"));
  throwsWith(() => dt.addr(dt.ones([2, 3]), dt.ones([2, 1]), dt.ones([3])), "addr: vec1 must be 1-D, got shape [2,1]");
  throwsWith(() => dt.addr(dt.ones([2, 3]), dt.ones([2]), dt.ones([3, 1])), "addr: vec2 must be 1-D, got shape [3,1]");
  throwsWith(() => dt.addr(dt.ones([3, 3]), dt.ones([2]), dt.ones([3])), bc("addr", "[3,3]", "[2,3]"));
  const h = { dtype: "float16" } as const;
  throwsWith(() => dt.addr(dt.ones([3, 3], h), dt.ones([2], h), dt.ones([3], h)), bc("addr", "[3,3]", "[2,3]"));
});

test("tensordot and cross refuse bad dims with their messages", () => {
  const a = dt.ones([2, 3]), b = dt.ones([3, 4]);
  throwsWith(() => dt.tensordot(a, b, -1), "tensordot: dims (-1) must be an integer in [0, 2] for shapes [2,3] and [3,4]");
  throwsWith(() => dt.tensordot(a, b, 1.5), "tensordot: dims (1.5) must be an integer in [0, 2] for shapes [2,3] and [3,4]");
  throwsWith(() => dt.tensordot(dt.ones([2, 3, 3]), b, 3), "tensordot: dims (3) must be an integer in [0, 2] for shapes [2,3,3] and [3,4]");
  throwsWith(() => dt.tensordot(a, dt.ones([2, 3, 4]), 3), "tensordot: dims (3) must be an integer in [0, 2] for shapes [2,3] and [2,3,4]");
  throwsWith(() => dt.tensordot(a, b, [[0], [0, 1]] as never), "tensordot: dims must be a number or two lists of equal length [dimsA, dimsB]");
  throwsWith(() => dt.tensordot(a, b, [[0], [1], [2]] as never), "tensordot: dims must be a number or two lists of equal length [dimsA, dimsB]");
  throwsWith(() => dt.tensordot(a, b, [[5], [0]]), "tensordot: dimension 5 is out of range for a tensor of 2 dimensions (expected a dim in [-2, 1])");
  throwsWith(() => dt.tensordot(a, b, [[1], [5]]), "tensordot: dimension 5 is out of range for a tensor of 2 dimensions (expected a dim in [-2, 1])");
  // The nearest accepted: dims 0 (an outer product) and dims equal to both ranks.
  assert.deepEqual([...dt.tensordot(a, b, 0).shape], [2, 3, 3, 4]);
  assert.equal(dt.tensordot(a, dt.ones([2, 3]), 2).item(), 6);
  throwsWith(() => dt.cross(dt.ones([2, 3]), dt.ones([4, 3])), "cross: shapes [2,3] and [4,3] cannot be broadcast: dimension -2 is 2 vs 4 (sizes must match or one of them must be 1)");
  throwsWith(() => dt.cross(dt.ones([2, 3]), dt.ones([2, 3]), 5), "cross: dimension 5 is out of range for a tensor of 2 dimensions (expected a dim in [-2, 1])");
  throwsWith(() => dt.cross(dt.ones([2, 4]), dt.ones([2, 4])), "cross: no dim has size 3 in the broadcast shape [2,4] of [2,4] and [2,4]");
  const own = "cross: dim 1 must have size 3 in both inputs, got [2,1] and [2,3] (the product's dim is not broadcast)";
  throwsWith(() => dt.cross(dt.ones([2, 1]), dt.ones([2, 3])), own);
  throwsWith(() => dt.cross(dt.ones([2, 1]), dt.ones([2, 3]), 1), own);
});

test("diagEmbed of a 3-D tensor, kron of a 2-D and a 1-D tensor, x.T of 2-D and 3-D tensors, as PyTorch's", () => {
  // torch.diag_embed(torch.arange(24).reshape(2, 3, 4)): shape [2, 3, 4, 4]
  const e = dt.diagEmbed(dt.arange(24, { dtype: "float64" }).reshape([2, 3, 4]));
  assert.deepEqual([...e.shape], [2, 3, 4, 4]);
  assert.deepEqual([...dt.diagonal(e, 0, -2, -1).data()], [...dt.arange(24).data()]);
  // torch.kron(torch.tensor([[1, 2], [3, 4]]), torch.tensor([1, 10])) -> [[1, 10, 2, 20], [3, 30, 4, 40]]
  const k = dt.kron(f64([[1, 2], [3, 4]]), f64([1, 10]));
  assert.deepEqual([...k.shape], [2, 4]);
  close(k.data(), [1, 10, 2, 20, 3, 30, 4, 40], "kron");
  const k2 = dt.kron(f64([1, 10]), f64([[1, 2], [3, 4]]));
  assert.deepEqual([...k2.shape], [2, 4]);
  close(k2.data(), [1, 2, 10, 20, 3, 4, 30, 40], "kron, 1-D first");
  const m = dt.arange(6, { dtype: "float64" }).reshape([2, 3]);
  assert.deepEqual([...m.T.shape], [3, 2]);
  close(m.T.contiguous().data(), [0, 3, 1, 4, 2, 5], "x.T");
  assert.deepEqual([...dt.zeros([2, 3, 4]).T.shape], [4, 3, 2]);
  // The view's graph node is named after it (PyTorch: DiagonalBackward0).
  assert.equal(dt.ones([2, 3]).requiresGrad_(true).diagonal().gradFn!.name, "diagonal");
  // An empty diagonal starts at the tensor's own offset (torch: diagonal(5).storage_offset() == 0).
  assert.equal(dt.zeros([2, 3]).diagonal(5).offset, 0);
  assert.equal(dt.zeros([2, 3]).diagonal(-5).offset, 0);
});

test("beta 0 ignores a NaN input (addmm, addr in float16), and addr's float16 rounding is PyTorch's", () => {
  // torch.addmm(torch.full((2, 2), nan), torch.ones(2, 3), torch.ones(3, 2), beta=0) -> all 3
  close(dt.addmm(dt.full([2, 2], NaN), dt.ones([2, 3]), dt.ones([3, 2]), { beta: 0 }).data(), [3, 3, 3, 3], "addmm beta 0");
  const h = { dtype: "float16" } as const;
  const u = dt.tensor([1.7, -2.9], h), v = dt.tensor([0.33, 1.21, -3.3], h);
  const inp = dt.tensor([[1.1, 2.3, -0.7], [0.3, -1.9, 5.5]], h);
  // torch.addr(i, u, v, beta=0.3, alpha=0.1) in float16 (the float32 composite gives -0.771484375 at [2]
  // and -0.0057220458984375 at [3]).
  assert.deepEqual([...dt.addr(inp, u, v, { beta: 0.3, alpha: 0.1 }).float().data()],
    [0.385986328125, 0.89599609375, -0.77099609375, -0.0057373046875, -0.9208984375, 2.607421875]);
  assert.deepEqual([...dt.addr(inp, u, v, { beta: 2 }).float().data()], [2.759765625, 6.65625, -7.015625, -0.357421875, -7.3125, 20.5625]);
  assert.deepEqual([...dt.addr(dt.full([2, 3], NaN, h), u, v, { beta: 0 }).float().data()],
    [0.56103515625, 2.056640625, -5.61328125, -0.95751953125, -3.509765625, 9.5703125]);
  // float32 keeps alpha 0.1 unrounded (PyTorch's values, to float32 precision).
  const f = { dtype: "float32" } as const;
  close(dt.addr(dt.tensor([[1.1, 2.3, -0.7], [0.3, -1.9, 5.5]], f), dt.tensor([1.7, -2.9], f), dt.tensor([0.33, 1.21, -3.3], f), { beta: 0.3, alpha: 0.1 }).data(),
    [0.38610002398490906, 0.8957000374794006, -0.7709999680519104, -0.005700003355741501, -0.9209000468254089, 2.6070001125335693], "float32 addr", 2e-7);
});

test("svdvals' graph nodes are named svdvals and svdvalsBackward; its second derivative is refused", () => {
  const x = f64([[3, 1], [1, 2], [0, 1]]).requiresGrad_(true);
  const s = linalg.svdvals(x);
  assert.equal(s.gradFn!.name, "svdvals");
  const [g] = dt.grad(s.sum(), [x], { createGraph: true });
  assert.equal(g!.gradFn!.name, "svdvalsBackward");
  throwsWith(() => g!.sum().backward(),
    /^(backward: )?linalg\.svdvals: the gradient of its gradient is not implemented; differentiate singular values \(and the nuclear and spectral norms\) once only$/);
});

test("matmul's, linear's and linearRelu's graph nodes: their names, the inputs linear saves, the options form of linear's bias", () => {
  const a0 = dt.ones([2, 2, 3]).requiresGrad_(true), b3 = dt.ones([2, 3, 2]).requiresGrad_(true);
  assert.equal(dt.bmm(a0, b3).gradFn!.name, "matmul");
  const x = dt.ones([2, 3]).requiresGrad_(true), w = dt.ones([4, 3]).requiresGrad_(true), b = dt.ones([4]);
  assert.equal(dt.linear(x, w, b).gradFn!.name, "linear");
  assert.equal(dt.linearRelu(x, w, b).gradFn!.name, "linearRelu");
  // linear saves x and w: an in-place change before backward is refused (PyTorch: "... modified by an inplace operation").
  const xm = x.mul(1);
  const y = dt.linear(xm, w);
  xm.add_(1);
  throwsWith(() => y.sum().backward(),
    "backward: linear backward: a tensor of shape [2,3] that this op saved was modified in place afterwards (version 1, expected 0). Use the out-of-place op (e.g. add instead of add_) or clone() it first.");
  // An inference tensor linear would save for w's gradient is refused (PyTorch: "Inference tensors cannot be saved for backward").
  const xi = dt.inferenceMode(() => dt.ones([2, 3]));
  throwsWith(() => dt.linear(xi, w),
    "linear: input 0 (shape [2,3]) is an inference tensor (made inside inferenceMode) and would be saved for backward, which PyTorch does not allow either; make a normal tensor with x.clone() outside inferenceMode, or compute it under noGrad instead");
  // F.linear(x, w, bias=b) as an options object (API.md rule 3).
  const lin = dt.linear as unknown as (x: dt.Tensor, w: dt.Tensor, o: { bias: dt.Tensor }) => dt.Tensor;
  close(lin(dt.ones([2, 3]), dt.ones([4, 3]), { bias: f64([1, 2, 3, 4]) }).data(), [4, 5, 6, 7, 4, 5, 6, 7], "linear(x, w, { bias })");
});

test("linalg.ts's static tables: the options-object forms, the scale keys, the method wrappers, the node names", () => {
  const call = (f: unknown, ...a: unknown[]): Tensor => (f as (...a: unknown[]) => Tensor)(...a);
  const got = (t: Tensor) => [[...t.shape], [...t.data()]];
  const m = dt.arange(9, { dtype: "float64" }).reshape([3, 3]);
  // torch.diagonal(m, offset=1) -> [1, 5]; torch.diag(m, diagonal=-1) -> [3, 7]
  assert.deepEqual(got(call(dt.diagonal, m, { offset: 1 })), [[2], [1, 5]]);
  assert.deepEqual(got(call(dt.diag, m, { diagonal: -1 })), [[2], [3, 7]]);
  assert.deepEqual(got(call(dt.tensordot, dt.ones([2, 3]), dt.ones([3, 4]), { dims: 1 })), [[2, 4], Array(8).fill(3)]);
  assert.deepEqual(got(call(dt.diagEmbed, dt.ones([2]), { offset: 1 })), [[3, 3], [0, 1, 0, 0, 0, 1, 0, 0, 0]]);
  assert.deepEqual(got(call(dt.cdist, dt.ones([2, 3]), dt.zeros([1, 3]), { p: 1 })), [[2, 1], [3, 3]]);
  throwsWith(() => call(dt.addmm, dt.ones([2, 2]), dt.ones([2, 3]), dt.ones([3, 2]), { betta: 2 }), "addmm: unknown option 'betta'; did you mean 'beta'? (it takes beta, alpha)");
  // x.addmm(a, b, beta=2, alpha=0.5) = 2·1 + 0.5·3
  assert.deepEqual([...dt.ones([2, 2]).addmm(dt.ones([2, 3]), dt.ones([3, 2]), { beta: 2, alpha: 0.5 }).data()], [3.5, 3.5, 3.5, 3.5]);
  assert.deepEqual([...dt.ones([3]).addmv(dt.ones([3, 2]), dt.ones([2]), { beta: 0 }).data()], [2, 2, 2]);
  assert.equal(dt.diagEmbed(dt.ones([2]).requiresGrad_(true)).gradFn!.name, "diagEmbed");
  const h = { dtype: "float16" } as const;
  assert.equal(dt.addr(dt.ones([2, 3], h), dt.ones([2], h).requiresGrad_(true), dt.ones([3], h)).gradFn!.name, "addr");
});
