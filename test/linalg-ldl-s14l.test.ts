// linalg.ldlFactor / ldlFactorEx / ldlSolve (src/ops/linalg-ldl.ts) and torch.ormqr / orgqr
// (src/ops/linalg-householder.ts) against PyTorch 1.13 (test/fixtures/linalg-s14l.json, written by
// scripts/fixtures/linalg_s14l.py): LD and the pivots exactly as LAPACK's sytrf packs them (1×1 and
// 2×2 pivots, n = 1..64, singular, batched, float32), solves, every ormqr side and transpose; errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as dt from "../src/index.js";
import { linalg } from "../src/index.js";
import { make, close, type Enc } from "./linalg-s13b-helpers.js";

const nonFinite = (_: string, v: unknown): unknown => (typeof v === "string" && /^(-?Infinity|NaN)$/.test(v) ? Number(v) : v);
type LdlCase = { A: Enc; LD: Enc; pivots: number[]; info: number[]; B?: Enc; X?: Enc; LD_upper_noise: Enc };
const F = JSON.parse(readFileSync(new URL("./fixtures/linalg-s14l.json", import.meta.url), "utf8"), nonFinite) as {
  ldl: Record<string, LdlCase>; ldl_f32: { A: Enc; LD: Enc; pivots: number[] };
  ormqr: Record<string, Record<string, Enc>>;
};

test("linalg.ldlFactorEx: LD, pivots and info as PyTorch's (sytrf's 1×1 and 2×2 pivots, n = 1..64, singular, batch, empty)", () => {
  for (const [name, c] of Object.entries(F.ldl)) {
    const { LD, pivots, info } = linalg.ldlFactorEx(make(c.A));
    assert.deepEqual(LD.shape, c.LD.shape, `${name} LD shape`);
    close(LD.data(), c.LD.data, `${name} LD`, 1e-10);
    assert.equal(pivots.dtype, "int32");
    assert.deepEqual(Array.from(pivots.data()), c.pivots, `${name} pivots`);
    assert.equal(info.dtype, "int32");
    assert.deepEqual(Array.from(info.data()), c.info, `${name} info`);
    // Only the lower triangle is read.
    close(linalg.ldlFactorEx(make(c.A).add(dt.triu(dt.onesLike(make(c.A)), 1).mul(7))).LD.data(), c.LD_upper_noise.data, `${name} upper noise`, 1e-10);
  }
  assert.ok(F.ldl.zero_diag.pivots.some((p) => p < 0), "the fixture has a 2×2 pivot");
});

