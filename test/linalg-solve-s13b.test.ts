// torch.linalg's LU-based functions (src/ops/linalg-solve.ts): det, slogdet, logdet, inv, solve,
// matrixPower, multiDot and the top-level names, against PyTorch 1.13 (test/fixtures/linalg-s13b.json,
// written by scripts/fixtures/linalg_s13b.py): values and gradients of sizes 0, 1, 3, 4, 7 and 17,
// batches, singular and negative-determinant matrices, on both backends; float64 gradcheck and
// gradgradcheck on the js backend; PyTorch's errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { linalg, type Tensor } from "../src/index.js";
import { getBackend, setBackend } from "../src/backend/index.js";
import { make, checkGraded, onBothBackends, close, LINALG_FIXTURE, type Enc, type Graded } from "./linalg-s13b-helpers.js";

const F = LINALG_FIXTURE as {
  inputs: Record<string, Enc>; solve_inputs: Record<string, Enc>; multi_dot_inputs: Record<string, Enc>;
  det: Record<string, Graded>; slogdet: Record<string, Partial<Graded> & { out: Enc; sign: number[] }>; logdet: Record<string, Enc>;
  inv: Record<string, Graded>; solve: Record<string, Graded>; matrix_power: Record<string, Graded>; matrix_power_batch_4: Graded;
  multi_dot: Record<string, Graded>; float32: Record<string, number[]>;
};

const A = (name: string, g = false): Tensor => make(F.inputs[name], g);

test("linalg.det: values and gradients as PyTorch's (sizes 0, 1, 3, 4, 7, 17, batches, negative and singular matrices)", () => {
  onBothBackends(() => {
    for (const name of Object.keys(F.det)) checkGraded(`det ${name}`, F.det[name], linalg.det, [A(name, true)], 1e-9);
  });
});

test("det at a singular matrix: its gradient is the cofactor matrix (PyTorch's SVD branch), first order only", () => {
  const x = A("rank1", true);
  const d = linalg.det(x);
  assert.equal(Math.abs(d.item()), 0);
  const [g] = dt.grad(d, [x], { createGraph: true });
  // rank 1: every 2×2 minor is 0, so the cofactor matrix is 0.
  close(g!.data(), new Array(9).fill(0), "rank-1 cofactor", 1e-12);
  assert.throws(() => g!.sum().backward(), /linalg\.det: the gradient of its gradient at a singular matrix is not implemented/);
});

test("linalg.slogdet: sign and logabsdet, the gradient through logabsdet, as PyTorch's; logdet's NaN and -Infinity", () => {
  onBothBackends(() => {
    for (const name of Object.keys(F.slogdet)) {
      const ref = F.slogdet[name];
      const x = A(name, !!ref.grads);
      const r = linalg.slogdet(x);
      const [sign, logabsdet] = r;
      assert.equal(r.sign, sign);
      assert.equal(r.logabsdet, logabsdet);
      close(sign.data(), ref.sign, `slogdet ${name} sign`);
      if (ref.grads) checkGraded(`slogdet ${name}`, ref as Graded, (t) => linalg.slogdet(t).logabsdet, [A(name, true)]);
      else close(logabsdet.data(), ref.out.data, `slogdet ${name} logabsdet`);
    }
    for (const name of Object.keys(F.logdet)) close(dt.logdet(A(name)).data(), F.logdet[name].data, `logdet ${name}`);
  });
  assert.equal(dt.logdet(A("singular")).item(), -Infinity);
  assert.equal(dt.logdet(A("neg")).item(), NaN);
});

test("slogdet's gradient at a singular matrix: the cofactor matrix over det = ±0, infinities as PyTorch's (no error)", () => {
  // torch.linalg.slogdet(tensor([[1., 2], [2, 4]], dtype=float64)).logabsdet.backward(): [[-inf, inf], [inf, -inf]]
  const s = dt.tensor([[1, 2], [2, 4]], { dtype: "float64", requiresGrad: true });
  const { sign, logabsdet } = linalg.slogdet(s);
  assert.deepEqual([sign.item(), logabsdet.item()], [-0, -Infinity]);
  logabsdet.backward();
  assert.deepEqual(s.grad!.tolist(), [[-Infinity, Infinity], [Infinity, -Infinity]]);
});

