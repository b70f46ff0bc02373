// Tests written for the mutants of src/ops/linalg-ldl.ts that survived test/linalg-ldl-s14l.test.ts
// (docs/mutation/session-14.md): Bunch-Kaufman's pivot choice where its comparisons tie exactly, the
// batch broadcasting of ldlSolve in each direction, and the argument checks no test reached.
// The LD and pivots below are PyTorch 1.13's (torch.linalg.ldl_factor_ex on these float64 matrices).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { linalg } from "../src/index.js";
import { withOpTracer } from "../src/core.js";
import { close } from "./linalg-s13b-helpers.js";

const f64 = { dtype: "float64" as const };
const ALPHA = (1 + Math.sqrt(17)) / 8; // LAPACK's (1 + sqrt(17)) / 8, the same double

test("ldlFactor where Bunch-Kaufman's comparisons tie: the first of equal column entries, and >= (not >) in both pivot tests, as LAPACK", () => {
  const cases: [string, number[][], number[], number[]][] = [
    // Column 0 below the diagonal is [1, 1]: idamax takes the first (row 1), a 2×2 pivot with it.
    ["equal column entries", [[0, 1, 1], [1, 0, 2], [1, 2, 0]], [0, 0, 0, 1, 0, 0, 2, 1, -4], [-2, -2, 3]],
    ["equal column entries, 4×4", [[0.1, -3, 3, 0.5], [-3, 1, 0.2, 0.3], [3, 0.2, 2, 0.7], [0.5, 0.3, 0.7, 4]],
      [0.1, 0, 0, 0, -3, 1, 0, 0, -0.4044943820224719, -1.0134831460674159, 3.4161797752808987, 0, -0.15730337078651685, -0.17191011235955056, 0.35311143270622286, 3.7042691751085384],
      [-2, -2, 3, 4]],
    // |a00| = ALPHA·colmax·(colmax / rowmax) exactly (colmax 1, rowmax 2): a 1×1 pivot without interchange.
    ["|a_kk| = alpha·colmax²/rowmax", [[ALPHA / 2, 1, 0], [1, 0, 2], [0, 2, 1]],
      [0.3201941016011038, 0, 0, 3.1231056256176606, -3.1231056256176606, 0, 0, -0.6403882032022076, 2.2807764064044154], [1, 2, 3]],
    // |a_imax,imax| = ALPHA·rowmax exactly: a 1×1 pivot on row imax (interchange), not a 2×2 one.
    ["|a_rr| = alpha·rowmax", [[0, 1], [1, ALPHA]], [0.6403882032022076, 0, 1.5615528128088303, -1.5615528128088303], [2, 2]],
  ];
  for (const [name, a, ld, piv] of cases) {
    const A = dt.tensor(a, f64);
    const { LD, pivots } = linalg.ldlFactor(A);
    close(LD.data(), ld, `${name}: LD`, 1e-15);
    assert.deepEqual(Array.from(pivots.data()), piv, `${name}: pivots`);
    const B = dt.tensor(a.map((_, i) => [i + 1, 2 - i]), f64);
    close(linalg.ldlSolve(LD, pivots, B).data(), Array.from(linalg.solve(A, B).data()), `${name}: solve`, 1e-12);
  }
});

test("ldlSolve broadcasts the batch dimensions both ways (LD [2, 3] with B [2, 1], LD [2, 1] with B [2, 3], batched LD with a plain B)", () => {
  const mats = Array.from({ length: 6 }, (_, b) => dt.tensor([[4 + b, 1, -2], [1, -3, b], [-2, b, 1]], f64));
  const A23 = dt.stack(mats).reshape([2, 3, 3, 3]);
  const f = linalg.ldlFactor(A23);
  const B21 = dt.tensor([[[[1, 2], [3, 4], [5, 6]]], [[[-1, 0], [2, 1], [0, 3]]]], f64);
  const X = linalg.ldlSolve(f.LD, f.pivots, B21);
  assert.deepEqual(X.shape, [2, 3, 3, 2]);
  close(X.data(), Array.from(linalg.solve(A23, B21.expand([2, 3, 3, 2])).data()), "LD [2, 3], B [2, 1]", 1e-12);
  const A21 = A23.narrow(1, 0, 1), g = linalg.ldlFactor(A21);
  const B23 = dt.stack(mats.map((m, i) => m.matmul(dt.tensor([[1, i], [0, 1], [i, -1]], f64)))).reshape([2, 3, 3, 2]);
  const Y = linalg.ldlSolve(g.LD, g.pivots, B23);
  assert.deepEqual(Y.shape, [2, 3, 3, 2]);
  close(Y.data(), Array.from(linalg.solve(A21.expand([2, 3, 3, 3]), B23).data()), "LD [2, 1], B [2, 3]", 1e-12);
  const b = dt.tensor([[1], [0], [-1]], f64);
  const Z = linalg.ldlSolve(f.LD, f.pivots, b);
  assert.deepEqual(Z.shape, [2, 3, 3, 1]);
  close(Z.data(), Array.from(linalg.solve(A23, b).data()), "LD [2, 3], B unbatched", 1e-12);
  assert.throws(() => linalg.ldlSolve(f.LD.narrow(1, 0, 2), f.pivots.narrow(1, 0, 2), B23.narrow(1, 0, 1).expand([2, 3, 3, 2])),
    /^Error: linalg\.ldlSolve: the batch dimensions of LD \[2,2\] and B \[2,3\] do not broadcast$/);
});

