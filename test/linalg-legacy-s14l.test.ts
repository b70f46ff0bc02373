// torch.cholesky_solve / cholesky_inverse and the deprecated torch.triangular_solve / lu / lu_solve
// (src/ops/linalg-legacy.ts). Their values and float64 gradients are PyTorch's OpInfo samples
// (test/opinfo.test.ts, linalg.json.gz: 128 cases agree); here: only the named triangle is read,
// the results equal the linalg functions they stand for, second derivatives exist, and the errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { linalg } from "../src/index.js";
import { close } from "./linalg-s13b-helpers.js";

const f64 = { dtype: "float64" as const };
const A = dt.tensor([[4, 2, 1], [2, 5, 3], [1, 3, 6]], f64);
const B = dt.tensor([[1, 2], [3, 4], [5, 6]], f64);
const data = (t: dt.Tensor): number[] => Array.from(t.data());

test("choleskySolve and choleskyInverse: linalg.solve / inv of L·Lᵀ (Uᵀ·U), the other triangle ignored", () => {
  const L = linalg.cholesky(A), U = L.mT;
  const want = data(linalg.solve(A, B));
  close(dt.choleskySolve(B, L).data(), want, "lower", 1e-12);
  close(dt.choleskySolve(B, U, true).data(), want, "upper", 1e-12);
  close(dt.choleskySolve(B, L.add(dt.triu(dt.onesLike(L), 1).mul(9))).data(), want, "upper noise", 1e-12);
  close(dt.choleskySolve(B, U, { upper: true }).data(), want, "options form", 1e-12);
  close(dt.choleskyInverse(L).data(), data(linalg.inv(A)), "inverse", 1e-12);
  close(dt.choleskyInverse(U.add(dt.tril(dt.onesLike(U), -1).mul(9)), true).data(), data(linalg.inv(A)), "inverse upper", 1e-12);
  // Batched factor, broadcast B.
  const Ls = dt.stack([L, L.mul(2)]);
  assert.deepEqual(dt.choleskySolve(B, Ls).shape, [2, 3, 2]);
  close(dt.choleskySolve(B, Ls).data(), [...want, ...want.map((v) => v / 4)], "batch", 1e-12);
});

test("choleskySolve / choleskyInverse are twice differentiable (float64 gradcheck and gradgradcheck through tril / triu)", () => {
  // PyTorch's formulas treat the factor as a full matrix (its gradient reaches the unread triangle, as
  // PyTorch's), so they are checked, as PyTorch's OpInfo does, through a factor built by tril / triu.
  const L = linalg.cholesky(A).detach().requiresGrad_(), b = B.clone().requiresGrad_();
  assert.ok(dt.autograd.gradcheck((l: dt.Tensor, x: dt.Tensor) => dt.choleskySolve(x, dt.tril(l)), [L, b]));
  assert.ok(dt.autograd.gradgradcheck((l: dt.Tensor, x: dt.Tensor) => dt.choleskySolve(x, dt.tril(l)), [L, b]));
  assert.ok(dt.autograd.gradcheck((u: dt.Tensor) => dt.choleskyInverse(dt.triu(u), true), [L.detach().mT.contiguous().requiresGrad_()]));
  const [g] = dt.grad(dt.choleskySolve(B, L).sum(), [L]);
  assert.ok(Array.from(dt.triu(g!, 1).data()).some((v) => v !== 0), "the gradient reaches the upper triangle, as PyTorch's");
});

test("triangularSolve, lu, luSolve: the deprecated forms equal linalg.solveTriangular, luFactor(Ex), luSolve", () => {
  const T = dt.triu(A);
  const r = dt.triangularSolve(B, T);
  close(r.solution.data(), data(linalg.solveTriangular(T, B, { upper: true })), "upper", 1e-12);
  close(r.clonedCoefficient.data(), data(T), "clone", 0);
  close(dt.triangularSolve(B, T, true, true).solution.data(), data(linalg.solveTriangular(T.mT, B, { upper: false })), "transpose", 1e-12);
  close(dt.triangularSolve(B, T, { unitriangular: true }).solution.data(), data(linalg.solveTriangular(T, B, { upper: true, unitriangular: true })), "unit", 1e-12);
  const [LU, piv] = dt.lu(A);
  close(LU.data(), data(linalg.luFactor(A).LU), "LU", 0);
  assert.equal(dt.lu(A, true, true).length, 3);
  assert.deepEqual(Array.from(dt.lu(dt.zeros([2, 2], f64), true, true)[2].data()), [1]);
  close(dt.luSolve(B, LU, piv).data(), data(linalg.solve(A, B)), "luSolve", 1e-12);
});

test("errors name the function: dtypes, shapes, flags", () => {
  const L = linalg.cholesky(A);
  assert.throws(() => dt.choleskySolve(B.float(), L), /^Error: choleskySolve: Expected B and L to have the same dtype, but found B of type Float and L of type Double/);
  assert.throws(() => dt.choleskySolve(dt.ones([4, 1], f64), L), /^Error: choleskySolve: Incompatible matrix sizes: each L matrix is 3 by 3 but each B matrix is 4 by 1/);
  assert.throws(() => dt.choleskySolve(dt.ones([3], f64), L), /^Error: choleskySolve: B should have at least 2 dimensions, but has 1 dimensions instead/);
  assert.throws(() => dt.choleskySolve(B, dt.ones([3, 2], f64)), /^Error: choleskySolve: L must be batches of square matrices/);
  assert.throws(() => dt.choleskyInverse(dt.ones([3], f64)), /^Error: choleskyInverse: The input tensor L must have at least 2 dimensions/);
  assert.throws(() => dt.choleskyInverse(L, 1 as unknown as boolean), /^Error: choleskyInverse: upper must be true or false, got 1/);
  assert.throws(() => dt.triangularSolve(dt.ones([4, 1], f64), A), /^Error: triangularSolve: Incompatible matrix sizes/);
  assert.throws(() => dt.triangularSolve(B, dt.ones([3, 3], { dtype: "int64" })), /^Error: triangularSolve: Expected a floating point/);
  assert.throws(() => dt.lu(A, "yes" as unknown as boolean), /^Error: lu: pivot must be true or false/);
});

test("the Tensor methods (x.choleskySolve, x.choleskyInverse, x.triangularSolve, x.lu, x.luSolve, x.geqrf, x.orgqr, x.ormqr) are the functions", () => {
  const L = linalg.cholesky(A);
  close(B.choleskySolve(L).data(), data(dt.choleskySolve(B, L)), "choleskySolve", 0);
  close(L.mT.choleskyInverse({ upper: true }).data(), data(dt.choleskyInverse(L.mT, true)), "choleskyInverse", 0);
  close(B.triangularSolve(dt.triu(A), true, { transpose: true }).solution.data(), data(dt.triangularSolve(B, dt.triu(A), true, true).solution), "triangularSolve", 0);
  const [LU, piv] = A.lu();
  close(B.luSolve(LU, piv).data(), data(dt.luSolve(B, LU, piv)), "luSolve", 0);
  const { a, tau } = A.geqrf();
  close(a.orgqr(tau).data(), data(linalg.householderProduct(a, tau)), "orgqr", 0);
  close(a.ormqr(tau, B, { transpose: true }).data(), data(dt.ormqr(a, tau, B, true, true)), "ormqr", 0);
});