test("linalg.inv: values and gradients as PyTorch's, empty batches and 0×0 included", () => {
  onBothBackends(() => {
    for (const name of Object.keys(F.inv)) checkGraded(`inv ${name}`, F.inv[name], linalg.inv, [A(name, true)]);
  });
});

test("linalg.solve: matrix, vector, batch-of-vectors, broadcast batches and left: false, values and gradients as PyTorch's", () => {
  const B = (name: string): Tensor => make(F.solve_inputs[name], true);
  onBothBackends(() => {
    checkGraded("solve mat", F.solve.mat, (a, b) => linalg.solve(a, b), [A("n3", true), B("mat")]);
    checkGraded("solve vec", F.solve.vec, (a, b) => linalg.solve(a, b), [A("n3", true), B("vec")]);
    checkGraded("solve batch of vectors", F.solve.bvec, (a, b) => linalg.solve(a, b), [A("batch", true), B("bvec")]);
    checkGraded("solve broadcast", F.solve.bmat_b, (a, b) => linalg.solve(a, b), [A("batch").select(0, 0).detach().requiresGrad_(), B("bmat")]);
    const bt = make(F.solve_inputs.mat).t().contiguous().requiresGrad_();
    checkGraded("solve left false", F.solve.left_false, (a, b) => linalg.solve(a, b, { left: false }), [A("n3", true), bt]);
  });
});

test("linalg.matrixPower: n = 0, 1, 2, 3, 5, 6, 13, -1, -3 and a batch, values and gradients as PyTorch's", () => {
  onBothBackends(() => {
    for (const n of Object.keys(F.matrix_power)) {
      const x = n === "0" ? A("batch") : A("n3", true);
      checkGraded(`matrixPower ${n}`, F.matrix_power[n], (t) => linalg.matrixPower(t, Number(n)), [x], 1e-9);
    }
    checkGraded("matrixPower batch 4", F.matrix_power_batch_4, (t) => linalg.matrixPower(t, 4), [A("batch", true)]);
  });
  // Integer matrices: n >= 0 stays integer, as PyTorch's; a negative n needs the inverse.
  const m = dt.tensor([[1, 1], [0, 1]], { dtype: "int64" });
  assert.deepEqual(linalg.matrixPower(m, 5).tolist(), [[1, 5], [0, 1]]);
  assert.equal(linalg.matrixPower(m, 5).dtype, "int64");
  assert.throws(() => linalg.matrixPower(m, -1), /^Error: linalg\.matrixPower: Expected a floating point or complex tensor as input\. Got Long/);
  assert.throws(() => linalg.matrixPower(A("n3"), 1.5), /^Error: linalg\.matrixPower: n must be an integer, got 1\.5$/);
  assert.throws(() => linalg.matrixPower(dt.zeros([2, 3]), 2), /^Error: linalg\.matrixPower: A must be batches of square matrices, but they are 2 by 3 matrices$/);
});

test("linalg.multiDot: vector ends and the chain order, values and gradients as PyTorch's", () => {
  const M = (name: string): Tensor => make(F.multi_dot_inputs[name], true);
  onBothBackends(() => {
    checkGraded("multiDot v m m m v", F.multi_dot.vmmmv, (...t) => linalg.multiDot(t), ["v0", "m1", "m2", "m3", "v4"].map(M));
    checkGraded("multiDot m m m", F.multi_dot.mmm, (...t) => linalg.multiDot(t), ["m1", "m2", "m3"].map(M));
    checkGraded("multiDot v m", F.multi_dot.vm, (...t) => linalg.multiDot(t), ["v0", "m1"].map(M));
  });
  const one = dt.ones([3]);
  assert.throws(() => linalg.multiDot([one]), /^Error: linalg\.multiDot: expected at least 2 tensors but got 1$/);
  assert.throws(() => linalg.multiDot([dt.ones([3, 2]), dt.ones([3, 2])]), /^Error: linalg\.multiDot: tensors 0 and 1 with shapes \[3,2\] and \[3,2\] cannot be multiplied$/);
  assert.throws(() => linalg.multiDot([dt.ones([3, 2, 1]), dt.ones([1, 2])]), /^Error: linalg\.multiDot: the first tensor must be 1D or 2D but got 3D$/);
  assert.throws(() => linalg.multiDot([dt.ones([3, 2]), dt.ones([2, 1, 1])]), /^Error: linalg\.multiDot: the last tensor must be 1D or 2D but got 3D$/);
  assert.throws(() => linalg.multiDot([one, dt.ones([3], { dtype: "float64" })]), /^Error: linalg\.multiDot: all tensors must have be the same dtype but tensor 0 is float32 and tensor 1 float64$/);
  assert.equal(linalg.multiDot([one, one]).item(), 3);
});

