// linalg.luFactor, linalg.lu, linalg.luSolve, luUnpack (src/ops/linalg-lu-ops.ts), geqrf and
// linalg.householderProduct (src/ops/linalg-householder.ts) against PyTorch
// 1.13 (test/fixtures/linalg-s13b.json, written by scripts/fixtures/linalg_s13b.py): the packed factor
// and pivots exactly as LAPACK's getrf (same pivot choices), P, L, U of square, wide, tall, batched
// and 17×17 inputs, gradients, luSolve in every mode with gradients; gradcheck on the js backend.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { linalg, type Tensor } from "../src/index.js";
import { getBackend, setBackend } from "../src/backend/index.js";
import { make, weights, onBothBackends, closeTensor as close, LINALG_FIXTURE, type Enc } from "./linalg-s13b-helpers.js";

interface LuRef { LU: Enc; pivots: number[]; P: Enc; L: Enc; U: Enc; grad: number[]; grad_packed: number[] }
const F = LINALG_FIXTURE as {
  lu_inputs: Record<string, Enc>; lu: Record<string, LuRef>;
  lu_solve: { B: Enc } & Record<string, { out: Enc; grads: number[][] }>; lu_singular: { LU: Enc; pivots: number[] };
};

test("linalg.luFactor and linalg.lu: LAPACK's packed factor, pivots, P, L, U and their gradients as PyTorch's", () => {
  onBothBackends(() => {
    for (const name of Object.keys(F.lu)) {
      const ref = F.lu[name];
      const a = make(F.lu_inputs[name], true);
      const { LU, pivots } = linalg.luFactor(a);
      close(LU, ref.LU, `${name} LU`);
      assert.equal(pivots.dtype, "int32");
      assert.deepEqual(Array.from(pivots.data()), ref.pivots, `${name} pivots`);
      LU.mul(weights(LU.shape)).sum().backward();
      close(a.grad!, ref.grad_packed, `${name} gradient of the packed LU`, 1e-7);
      const b = make(F.lu_inputs[name], true);
      const { P, L, U } = linalg.lu(b);
      close(P, ref.P, `${name} P`, 0);
      close(L, ref.L, `${name} L`);
      close(U, ref.U, `${name} U`);
      L.mul(weights(L.shape)).sum().add(U.mul(weights(U.shape).flip(-1)).sum()).backward();
      close(b.grad!, ref.grad, `${name} gradient of L and U`, 1e-7);
      const [p2, l2, u2] = dt.luUnpack(LU, pivots);
      close(p2.matmul(l2).matmul(u2), F.lu_inputs[name], `${name} luUnpack reconstructs A`, 1e-12);
    }
  });
});

test("linalg.luSolve: left/right, plain/adjoint, values and gradients in LU and B as PyTorch's", () => {
  const a = make(F.lu_inputs.square);
  onBothBackends(() => {
    for (const left of [true, false]) {
      for (const adjoint of [true, false]) {
        const ref = F.lu_solve[`${left ? "True" : "False"}_${adjoint ? "True" : "False"}`];
        const { LU, pivots } = linalg.luFactor(a);
        const lu = LU.detach().requiresGrad_();
        const b = (left ? make(F.lu_solve.B) : make(F.lu_solve.B).t().contiguous()).requiresGrad_();
        const x = linalg.luSolve(lu, pivots, b, { left, adjoint });
        close(x, ref.out, `luSolve left ${left} adjoint ${adjoint}`);
        x.mul(weights(x.shape)).sum().backward();
        close(lu.grad!, ref.grads[0], `luSolve left ${left} adjoint ${adjoint}: gradient in LU`, 1e-8);
        close(b.grad!, ref.grads[1], `luSolve left ${left} adjoint ${adjoint}: gradient in B`, 1e-8);
      }
    }
  });
});

test("float64 gradcheck and gradgradcheck on the js backend: lu (square, wide, tall), luFactor, luSolve", () => {
  const before = getBackend();
  setBackend("js");
  try {
    for (const name of ["square", "wide", "tall", "batch"]) {
      const a = make(F.lu_inputs[name], true);
      assert.ok(dt.gradcheck((x) => {
        const { L, U } = linalg.lu(x);
        return L.mul(weights(L.shape)).sum().add(U.pow(2).mul(weights(U.shape)).sum());
      }, [a]), name);
    }
    const sq = make(F.lu_inputs.square, true);
    assert.ok(dt.gradgradcheck((x) => linalg.luFactor(x).LU, [sq]));
    const b = make(F.lu_solve.B, true);
    assert.ok(dt.gradcheck((x, y) => {
      const { LU, pivots } = linalg.luFactor(x);
      return linalg.luSolve(LU, pivots, y, { adjoint: true });
    }, [sq, b]));
  } finally {
    setBackend(before);
  }
});

