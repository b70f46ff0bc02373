// linalg.solveTriangular, matrixExp, cond, vander, vecdot, tensorinv, tensorsolve, diagonal, matmul
// (src/ops/linalg-extra.ts) against PyTorch 1.13 (test/fixtures/linalg-s13b.json, written by
// scripts/fixtures/linalg_s13b.py): values and gradients on both backends, float64 gradcheck and
// gradgradcheck on the js backend (also where PyTorch 1.13's own backward fails: cond with a norm
// order), PyTorch's errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { linalg, type Tensor } from "../src/index.js";
import { getBackend, setBackend } from "../src/backend/index.js";
import { make, checkGraded, onBothBackends, LINALG_FIXTURE, type Enc, type Graded } from "./linalg-s13b-helpers.js";

const F = LINALG_FIXTURE as {
  tri_inputs: Record<string, Enc>; solve_triangular: Record<string, Graded>;
  matrix_exp_inputs: Record<string, Enc>; matrix_exp: Record<string, Graded>;
  cond_inputs: Record<string, Enc>; cond: Record<string, Graded>; cond_singular: Record<string, number>;
  vander: { x: Enc; default: Graded; N6: Graded }; vecdot: { x: Enc; y: Enc; dim0: Graded };
  tensorinv: { A: Enc; ind2: Graded }; tensorsolve: { A: Enc; B: Enc; A2: Enc; plain: Graded; dims: Graded };
};

const shifted = (e: Enc, g = true): Tensor => make(e).add(dt.eye(4, { dtype: "float64" }).mul(4)).detach().requiresGrad_(g);

test("linalg.solveTriangular: upper/lower, left/right, unitriangular, broadcast batches: values and gradients as PyTorch's", () => {
  onBothBackends(() => {
    for (const key of Object.keys(F.solve_triangular)) {
      if (key === "batch") continue;
      const [tri, side, diag] = key.split("_");
      const b = make(side === "left" ? F.tri_inputs.B : F.tri_inputs.Bt, true);
      const opts = { upper: tri === "U", left: side === "left", unitriangular: diag === "unit" };
      checkGraded(`solveTriangular ${key}`, F.solve_triangular[key], (x, y) => linalg.solveTriangular(x, y, opts), [shifted(F.tri_inputs.A), b]);
    }
    checkGraded("solveTriangular batch", F.solve_triangular.batch, (x, y) => linalg.solveTriangular(x, y, { upper: false }), [shifted(F.tri_inputs.Ab), make(F.tri_inputs.Bb, true)]);
  });
  // A zero on the diagonal: infinities, no error (PyTorch's [[0.5], [inf]]).
  const x = linalg.solveTriangular(dt.tensor([[2, 0], [1, 0]], { dtype: "float64" }), dt.ones([2, 1], { dtype: "float64" }), { upper: false });
  assert.deepEqual(x.tolist(), [[0.5], [Infinity]]);
});

test("linalg.matrixExp (and matrixExp, x.matrixExp()): small and large norms, batches, 1×1 and 17×17, values and gradients as PyTorch's", () => {
  onBothBackends(() => {
    for (const name of Object.keys(F.matrix_exp)) checkGraded(`matrixExp ${name}`, F.matrix_exp[name], linalg.matrixExp, [make(F.matrix_exp_inputs[name], true)], 1e-9);
  });
  const a = make(F.matrix_exp_inputs.small);
  assert.deepEqual(dt.matrixExp(a).tolist(), linalg.matrixExp(a).tolist());
  assert.deepEqual(a.matrixExp().tolist(), linalg.matrixExp(a).tolist());
  assert.deepEqual(linalg.matrixExp(dt.tensor([[0, 1], [0, 0]])).tolist(), [[1, 1], [0, 1]]);
  assert.deepEqual([...linalg.matrixExp(dt.zeros([0, 0])).shape], [0, 0]);
});

test("linalg.cond: every order on square, tall and batched matrices as PyTorch's; gradients for null/±2; Infinity when singular", () => {
  onBothBackends(() => {
    for (const key of Object.keys(F.cond)) {
      const [name, p] = key.split("_");
      const ord = p === "None" ? null : p === "fro" || p === "nuc" ? p : Number(p === "inf" ? Infinity : p === "-inf" ? -Infinity : p);
      checkGraded(`cond ${key}`, F.cond[key], (x) => linalg.cond(x, ord), [make(F.cond_inputs[name], true)], 1e-8);
    }
  });
  const s = dt.tensor([[1, 2], [2, 4]], { dtype: "float64" });
  for (const [p, ord] of [["fro", "fro"], ["1", 1], ["inf", Infinity]] as const) assert.equal(linalg.cond(s, ord).item(), F.cond_singular[p], `singular, ord ${p}`);
});

test("vander, vecdot, tensorinv, tensorsolve (with dims), linalg.diagonal and linalg.matmul as PyTorch's, with gradients", () => {
  onBothBackends(() => {
    checkGraded("vander", F.vander.default, (x) => linalg.vander(x), [make(F.vander.x, true)]);
    checkGraded("vander N=6", F.vander.N6, (x) => linalg.vander(x, { N: 6 }), [make(F.vander.x, true)]);
    checkGraded("vecdot dim 0", F.vecdot.dim0, (x, y) => linalg.vecdot(x, y, { dim: 0 }), [make(F.vecdot.x, true), make(F.vecdot.y, true)]);
    checkGraded("tensorinv", F.tensorinv.ind2, (a) => linalg.tensorinv(a, 2), [make(F.tensorinv.A, true)]);
    checkGraded("tensorsolve", F.tensorsolve.plain, (a, b) => linalg.tensorsolve(a, b), [make(F.tensorsolve.A, true), make(F.tensorsolve.B, true)]);
    checkGraded("tensorsolve dims", F.tensorsolve.dims, (a, b) => linalg.tensorsolve(a, b, [0]), [make(F.tensorsolve.A2, true), make(F.tensorsolve.B, true)]);
  });
  assert.deepEqual(linalg.vander(dt.tensor([1, 2, 3], { dtype: "int64" })).tolist(), [[1, 1, 1], [1, 2, 4], [1, 3, 9]]);
  const x = dt.arange(18).reshape([2, 3, 3]).float();
  assert.deepEqual(linalg.diagonal(x).tolist(), [[0, 4, 8], [9, 13, 17]]);
  assert.deepEqual(linalg.diagonal(x, { offset: 1, dim1: 0, dim2: 2 }).tolist(), dt.diagonal(x, 1, 0, 2).tolist());
  assert.deepEqual(linalg.matmul(x, x).tolist(), dt.matmul(x, x).tolist());
});

