// torch.linalg's Cholesky and QR (src/ops/linalg-decomp.ts) and torch.cholesky / torch.qr, against
// PyTorch 1.13 (test/fixtures/linalg-s13b.json, written by scripts/fixtures/linalg_s13b.py): factors
// (QR's signs as LAPACK's, so compared exactly, not up to sign), gradients, every mode, tall, wide,
// square, 1×1 and batched inputs, on both backends; float64 gradcheck and gradgradcheck on the js
// backend; PyTorch's errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { linalg, type Tensor } from "../src/index.js";
import { getBackend, setBackend } from "../src/backend/index.js";
import { make, weights, onBothBackends, close, LINALG_FIXTURE, type Enc, type Graded } from "./linalg-s13b-helpers.js";

interface QrRef { Q: Enc; R: Enc; grad?: number[] }
const F = LINALG_FIXTURE as {
  spd_inputs: Record<string, Enc>; qr_inputs: Record<string, Enc>;
  cholesky: Record<string, Graded>; cholesky_upper: Record<string, Graded>; qr: Record<string, QrRef>; float32: Record<string, number[]>;
};

test("linalg.cholesky (lower and upper): factors and gradients as PyTorch's, the triangle each reads included", () => {
  onBothBackends(() => {
    for (const [key, upper] of [["cholesky", false], ["cholesky_upper", true]] as const) {
      for (const name of Object.keys(F[key])) {
        const ref = F[key][name];
        const a = make(F.spd_inputs[name], true);
        const l = linalg.cholesky(a, { upper });
        assert.deepEqual([...l.shape], ref.out.shape);
        close(l.data(), ref.out.data, `${key} ${name}`);
        l.mul(weights(l.shape)).sum().backward();
        close(a.grad!.data(), ref.grads[0]!, `${key} ${name} gradient`, 1e-8);
      }
    }
  });
});

test("linalg.qr in every mode: Q and R as PyTorch's (LAPACK's signs) and the gradients of a loss using both", () => {
  onBothBackends(() => {
    for (const key of Object.keys(F.qr)) {
      const ref = F.qr[key];
      const name = key.replace(/_(reduced|complete|r)$/, ""), mode = key.slice(name.length + 1) as "reduced" | "complete" | "r";
      const a = make(F.qr_inputs[name], true);
      const { Q, R } = linalg.qr(a, mode);
      assert.deepEqual([...Q.shape], ref.Q.shape, `${key} Q shape`);
      assert.deepEqual([...R.shape], ref.R.shape, `${key} R shape`);
      close(Q.data(), ref.Q.data, `${key} Q`);
      close(R.data(), ref.R.data, `${key} R`);
      if (!ref.grad) continue;
      Q.mul(weights(Q.shape)).sum().add(R.mul(weights(R.shape).flip(-1)).sum()).backward();
      close(a.grad!.data(), ref.grad, `${key} gradient`, 1e-8);
    }
  });
});

test("qr's gradient where PyTorch has none: mode 'r', and 'complete' of a tall matrix, with PyTorch's errors", () => {
  const a = make(F.qr_inputs.tall, true);
  assert.throws(() => linalg.qr(a, "r").R.sum().backward(), /linalg\.qr: The derivative of linalg\.qr depends on Q, which is not computed when mode='r'/);
  assert.throws(() => linalg.qr(a, "complete").Q.sum().backward(), /linalg\.qr: The QR decomposition is not differentiable when mode='complete' and nrows > ncols\./);
  assert.deepEqual([...linalg.qr(a, "r").Q.shape], [0]);
});

test("float32 inputs: factors within float32 precision of PyTorch's float32 results", () => {
  onBothBackends(() => {
    const l = linalg.cholesky(make(F.spd_inputs.n7, false, "float32"));
    assert.equal(l.dtype, "float32");
    close(l.data(), F.float32.cholesky_n7, "float32 cholesky", 1e-5);
    const { Q, R } = linalg.qr(make(F.qr_inputs.big, false, "float32"));
    close(Q.data(), F.float32.qr_big_Q, "float32 Q", 1e-5);
    close(R.data(), F.float32.qr_big_R, "float32 R", 1e-5);
  });
});

test("float64 gradcheck and gradgradcheck on the js backend: cholesky (lower, upper), qr (tall, wide, square, complete)", () => {
  const before = getBackend();
  setBackend("js");
  try {
    const spd = make(F.spd_inputs.n3, true), batch = make(F.spd_inputs.batch, true);
    const sym = (x: Tensor): Tensor => x.add(x.mT).mul(0.5);
    assert.ok(dt.gradcheck((x) => linalg.cholesky(sym(x)), [spd]));
    assert.ok(dt.gradcheck((x) => linalg.cholesky(sym(x), { upper: true }), [batch]));
    assert.ok(dt.gradgradcheck((x) => linalg.cholesky(sym(x)), [spd]));
    const both = (mode: "reduced" | "complete") => (x: Tensor): Tensor => {
      const { Q, R } = linalg.qr(x, mode);
      return Q.mul(weights(Q.shape)).sum().add(R.mul(R).sum());
    };
    for (const name of ["tall", "wide", "square", "batch", "wide_batch", "n1"]) assert.ok(dt.gradcheck(both("reduced"), [make(F.qr_inputs[name], true)]), name);
    assert.ok(dt.gradcheck(both("complete"), [make(F.qr_inputs.wide, true)]));
    assert.ok(dt.gradgradcheck(both("reduced"), [make(F.qr_inputs.tall, true)]));
    assert.ok(dt.gradgradcheck(both("reduced"), [make(F.qr_inputs.wide, true)]));
  } finally {
    setBackend(before);
  }
});