test("linalg.ldlFactor: the same LD and pivots, float32 too, and an error naming D's zero entry at a singular matrix", () => {
  const c = F.ldl.n17;
  const { LD, pivots } = linalg.ldlFactor(make(c.A), { hermitian: true });
  close(LD.data(), c.LD.data, "LD", 1e-10);
  assert.deepEqual(Array.from(pivots.data()), c.pivots);
  const f = linalg.ldlFactor(make(F.ldl_f32.A, false, "float32"));
  assert.equal(f.LD.dtype, "float32");
  close(f.LD.data(), F.ldl_f32.LD.data, "float32 LD", 1e-5);
  assert.deepEqual(Array.from(f.pivots.data()), F.ldl_f32.pivots);
  assert.throws(() => linalg.ldlFactor(make(F.ldl.singular.A)), /^Error: linalg\.ldlFactor: The factorization could not be completed because the input is singular: D\[1, 1\] is exactly zero \(LAPACK's sytrf info 2\)/);
  assert.throws(() => linalg.ldlFactorEx(make(F.ldl.singular.A), { checkErrors: true }), /linalg\.ldlFactorEx: .*D\[1, 1\] is exactly zero/);
  const batch = dt.stack([make(F.ldl.n3.A), make(F.ldl.singular.A)]);
  assert.throws(() => linalg.ldlFactor(batch), /linalg\.ldlFactor: \(Batch element 1\): /);
});

test("linalg.ldlSolve: A·X = B from the factor, as PyTorch's sytrs (batched, 2×2 pivots), broadcasting LD's batch", () => {
  for (const [name, c] of Object.entries(F.ldl)) {
    if (!c.B || !c.X) continue;
    const { LD, pivots } = linalg.ldlFactorEx(make(c.A));
    close(linalg.ldlSolve(LD, pivots, make(c.B)).data(), c.X.data, `${name} X`, 1e-9);
    if (c.A.shape.length === 2 && c.A.shape[0] > 0) close(linalg.solve(make(c.A), make(c.B)).data(), c.X.data, `${name} = solve`, 1e-8);
  }
  const c = F.ldl.n5;
  const { LD, pivots } = linalg.ldlFactor(make(c.A));
  const B = dt.stack([make(c.B!), make(c.B!).mul(2)]);
  const X = linalg.ldlSolve(LD, pivots, B);
  assert.deepEqual(X.shape, [2, 5, 3]);
  close(X.data(), [...c.X!.data, ...c.X!.data.map((v) => 2 * v)], "broadcast LD", 1e-9);
  close(linalg.ldlSolve(LD, pivots.to("int64"), make(c.B!)).data(), c.X!.data, "int64 pivots", 1e-9);
});

test("ldl errors: non-square, integer dtype, mismatched dtypes and shapes, 1-D B, bad pivots, gradients (PyTorch has none)", () => {
  const A = make(F.ldl.n3.A);
  const { LD, pivots } = linalg.ldlFactor(A);
  assert.throws(() => linalg.ldlFactor(dt.ones([2, 3], { dtype: "float64" })), /linalg\.ldlFactor: A must be batches of square matrices, but they are 2 by 3 matrices/);
  assert.throws(() => linalg.ldlFactor(dt.ones([2, 2], { dtype: "int64" })), /linalg\.ldlFactor: Expected a floating point or complex tensor as input\. Got Long/);
  assert.throws(() => linalg.ldlFactor(A, { hermitian: 1 as unknown as boolean }), /linalg\.ldlFactor: hermitian must be true or false, got 1/);
  assert.throws(() => linalg.ldlSolve(LD, pivots, dt.ones([3, 2])), /linalg\.ldlSolve: Expected B and LD to have the same dtype, but found B of type Float and LD of type Double/);
  assert.throws(() => linalg.ldlSolve(LD, pivots, dt.ones([4, 2], { dtype: "float64" })), /Incompatible matrix sizes for torch\.linalg\.ldl_solve: each A matrix is 3 by 3 but each b matrix is 4 by 2/);
  assert.throws(() => linalg.ldlSolve(LD, pivots, dt.ones([3], { dtype: "float64" })), /linalg\.ldlSolve: The input tensor B must have at least 2 dimensions/);
  assert.throws(() => linalg.ldlSolve(LD, dt.tensor([1, 0, 3], { dtype: "int32" }), dt.ones([3, 1], { dtype: "float64" })), /linalg\.ldlSolve: pivots must be LAPACK's 1-based pivots/);
  assert.throws(() => linalg.ldlSolve(LD, pivots.to("float32"), dt.ones([3, 1], { dtype: "float64" })), /linalg\.ldlSolve: pivots should be an int32 Tensor/);
  assert.throws(() => linalg.ldlFactor(A.clone().requiresGrad_()), /derivative for 'linalg_ldl_factor_ex' is not implemented/);
  assert.throws(() => linalg.ldlSolve(LD, pivots, dt.ones([3, 1], { dtype: "float64" }).requiresGrad_()), /derivative for 'linalg_ldl_solve' is not implemented/);
  assert.throws(() => linalg.ldlFactor(A, { hermitan: true } as never), /hermitan/);
});

test("ormqr: Q·C, Qᵀ·C, C·Q, C·Qᵀ from geqrf's reflectors as PyTorch's (square, tall, batched, a shorter tau); orgqr is householderProduct", () => {
  for (const [name, c] of Object.entries(F.ormqr)) {
    const A = make(c.A), tau = make(c.tau);
    for (const key of ["00", "01", "10", "11"]) {
      if (!c[key]) continue;
      const left = key[0] === "1", transpose = key[1] === "1";
      const C = make(left ? c.C : c.Cr);
      close(dt.ormqr(A, tau, C, left, transpose).data(), c[key].data, `${name} left=${left} transpose=${transpose}`, 1e-12);
      close(dt.ormqr(A, tau, C, { left, transpose }).data(), c[key].data, `${name} options form`, 1e-12);
    }
  }
  const { a, tau } = dt.geqrf(make(F.ormqr["5x3"].A));
  close(dt.orgqr(a, tau).data(), Array.from(linalg.householderProduct(a, tau).data()), "orgqr", 0);
});

test("ormqr errors: PyTorch's shape and dtype checks, and no gradient", () => {
  const c = F.ormqr["5x3"];
  const A = make(c.A), tau = make(c.tau);
  const f64 = { dtype: "float64" as const };
  assert.throws(() => dt.ormqr(A, tau, dt.ones([4, 2], f64)), /ormqr: other\.shape\[-2\] must be equal to input\.shape\[-2\]/);
  assert.throws(() => dt.ormqr(A, tau, dt.ones([2, 4], f64), false), /ormqr: other\.shape\[-1\] must be equal to input\.shape\[-2\]/);
  assert.throws(() => dt.ormqr(A, tau.float(), make(c.C)), /ormqr: Expected input and tau to have the same dtype, but input has dtype Double and tau has dtype Float/);
  assert.throws(() => dt.ormqr(A, dt.zeros([4], f64), make(c.C)), /ormqr: tau\.shape\[-1\] must be less than or equal to input\.shape\[-1\]/);
  assert.throws(() => dt.ormqr(dt.ones([5, 3], f64), dt.zeros([3], f64), dt.ones([3, 2], f64), false), /ormqr: other\.shape\[-1\] must be equal to input\.shape\[-2\]/);
  assert.throws(() => dt.ormqr(dt.ones([5], f64), dt.zeros([3], f64), make(c.C)), /ormqr: input must have at least 2 dimensions/);
  assert.throws(() => dt.ormqr(dt.ones([2, 5, 3], f64), dt.zeros([3], f64), dt.ones([2, 5, 4], f64)), /ormqr: Expected tau to have one dimension less than input, but got tau\.ndim equal to 1 and input\.ndim is equal to 3/);
  assert.throws(() => dt.ormqr(dt.ones([5, 3], { dtype: "int64" }), tau, make(c.C)), /ormqr: Expected a floating point/);
  assert.throws(() => dt.ormqr(A, tau, make(c.C), 1 as unknown as boolean), /ormqr: left must be true or false/);
  assert.throws(() => dt.ormqr(A.clone().requiresGrad_(), tau, make(c.C)), /ormqr: the derivative for 'ormqr' is not implemented/);
});