test("float32 inputs: computed in float64 and rounded once, within float32 precision of PyTorch's float32 results", () => {
  onBothBackends(() => {
    const a7 = make(F.inputs.n7, false, "float32");
    assert.equal(linalg.det(a7).dtype, "float32");
    close(linalg.det(a7).data(), F.float32.det_n7, "float32 det", 1e-5);
    close(linalg.inv(a7).data(), F.float32.inv_n7, "float32 inv", 1e-5);
    close(linalg.solve(make(F.inputs.n3, false, "float32"), make(F.solve_inputs.mat, false, "float32")).data(), F.float32.solve_mat, "float32 solve", 1e-5);
  });
});

test("float64 gradcheck and gradgradcheck on the js backend: det, logabsdet, inv, solve, matrixPower, multiDot", () => {
  const before = getBackend();
  setBackend("js");
  try {
    const a = A("n3", true), b = make(F.solve_inputs.mat, true), batch = A("batch", true);
    assert.ok(dt.gradcheck((x) => linalg.det(x), [a]));
    assert.ok(dt.gradgradcheck((x) => linalg.det(x), [a]));
    assert.ok(dt.gradcheck((x) => linalg.slogdet(x).logabsdet, [batch]));
    assert.ok(dt.gradgradcheck((x) => linalg.slogdet(x).logabsdet, [a]));
    assert.ok(dt.gradcheck((x) => linalg.inv(x), [batch]));
    assert.ok(dt.gradgradcheck((x) => linalg.inv(x), [a]));
    assert.ok(dt.gradcheck((x, y) => linalg.solve(x, y), [a, b]));
    assert.ok(dt.gradgradcheck((x, y) => linalg.solve(x, y), [a, b]));
    assert.ok(dt.gradcheck((x, y) => linalg.solve(x, y.t(), { left: false }), [a, b]));
    assert.ok(dt.gradcheck((x) => linalg.matrixPower(x, -2), [a]));
    assert.ok(dt.gradcheck((x) => linalg.matrixPower(x, 7), [a]));
    assert.ok(dt.gradcheck((x, y) => linalg.multiDot([x, x, y]), [a, b]));
  } finally {
    setBackend(before);
  }
});

test("singular matrices: inv and solve throw PyTorch's errors naming the batch element and U's zero diagonal element (of Aᵀ's LU, as PyTorch's); det is 0", () => {
  const s = A("singular");
  assert.equal(Math.abs(linalg.det(s).item()), 0);
  // torch.linalg.inv of these: "The diagonal element 2 is zero" and (for the shift matrix) "... 3 ..."
  assert.throws(() => linalg.inv(s), /^Error: linalg\.inv: The diagonal element 2 is zero, the inversion could not be completed because the input matrix is singular\.$/);
  assert.throws(() => linalg.inv(dt.tensor([[0, 1, 0], [0, 0, 1], [0, 0, 0]])), /^Error: linalg\.inv: The diagonal element 3 is zero/);
  const batch = dt.stack([dt.eye(3, { dtype: "float64" }), s]);
  assert.throws(() => linalg.inv(batch), /^Error: linalg\.inv: \(Batch element 1\): The diagonal element 2 is zero/);
  assert.throws(() => dt.inverse(batch), /^Error: inverse: \(Batch element 1\): The diagonal element 2 is zero/);
  assert.throws(() => linalg.solve(s, dt.ones([3], { dtype: "float64" })), /^Error: linalg\.solve: The solver failed because the input matrix is singular\.$/);
  assert.throws(() => linalg.solve(batch, dt.ones([3], { dtype: "float64" })), /^Error: linalg\.solve: \(Batch element 1\): The solver failed because the input matrix is singular\.$/);
});