test("PyTorch's errors: no pivoting, a singular matrix in luFactor (linalg.lu takes it), luSolve's shapes, dtypes, pivots", () => {
  const s = dt.tensor([[1, 2, 3], [2, 4, 6], [1, 0, 1]], { dtype: "float64" });
  assert.throws(() => linalg.luFactor(s), /^Error: linalg\.luFactor: U\[2,2\] is zero and using it on lu_solve would result in a division by zero\./);
  assert.throws(() => linalg.luFactor(dt.stack([dt.eye(3, { dtype: "float64" }), s])), /^Error: linalg\.luFactor: \(Batch element 1\): U\[2,2\] is zero/);
  const { P, L, U } = linalg.lu(s);
  close(P.matmul(L).matmul(U), Array.from(s.data()), "singular P·L·U", 1e-12);
  close(linalg.lu(s).U, [F.lu_singular.LU.data[0], F.lu_singular.LU.data[1], F.lu_singular.LU.data[2], 0, F.lu_singular.LU.data[4], F.lu_singular.LU.data[5], 0, 0, F.lu_singular.LU.data[8]], "singular U");
  assert.throws(() => linalg.luFactor(s, { pivot: false }), /^Error: linalg\.luFactor: LU without pivoting is not implemented on the CPU$/);
  assert.throws(() => linalg.lu(s, { pivot: false }), /^Error: linalg\.lu: LU without pivoting is not implemented on the CPU$/);
  assert.throws(() => linalg.luFactor(dt.ones([3])), /^Error: linalg\.luFactor: The input tensor A must have at least 2 dimensions/);
  assert.throws(() => linalg.luFactor(dt.ones([2, 2]).long()), /^Error: linalg\.luFactor: Expected a floating point or complex tensor as input\. Got Long/);
  const { LU, pivots } = linalg.luFactor(make(F.lu_inputs.square));
  assert.throws(() => linalg.luSolve(LU, pivots, dt.ones([4, 1])), /^Error: linalg\.luSolve: Expected LU and B to have the same dtype, but found LU of type Double and B of type Float instead$/);
  assert.throws(() => linalg.luSolve(LU, pivots, dt.ones([4], { dtype: "float64" })), /^Error: linalg\.luSolve: The input tensor B must have at least 2 dimensions\.$/);
  assert.throws(() => linalg.luSolve(LU, pivots, dt.ones([4, 2], { dtype: "float64" }), { left: false }), /^Error: linalg\.luSolve: Incompatible shapes of A and B for the equation XA = B \(4x4 and 4x2\)$/);
  assert.throws(() => linalg.luSolve(LU, pivots.long(), dt.ones([4, 2], { dtype: "float64" })), /^Error: linalg\.luSolve: pivots should be a Tensor of scalar type torch\.int32, got int64$/);
  assert.throws(() => linalg.luSolve(LU, dt.tensor([1, 9, 3, 4], { dtype: "int32" }), dt.ones([4, 2], { dtype: "float64" })), /^Error: linalg\.luSolve: pivots must be 1-based row numbers in \[1, 4\]/);
  assert.deepEqual([...linalg.luFactor(dt.zeros([0, 3])).LU.shape], [0, 3]);
  assert.deepEqual([...linalg.luFactor(dt.zeros([0, 3])).pivots.shape], [0]);
});

test("geqrf and linalg.householderProduct: LAPACK's packed QR and orgqr as PyTorch's, the product's gradients in A and tau", () => {
  const G = (F as unknown as { geqrf: Record<string, { A: Enc; a: Enc; tau: Enc; product?: { out: Enc; grads: number[][] }; product_k1?: { out: Enc; grads: number[][] } }> }).geqrf;
  onBothBackends(() => {
    for (const name of Object.keys(G)) {
      const ref = G[name];
      const { a, tau } = dt.geqrf(make(ref.A));
      close(a, ref.a, `${name} geqrf a`);
      close(tau, ref.tau, `${name} geqrf tau`);
      for (const key of ["product", "product_k1"] as const) {
        const r = ref[key];
        if (!r) continue;
        const x = make(ref.a, true);
        const t = (key === "product" ? make(ref.tau) : make(ref.tau).narrow(-1, 0, 1).contiguous()).requiresGrad_();
        const q = linalg.householderProduct(x, t);
        close(q, r.out, `${name} ${key}`);
        q.mul(weights(q.shape)).sum().backward();
        close(x.grad!, r.grads[0], `${name} ${key}: gradient in A`, 1e-8);
        close(t.grad!, r.grads[1], `${name} ${key}: gradient in tau`, 1e-8);
      }
    }
  });
  assert.throws(() => dt.geqrf(make(G.tall.A).requiresGrad_())[0].sum().backward(), /geqrf: the derivative for 'geqrf' is not implemented/);
  assert.throws(() => dt.geqrf(dt.ones([3])), /^Error: geqrf: input must have at least 2 dimensions/);
  const { a, tau } = dt.geqrf(make(G.wide.A));
  assert.throws(() => linalg.householderProduct(a, tau), /^Error: linalg\.householderProduct: input\.shape\[-2\] must be greater than or equal to input\.shape\[-1\]/);
  const t = dt.geqrf(make(G.tall.A));
  assert.throws(() => linalg.householderProduct(t.a, dt.ones([2, 3], { dtype: "float64" })), /^Error: linalg\.householderProduct: Expected tau to have one dimension less than input, but got tau\.ndim equal to 2 and input\.ndim is equal to 2$/);
  assert.throws(() => linalg.householderProduct(t.a, dt.ones([4], { dtype: "float64" })), /^Error: linalg\.householderProduct: input\.shape\[-1\] must be greater than or equal to tau\.shape\[-1\]/);
});