test("float64 gradcheck and gradgradcheck on the js backend: solveTriangular, matrixExp, cond (every order), vander", () => {
  const before = getBackend();
  setBackend("js");
  try {
    const a = shifted(F.tri_inputs.A), b = make(F.tri_inputs.B, true);
    assert.ok(dt.gradcheck((x, y) => linalg.solveTriangular(x, y, { upper: true }), [a, b]));
    assert.ok(dt.gradgradcheck((x, y) => linalg.solveTriangular(x, y, { upper: false, unitriangular: true }), [a, b]));
    const e = make(F.matrix_exp_inputs.small, true);
    assert.ok(dt.gradcheck((x) => linalg.matrixExp(x), [e]));
    assert.ok(dt.gradgradcheck((x) => linalg.matrixExp(x), [e]));
    assert.ok(dt.gradcheck((x) => linalg.matrixExp(x), [make(F.matrix_exp_inputs.large, true)]));
    for (const ord of [null, -2, "fro", "nuc", 1, -1, Infinity, -Infinity] as const) assert.ok(dt.gradcheck((x) => linalg.cond(x, ord), [make(F.cond_inputs.sq, true)]), String(ord));
    assert.ok(dt.gradcheck((x) => linalg.vander(x, { N: 4 }), [make(F.vander.x, true)]));
  } finally {
    setBackend(before);
  }
});

test("PyTorch's errors: required upper, shapes, ords, N, ind, tensorsolve's shapes", () => {
  const a = dt.eye(2, { dtype: "float64" });
  assert.throws(() => linalg.solveTriangular(a, a, {} as never), /^Error: linalg\.solveTriangular: upper is required \(PyTorch's keyword-only argument\)/);
  assert.throws(() => (linalg.solveTriangular as (...x: unknown[]) => unknown)(a, a), /^Error: linalg\.solveTriangular: upper is required/);
  assert.throws(() => linalg.solveTriangular(a, dt.ones([2], { dtype: "float64" }), { upper: true }), /^Error: linalg\.solveTriangular: The input tensor B must have at least 2 dimensions\.$/);
  assert.throws(() => linalg.solveTriangular(a, dt.ones([3, 1], { dtype: "float64" }), { upper: true }), /^Error: linalg\.solveTriangular: Incompatible shapes of A and B for the equation AX = B \(2x2 and 3x1\)$/);
  assert.throws(() => linalg.solveTriangular(a, dt.ones([2, 3], { dtype: "float64" }), { upper: true, left: false }), /^Error: linalg\.solveTriangular: Incompatible shapes of A and B for the equation XA = B \(2x2 and 2x3\)$/);
  assert.equal(linalg.solveTriangular(a, dt.ones([2, 1]), { upper: true }).dtype, "float64"); // dtypes promote, as PyTorch's
  assert.throws(() => linalg.matrixExp(dt.eye(2).long()), /^Error: linalg\.matrixExp: Expected a floating point or complex tensor as input\. Got Long/);
  assert.throws(() => linalg.matrixExp(dt.ones([2, 3])), /^Error: linalg\.matrixExp: A must be batches of square matrices, but they are 2 by 3 matrices$/);
  assert.throws(() => linalg.cond(dt.ones([2, 2]), 3), /^Error: linalg\.cond: got an invalid norm type: 3 \(use null, 2, -2, 1, -1, Infinity, -Infinity, "fro" or "nuc"\)$/);
  assert.throws(() => linalg.cond(dt.ones([2, 3]), 1), /^Error: linalg\.cond: A must be batches of square matrices, but they are 2 by 3 matrices$/);
  assert.throws(() => linalg.vander(dt.tensor([1, 2]), { N: 1 }), /^Error: linalg\.vander: N must be greater than 1\./);
  assert.throws(() => linalg.vecdot(dt.ones([3]).long(), dt.ones([3]).long()), /^Error: linalg\.vecdot: Expected a floating point or complex tensor as input\. Got Long/);
  assert.throws(() => linalg.tensorinv(dt.ones([2, 3, 4])), /^Error: linalg\.tensorinv: Expected self to satisfy the requirement prod\(self\.shape\[ind:\]\) == prod\(self\.shape\[:ind\]\), but got 4 != 6$/);
  assert.throws(() => linalg.tensorinv(dt.ones([6, 6]), 0), /^Error: linalg\.tensorinv: Expected a strictly positive integer for 'ind', but got 0$/);
  assert.throws(() => linalg.tensorsolve(dt.ones([2, 3, 6]), dt.ones([2, 4])), /^Error: linalg\.tensorsolve: Expected self to satisfy the requirement prod\(self\.shape\[other\.ndim:\]\) == prod\(self\.shape\[:other\.ndim\]\), but got 6 != 8 \(A \[2,3,6\], B \[2,4\]\)$/);
});