test("invEx, solveEx, choleskyEx, luFactorEx: info instead of errors, and the failed matrices' values as PyTorch's", () => {
  const E = (F as unknown as { ex: Record<string, Record<string, unknown> & { info?: number[] | number }> }).ex;
  const enc = (e: unknown): Enc => e as Enc;
  const npd = make(enc(E.npd)), sing = make(enc(E.sing));
  const exb = dt.stack([dt.eye(3, { dtype: "float64" }).mul(2), npd]);
  for (const [key, upper] of [["lower", false], ["upper", true]] as const) {
    const ref = E.cholesky_ex[key] as { L: Enc; info: number[] };
    const r = linalg.choleskyEx(upper ? exb.mT.contiguous() : exb, { upper });
    close(r.L.data(), ref.L.data, `choleskyEx ${key} L`);
    assert.equal(r.info.dtype, "int32");
    assert.deepEqual(Array.from(r.info.data()), ref.info);
  }
  assert.throws(() => linalg.choleskyEx(exb, { checkErrors: true }), /^Error: linalg\.choleskyEx: \(Batch element 1\): The factorization could not be completed because the input is not positive-definite \(the leading minor of order 2 is not positive-definite\)\.$/);
  // A singular matrix's inverse and solution are non-finite where PyTorch's are; which of ±Infinity and
  // NaN each entry is depends on the order of OpenBLAS's triangular solves, so only that is compared.
  const sameFinite = (got: ArrayLike<number>, want: number[], what: string): void => {
    close(Array.from(got).map((v, i) => (Number.isFinite(want[i]) ? v : Number.isFinite(v) ? v : 0)), want.map((v) => (Number.isFinite(v) ? v : 0)), what);
  };
  const pair = dt.stack([npd, sing]);
  const inv = linalg.invEx(pair);
  sameFinite(inv.inverse.data(), enc((E.inv_ex as { inverse: Enc }).inverse).data, "invEx inverse");
  assert.deepEqual(Array.from(inv.info.data()), (E.inv_ex as { info: number[] }).info);
  assert.throws(() => linalg.invEx(pair, { checkErrors: true }), /^Error: linalg\.invEx: \(Batch element 1\): The diagonal element 2 is zero/);
  const sol = linalg.solveEx(pair, dt.ones([3], { dtype: "float64" }));
  sameFinite(sol.result.data(), enc((E.solve_ex as { result: Enc }).result).data, "solveEx result");
  assert.deepEqual(Array.from(sol.info.data()), (E.solve_ex as { info: number[] }).info);
  const lu = linalg.luFactorEx(sing);
  close(lu.LU.data(), enc((E.lu_factor_ex as { LU: Enc }).LU).data, "luFactorEx LU");
  assert.deepEqual(Array.from(lu.pivots.data()), (E.lu_factor_ex as { pivots: number[] }).pivots);
  assert.equal(lu.info.item(), (E.lu_factor_ex as { info: number }).info);
  assert.throws(() => linalg.luFactorEx(sing, { checkErrors: true }), /^Error: linalg\.luFactorEx: U\[2,2\] is zero/);
  // Differentiable where the factorization succeeds, as the plain forms.
  const before = getBackend();
  setBackend("js");
  try {
    const a = A("n3", true);
    assert.ok(dt.gradcheck((x) => linalg.invEx(x).inverse, [a]));
    assert.ok(dt.gradcheck((x) => linalg.solveEx(x, x.sum(1)).result, [a]));
    assert.ok(dt.gradcheck((x) => linalg.choleskyEx(x.matmul(x.mT)).L, [a]));
  } finally {
    setBackend(before);
  }
});

