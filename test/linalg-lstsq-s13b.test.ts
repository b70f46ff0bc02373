// linalg.lstsq (src/ops/linalg-lstsq.ts) against PyTorch 1.13 (test/fixtures/linalg-s13b.json, written
// by scripts/fixtures/linalg_s13b.py): the solution of over- and under-determined, batched and
// rank-deficient systems, each driver's residuals / rank / singular values (empty where PyTorch's
// driver leaves them), gradients of the solution, both backends; gradcheck on the js backend; errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { linalg } from "../src/index.js";
import { getBackend, setBackend } from "../src/backend/index.js";
import { make, closeTensor as close, LINALG_FIXTURE, type Enc } from "./linalg-s13b-helpers.js";

interface Outs { solution: Enc; residuals: Enc; rank: Enc; singular_values: Enc }
const F = LINALG_FIXTURE as {
  lstsq_inputs: Record<string, { A: Enc; B: Enc }>;
  lstsq: Record<string, { grad?: { out: Enc; grads: number[][] } } & Partial<Record<"gels" | "gelsy" | "gelsd" | "gelss", Outs>>>;
  lstsq_rcond: Enc;
};

test("linalg.lstsq: solutions and every driver's residuals, rank and singular values as PyTorch's", () => {
  for (const b of ["js", "wasm"]) {
    const before = getBackend();
    setBackend(b);
    try {
      for (const name of Object.keys(F.lstsq)) {
        const { A, B } = F.lstsq_inputs[name];
        for (const driver of ["gels", "gelsy", "gelsd", "gelss"] as const) {
          const ref = F.lstsq[name][driver];
          if (!ref) continue;
          const r = linalg.lstsq(make(A), make(B), null, { driver });
          const [solution, residuals, rank, singularValues] = r;
          assert.equal(r.singularValues, singularValues);
          close(solution, ref.solution, `${name} ${driver} solution`, 1e-8);
          close(residuals, ref.residuals, `${name} ${driver} residuals`, 1e-8);
          assert.deepEqual([...rank.shape], ref.rank.shape, `${name} ${driver} rank shape`);
          assert.deepEqual(Array.from(rank.data()), ref.rank.data, `${name} ${driver} rank`);
          assert.equal(rank.dtype, "int64");
          close(singularValues, ref.singular_values, `${name} ${driver} singular values`);
        }
      }
      close(linalg.lstsq(make(F.lstsq_inputs.tall.A), make(F.lstsq_inputs.tall.B), 0.5, { driver: "gelsd" }).solution, F.lstsq_rcond, "rcond 0.5");
      close(linalg.lstsq(make(F.lstsq_inputs.tall.A), make(F.lstsq_inputs.tall.B), { rcond: 0.5, driver: "gelsd" }).solution, F.lstsq_rcond, "rcond 0.5 as an option");
    } finally {
      setBackend(before);
    }
  }
});

test("linalg.lstsq: gradients of the solution in A and B as PyTorch's (through pinv, as PyTorch's)", () => {
  for (const name of ["tall", "wide", "batch"]) {
    const ref = F.lstsq[name].grad!;
    const a = make(F.lstsq_inputs[name].A, true), b = make(F.lstsq_inputs[name].B, true);
    const x = linalg.lstsq(a, b).solution;
    close(x, ref.out, `${name} solution`);
    x.mul(dt.linspace(-1, 2, x.numel(), { dtype: "float64" }).reshape(x.shape)).sum().backward();
    close(a.grad!, { shape: [...a.shape], data: ref.grads[0] }, `${name} gradient in A`, 1e-7);
    close(b.grad!, { shape: [...b.shape], data: ref.grads[1] }, `${name} gradient in B`, 1e-7);
  }
  const before = getBackend();
  setBackend("js");
  try {
    for (const name of ["tall", "wide", "tall_vec"]) {
      const a = make(F.lstsq_inputs[name].A, true), b = make(F.lstsq_inputs[name].B, true);
      assert.ok(dt.gradcheck((x, y) => linalg.lstsq(x, y).solution, [a, b]), name);
    }
  } finally {
    setBackend(before);
  }
});

test("the default rcond is eps·max(m, n), as PyTorch's: a singular value of 3e-16 (between eps and 2·eps) counts as zero", () => {
  // torch.linalg.lstsq(diag([1, 3e-16]), ones(2, 1)) for every driver: rank 1, solution [1, 0]; matrix_rank 1; pinv diag(1, 0)
  const a = dt.diagEmbed(dt.tensor([1, 3e-16], { dtype: "float64" }));
  const b = dt.ones([2, 1], { dtype: "float64" });
  for (const driver of ["gelsy", "gelsd", "gelss"] as const) {
    const r = linalg.lstsq(a, b, null, { driver });
    assert.equal(r.rank.item(), 1, driver);
    assert.deepEqual(r.solution.tolist(), [[1], [0]], driver);
  }
  assert.equal(linalg.matrixRank(a).item(), 1);
  assert.deepEqual(linalg.pinv(a).tolist(), [[1, 0], [0, 0]]);
});

test("linalg.lstsq: PyTorch's errors for dtypes, shapes and drivers", () => {
  const a = dt.ones([5, 3], { dtype: "float64" });
  assert.throws(() => linalg.lstsq(a, dt.ones([5])), /^Error: linalg\.lstsq: Expected input and other to have the same dtype, but got input's dtype Double and other's dtype Float$/);
  assert.throws(() => linalg.lstsq(a, dt.ones([4, 2], { dtype: "float64" })), /^Error: linalg\.lstsq: input\.size\(-2\) should match other\.size\(-2\)/);
  assert.throws(() => linalg.lstsq(dt.ones([2, 5, 3], { dtype: "float64" }), dt.ones([5, 2], { dtype: "float64" })), /^Error: linalg\.lstsq: input\.size\(-2\) should match other\.size\(-1\)/);
  assert.throws(() => linalg.lstsq(a, dt.ones([2, 5, 2], { dtype: "float64" })), /^Error: linalg\.lstsq: input\.dim\(\) must be greater or equal to other\.dim\(\)/);
  assert.throws(() => linalg.lstsq(a, dt.ones([5], { dtype: "float64" }), null, { driver: "bad" as never }), /^Error: linalg\.lstsq: parameter `driver` should be one of \(gels, gelsy, gelsd, gelss\), got bad$/);
  assert.throws(() => linalg.lstsq(a.long(), a.long()), /^Error: linalg\.lstsq: Expected a floating point or complex tensor as input\. Got Long/);
  assert.throws(() => linalg.lstsq(a, a, -1), /^Error: linalg\.lstsq: rcond must be a non-negative number or null, got -1$/);
});