test("PyTorch's errors: not positive-definite (naming the minor and the batch element), dtypes, shapes, modes", () => {
  assert.throws(() => linalg.cholesky(dt.tensor([[1, 0, 0], [0, 1, 0], [0, 0, -1]])),
    /^Error: linalg\.cholesky: The factorization could not be completed because the input is not positive-definite \(the leading minor of order 3 is not positive-definite\)\.$/);
  assert.throws(() => linalg.cholesky(dt.stack([dt.eye(2), dt.eye(2).neg()])), /^Error: linalg\.cholesky: \(Batch element 1\): The factorization could not be completed because the input is not positive-definite \(the leading minor of order 1 is not positive-definite\)\.$/);
  assert.throws(() => linalg.cholesky(dt.tensor([[NaN]])), /leading minor of order 1 is not positive-definite/);
  assert.throws(() => linalg.cholesky(dt.zeros([2, 3])), /^Error: linalg\.cholesky: A must be batches of square matrices, but they are 2 by 3 matrices$/);
  assert.throws(() => linalg.cholesky(dt.eye(2).long()), /^Error: linalg\.cholesky: Expected a floating point or complex tensor as input\. Got Long/);
  assert.throws(() => linalg.cholesky(dt.eye(2), { upper: 1 as never }), /^Error: linalg\.cholesky: upper must be true or false, got 1$/);
  assert.throws(() => linalg.cholesky(dt.eye(2), { lower: true } as never), /linalg\.cholesky/);
  assert.throws(() => dt.cholesky(dt.zeros([3])), /^Error: cholesky: The input tensor A must have at least 2 dimensions/);
  assert.throws(() => linalg.qr(dt.eye(2), "bad" as never), /^Error: linalg\.qr: qr received unrecognized mode 'bad' but expected one of 'reduced' \(default\), 'r', or 'complete'$/);
  assert.throws(() => linalg.qr(dt.eye(2).int()), /^Error: linalg\.qr: Expected a floating point or complex tensor as input\. Got Int/);
  assert.throws(() => linalg.qr(dt.ones([3])), /^Error: linalg\.qr: The input tensor A must have at least 2 dimensions/);
});

test("empty batches and 0-sized matrices: shapes as PyTorch's", () => {
  assert.deepEqual([...linalg.cholesky(dt.zeros([0, 3, 3])).shape], [0, 3, 3]);
  assert.deepEqual([...linalg.cholesky(dt.zeros([0, 0])).shape], [0, 0]);
  const { Q, R } = linalg.qr(dt.zeros([2, 0, 3]));
  assert.deepEqual([[...Q.shape], [...R.shape]], [[2, 0, 0], [2, 0, 3]]);
  const c = linalg.qr(dt.zeros([3, 0]), "complete");
  assert.deepEqual([[...c.Q.shape], [...c.R.shape]], [[3, 3], [3, 0]]);
  assert.deepEqual(c.Q.tolist(), dt.eye(3).tolist());
});

test("torch.cholesky / torch.qr forms and Tensor methods: upper and some positional or as options", () => {
  const a = make(F.spd_inputs.n3);
  assert.deepEqual(dt.cholesky(a).tolist(), linalg.cholesky(a).tolist());
  assert.deepEqual(dt.cholesky(a, true).tolist(), linalg.cholesky(a, { upper: true }).tolist());
  assert.deepEqual(dt.cholesky(a, { upper: true }).tolist(), linalg.cholesky(a, { upper: true }).tolist());
  assert.deepEqual(a.cholesky(true).tolist(), linalg.cholesky(a, { upper: true }).tolist());
  const t = make(F.qr_inputs.tall);
  const [q, r] = dt.qr(t);
  assert.deepEqual([q.tolist(), r.tolist()], [linalg.qr(t).Q.tolist(), linalg.qr(t).R.tolist()]);
  assert.deepEqual(dt.qr(t, false).Q.tolist(), linalg.qr(t, "complete").Q.tolist());
  assert.deepEqual(t.qr({ some: false }).R.tolist(), linalg.qr(t, { mode: "complete" }).R.tolist());
  assert.throws(() => dt.qr(t, "complete" as never), /^Error: qr: some must be true or false, got complete$/);
});