test("wrong inputs: PyTorch's errors for integer dtypes, non-square and 1-D inputs, shapes and dtypes that do not fit", () => {
  const int = dt.tensor([[1, 2], [3, 4]], { dtype: "int64" });
  for (const [name, f] of [["linalg.det", linalg.det], ["linalg.slogdet", linalg.slogdet], ["linalg.inv", linalg.inv], ["logdet", dt.logdet]] as const) {
    assert.throws(() => f(int), new RegExp(`^Error: ${name.replace(".", "\\.")}: Expected a floating point or complex tensor as input\\. Got Long \\(use A\\.float\\(\\) or A\\.double\\(\\)\\)$`));
    assert.throws(() => f(dt.zeros([2, 3])), new RegExp(`^Error: ${name.replace(".", "\\.")}: A must be batches of square matrices, but they are 2 by 3 matrices$`));
    assert.throws(() => f(dt.zeros([3])), new RegExp(`^Error: ${name.replace(".", "\\.")}: The input tensor A must have at least 2 dimensions`));
  }
  assert.throws(() => linalg.det(dt.eye(2).half()), /^Error: linalg\.det: float16 is not supported/);
  const eye3 = dt.eye(3);
  assert.throws(() => linalg.solve(eye3, dt.ones([2])), /^Error: linalg\.solve: Incompatible shapes of A and B for the equation AX = B \(3x3 and 2x1\)$/);
  assert.throws(() => linalg.solve(eye3, dt.ones([4, 3])), /^Error: linalg\.solve: Incompatible shapes of A and B for the equation AX = B \(3x3 and 4x3\)$/);
  assert.throws(() => linalg.solve(eye3, dt.ones([3, 2]), { left: false }), /^Error: linalg\.solve: Incompatible shapes of A and B for the equation XA = B \(3x3 and 3x2\)$/);
  // A vector B is a column also for X·A = B, as PyTorch's (which then fits only n = 1).
  assert.throws(() => linalg.solve(eye3, dt.ones([3]), { left: false }), /^Error: linalg\.solve: Incompatible shapes of A and B for the equation XA = B \(3x3 and 3x1\)$/);
  assert.deepEqual(linalg.solve(dt.tensor([[2]]), dt.tensor([4]), { left: false }).tolist(), [2]);
  assert.throws(() => linalg.solve(eye3.double(), dt.ones([3])), /^Error: linalg\.solve: Expected A and B to have the same dtype, but found A of type Double and B of type Float instead/);
  assert.throws(() => linalg.solve(eye3, dt.ones([3], { dtype: "int32" })), /^Error: linalg\.solve: Expected a floating point or complex tensor as input\. Got Int \(use B\.float\(\) or B\.double\(\)\)$/);
  assert.throws(() => linalg.solve(eye3.expand([2, 3, 3]), dt.ones([4, 3, 1])), /^Error: linalg\.solve: the batch dims of A \[2,3,3\] and B \[4,3,1\] do not broadcast$/);
  assert.throws(() => linalg.solve(eye3, dt.ones([3]), { Left: false } as never), /linalg\.solve/);
});

test("empty batches and 0×0 matrices: shapes and values as PyTorch's", () => {
  const e = dt.zeros([0, 0]);
  assert.equal(linalg.det(e).item(), 1);
  assert.deepEqual([...linalg.inv(e).shape], [0, 0]);
  const { sign, logabsdet } = linalg.slogdet(e);
  assert.deepEqual([sign.item(), logabsdet.item()], [1, 0]);
  const zb = dt.zeros([0, 3, 3]);
  assert.deepEqual([...linalg.det(zb).shape], [0]);
  assert.deepEqual([...linalg.inv(zb).shape], [0, 3, 3]);
  assert.deepEqual([...linalg.solve(zb, dt.zeros([0, 3])).shape], [0, 3]);
  assert.deepEqual([...linalg.solve(zb, dt.zeros([3, 2])).shape], [0, 3, 2]);
  assert.deepEqual([...linalg.matrixPower(zb, 3).shape], [0, 3, 3]);
  assert.deepEqual(linalg.matrixPower(e, -2).tolist(), []);
});

test("the top-level names and Tensor methods are the same functions: det, logdet, slogdet, inverse, matrixPower", () => {
  const a = A("n3");
  assert.equal(dt.det(a).item(), linalg.det(a).item());
  assert.equal(a.det().item(), linalg.det(a).item());
  assert.equal(a.logdet().item(), dt.logdet(a).item());
  assert.equal(a.slogdet().logabsdet.item(), dt.slogdet(a).logabsdet.item());
  assert.deepEqual(a.inverse().tolist(), dt.inverse(a).tolist());
  assert.deepEqual(dt.inverse(a).tolist(), linalg.inv(a).tolist());
  assert.deepEqual(a.matrixPower(3).tolist(), dt.matrixPower(a, 3).tolist());
  assert.throws(() => dt.zeros([2, 3]).det(), /det: A must be batches of square matrices/);
});