test("ldlFactorEx with checkErrors and hermitian on a regular matrix, ldlSolve's hermitian: no error; the argument checks no other test reaches", () => {
  const A = dt.tensor([[4, 2, 1], [2, 5, 3], [1, 3, 6]], f64);
  const { LD, pivots, info } = linalg.ldlFactorEx(A, { checkErrors: true, hermitian: true });
  assert.deepEqual(Array.from(info.data()), [0]);
  assert.deepEqual(Array.from(pivots.data()), [1, 2, 3]);
  const b = dt.ones([3, 1], f64);
  close(linalg.ldlSolve(LD, pivots, b, { hermitian: true }).data(), [0.19402985074626866, 0.05970149253731344, 0.1044776119402985], "hermitian solve", 1e-15);
  const err = (f: () => unknown, msg: string): void => assert.throws(f, (e: Error) => e.message === msg, msg);
  err(() => linalg.ldlFactorEx(A, { checkErrors: 1 as never }), "linalg.ldlFactorEx: checkErrors must be true or false, got 1");
  err(() => linalg.ldlFactorEx(A, { hermitian: "yes" as never }), "linalg.ldlFactorEx: hermitian must be true or false, got yes");
  err(() => linalg.ldlSolve(LD, pivots, b, { hermitian: 0 as never }), "linalg.ldlSolve: hermitian must be true or false, got 0");
  err(() => linalg.ldlSolve(LD, [1, 2, 3] as never, b), "linalg.ldlSolve: pivots must be a Tensor, got object");
  err(() => linalg.ldlSolve(LD, pivots, 5 as never), "linalg.ldlSolve: B must be a Tensor, got number");
  err(() => linalg.ldlSolve(dt.ones([3, 2], f64), pivots, b), "linalg.ldlSolve: LD must be batches of square matrices, but they are 3 by 2 matrices");
  err(() => linalg.ldlSolve(LD, pivots, dt.ones([3, 1], { dtype: "int64" })), "linalg.ldlSolve: Expected a floating point or complex tensor as input. Got Long (use B.float() or B.double())");
  err(() => linalg.ldlSolve(LD, pivots.narrow(0, 0, 2), b), "linalg.ldlSolve: pivots of shape [2] do not fit LD of shape [3,3] (expected [3])");
  err(() => linalg.ldlSolve(LD, pivots.unsqueeze(0), b), "linalg.ldlSolve: pivots of shape [1,3] do not fit LD of shape [3,3] (expected [3])");
  err(() => linalg.ldlSolve(LD.expand([2, 3, 3]), pivots.expand([3, 3]), b), "linalg.ldlSolve: pivots of shape [3,3] do not fit LD of shape [2,3,3] (expected [2,3])");
  // pivots with fewer dimensions than LD's batch, whose sizes agree as far as they go.
  err(() => linalg.ldlSolve(LD.expand([3, 3, 3]), pivots, b), "linalg.ldlSolve: pivots of shape [3] do not fit LD of shape [3,3,3] (expected [3,3])");
  const range = "linalg.ldlSolve: pivots must be LAPACK's 1-based pivots in [-3, 3] without 0, as linalg.ldlFactor gives";
  err(() => linalg.ldlSolve(LD, dt.tensor([1, 2, 4], { dtype: "int32" }), b), range);
  err(() => linalg.ldlSolve(LD, dt.tensor([1, -4, -4], { dtype: "int32" }), b), range);
});

test("ldlSolve with three batch dimensions (LD [1, 1, 2, 3, 3]); the ops' names as the op tracer (ONNX export's hook) sees them", () => {
  const A = dt.stack([dt.tensor([[4, 2, 1], [2, 5, 3], [1, 3, 6]], f64), dt.tensor([[0, 1, 2], [1, 0, 1], [2, 1, 0]], f64)]).reshape([1, 1, 2, 3, 3]);
  const B = dt.tensor([[1, 2], [0, -1], [3, 1]], f64);
  const names: string[] = [];
  const X = withOpTracer((name) => names.push(name), () => {
    const { LD, pivots } = linalg.ldlFactor(A);
    assert.deepEqual(pivots.shape, [1, 1, 2, 3]);
    return linalg.ldlSolve(LD, pivots, B);
  });
  assert.deepEqual(X.shape, [1, 1, 2, 3, 2]);
  close(X.data(), Array.from(linalg.solve(A, B).data()), "X", 1e-12);
  assert.ok(names.includes("linalgLdlFactor") && names.includes("linalgLdlSolve"), names.join(", "));
});
