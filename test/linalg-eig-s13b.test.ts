// torch.linalg's spectral functions (src/ops/linalg-eig.ts): eigh, eigvalsh, svd, pinv, matrixRank
// and torch.svd / torch.pinverse, against PyTorch 1.13 (test/fixtures/linalg-s13b.json, written by
// scripts/fixtures/linalg_s13b.py). Eigenvectors and singular vectors are unique up to sign (the
// docs say so): they are compared after matching each vector's sign to PyTorch's, and gradients are
// of gauge-invariant losses (values, V⁴, U·Vh, U⁴ elementwise; V∘V with weights linear in
// the index would be constant, V being orthogonal), as PyTorch's own tests do. Both backends;
// float64 gradcheck / gradgradcheck on the js backend; PyTorch's errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { linalg, type Tensor } from "../src/index.js";
import { getBackend, setBackend } from "../src/backend/index.js";
import { make, weights, onBothBackends, close, LINALG_FIXTURE, type Enc, type Graded } from "./linalg-s13b-helpers.js";

const F = LINALG_FIXTURE as {
  eigh_inputs: Record<string, Enc>; svd_inputs: Record<string, Enc>; pinv_inputs: Record<string, Enc>;
  eigh: Record<string, { L: Enc; V: Enc; grad: number[]; eigvalsh_grad: number[] }>;
  svd: Record<string, { U: Enc; S: Enc; Vh: Enc; grad?: number[] }>; torch_svd: Record<string, { V: Enc; V_full: Enc }>;
  pinv: Record<string, Graded | { out: Enc }>; pinv_hermitian: Graded; pinv_atol: { out: Enc; rtol: Enc }; pinverse: Enc;
  matrix_rank: { R: Enc; default: number; atol: number; rtol: number; hermitian: number; batch: number[]; float32_near: number };
  float32: Record<string, number[]>;
};

/**
 * `got` equals PyTorch's `want` up to the sign of each vector: vectors run along `axis` (-2: columns,
 * -1: rows) of [..., r, c] matrices; each of got's is flipped to agree with want's by their dot product.
 */
function closeUpToSign(got: Tensor, want: Enc, axis: -1 | -2, what: string, tol = 1e-8): void {
  assert.deepEqual([...got.shape], want.shape, `${what}: shape`);
  const w = make(want);
  const dot = got.mul(w).sum(axis, true);
  const aligned = got.mul(dt.where(dot.lt(0), -1, 1));
  close(aligned.contiguous().data(), want.data, what, tol);
}

test("linalg.eigh (UPLO L and U): eigenvalues ascending, eigenvectors up to sign, gradients of values and V⁴ as PyTorch's", () => {
  onBothBackends(() => {
    for (const key of Object.keys(F.eigh)) {
      const ref = F.eigh[key];
      const name = key.slice(0, -2), uplo = key.slice(-1) as "L" | "U";
      const a = make(F.eigh_inputs[name], true);
      const { eigenvalues: l, eigenvectors: v } = linalg.eigh(a, uplo);
      close(l.data(), ref.L.data, `${key} eigenvalues`);
      closeUpToSign(v, ref.V, -2, `${key} eigenvectors`, 1e-7);
      l.mul(weights(l.shape)).sum().add(v.pow(4).mul(weights(v.shape)).sum()).backward();
      close(a.grad!.data(), ref.grad, `${key} gradient`, 1e-7);
      const b = make(F.eigh_inputs[name], true);
      const lb = linalg.eigvalsh(b, { UPLO: uplo });
      close(lb.data(), ref.L.data, `${key} eigvalsh`);
      lb.mul(weights(lb.shape)).sum().backward();
      close(b.grad!.data(), ref.eigvalsh_grad, `${key} eigvalsh gradient`, 1e-8);
    }
  });
});

test("eigvalsh at repeated eigenvalues: a finite gradient V·diag(g)·Vᵀ (the identity's is g's mean times I here)", () => {
  const x = dt.eye(3, { dtype: "float64" }).mul(2).requiresGrad_();
  const l = linalg.eigvalsh(x);
  assert.deepEqual(l.tolist(), [2, 2, 2]);
  l.sum().backward();
  close(x.grad!.data(), [1, 0, 0, 0, 1, 0, 0, 0, 1], "gradient of the sum of eigenvalues (the trace)", 1e-12);
});

test("linalg.svd (full and reduced): S as PyTorch's, U and Vh up to matching signs, and gradients of gauge-invariant losses", () => {
  onBothBackends(() => {
    for (const key of Object.keys(F.svd)) {
      const ref = F.svd[key];
      const full = key.endsWith("_full");
      const name = key.replace(/_(full|reduced)$/, "");
      const a = make(F.svd_inputs[name], true);
      const { U, S, Vh } = linalg.svd(a, { fullMatrices: full });
      close(S.data(), ref.S.data, `${key} S`);
      const k = S.shape[S.ndim - 1];
      // The first k vectors are determined up to sign (S is simple here); a full U's or Vh's others are any completion.
      closeUpToSign(U.narrow(-1, 0, k), { shape: [...ref.U.shape.slice(0, -1), k], data: make(ref.U).narrow(-1, 0, k).contiguous().data() as unknown as number[] }, -2, `${key} U`, 1e-7);
      const vk = Vh.narrow(-2, 0, k);
      closeUpToSign(vk, { shape: [...vk.shape], data: Array.from(make(ref.Vh).narrow(-2, 0, k).contiguous().data()) }, -1, `${key} Vh`, 1e-7);
      // Orthonormal: UᵀU = I, Vh·Vhᵀ = I, full ones included.
      close(U.mT.matmul(U).data(), Array.from(dt.eye(U.shape[U.ndim - 1], { dtype: "float64" }).expand([...U.shape.slice(0, -2), U.shape[U.ndim - 1], U.shape[U.ndim - 1]]).contiguous().data()), `${key} UᵀU`, 1e-12);
      close(Vh.matmul(Vh.mT).data(), Array.from(dt.eye(Vh.shape[Vh.ndim - 2], { dtype: "float64" }).expand([...Vh.shape.slice(0, -2), Vh.shape[Vh.ndim - 2], Vh.shape[Vh.ndim - 2]]).contiguous().data()), `${key} VhVhᵀ`, 1e-12);
      if (!ref.grad) continue;
      const uv = U.matmul(Vh);
      S.mul(weights(S.shape)).sum().add(uv.mul(weights(uv.shape)).sum()).add(U.pow(4).mul(weights(U.shape)).sum())
        .add(Vh.pow(4).mul(weights(Vh.shape).flip(-1)).sum().mul(0.5)).backward();
      close(a.grad!.data(), ref.grad, `${key} gradient`, 1e-7);
    }
  });
});

test("torch.svd: V (not Vh), some / not some, as PyTorch's up to sign", () => {
  for (const name of ["tall", "wide", "batch"]) {
    const a = make(F.svd_inputs[name]);
    const { U, S, V } = dt.svd(a);
    const k = S.shape[S.ndim - 1];
    closeUpToSign(V, F.torch_svd[name].V, -2, `${name} V`, 1e-7);
    close(U.matmul(dt.diagEmbed(S)).matmul(V.mT).data(), F.svd_inputs[name].data, `${name} U·S·Vᵀ`, 1e-12);
    const full = dt.svd(a, false);
    assert.deepEqual([...full.V.shape], F.torch_svd[name].V_full.shape);
    assert.deepEqual([...a.svd({ some: false }).U.shape], [...a.shape.slice(0, -1), a.shape[a.ndim - 2]]);
    assert.equal(k, Math.min(...a.shape.slice(-2)));
  }
});

test("linalg.pinv: values and gradients as PyTorch's (tall, wide, square, batched, hermitian), tolerances, rank-deficient values", () => {
  onBothBackends(() => {
    for (const name of Object.keys(F.pinv)) {
      const ref = F.pinv[name];
      const a = make(F.pinv_inputs[name], "grads" in ref);
      const p = linalg.pinv(a);
      assert.deepEqual([...p.shape], ref.out.shape);
      close(p.data(), ref.out.data, `pinv ${name}`, 1e-8);
      if (!("grads" in ref)) continue;
      p.mul(weights(p.shape)).sum().backward();
      close(a.grad!.data(), ref.grads[0]!, `pinv ${name} gradient`, 1e-7);
    }
    const s = make(F.eigh_inputs.n3, true);
    const ph = linalg.pinv(s, { hermitian: true });
    close(ph.data(), F.pinv_hermitian.out.data, "hermitian pinv", 1e-8);
    ph.mul(weights(ph.shape)).sum().backward();
    close(s.grad!.data(), F.pinv_hermitian.grads[0]!, "hermitian pinv gradient", 1e-7);
    close(linalg.pinv(make(F.svd_inputs.big), { atol: 1 }).data(), F.pinv_atol.out.data, "pinv atol 1", 1e-8);
    close(linalg.pinv(make(F.svd_inputs.big), { rtol: 0.3 }).data(), F.pinv_atol.rtol.data, "pinv rtol 0.3", 1e-8);
    close(dt.pinverse(make(F.svd_inputs.tall), 0.2).data(), F.pinverse.data, "pinverse rcond 0.2", 1e-8);
  });
});

test("linalg.matrixRank: PyTorch's default tolerance, atol, rtol, hermitian, batches; int64", () => {
  const r = make(F.matrix_rank.R);
  const rank = linalg.matrixRank(r);
  assert.equal(rank.dtype, "int64");
  assert.equal(rank.item(), F.matrix_rank.default);
  assert.equal(linalg.matrixRank(r, { atol: 1e-3 }).item(), F.matrix_rank.atol);
  assert.equal(linalg.matrixRank(r, { rtol: 0.5 }).item(), F.matrix_rank.rtol);
  assert.equal(linalg.matrixRank(make(F.eigh_inputs.n3), { hermitian: true }).item(), F.matrix_rank.hermitian);
  assert.deepEqual(linalg.matrixRank(make(F.svd_inputs.batch)).tolist(), F.matrix_rank.batch);
  assert.equal(linalg.matrixRank(dt.tensor([[1, 1], [1, 1.0000001]])).item(), F.matrix_rank.float32_near);
});

test("float32 inputs: values within float32 precision of PyTorch's float32 results", () => {
  onBothBackends(() => {
    close(linalg.eigvalsh(make(F.eigh_inputs.n7, false, "float32")).data(), F.float32.eigvalsh_n7, "float32 eigvalsh", 1e-5);
    const { S } = linalg.svd(make(F.svd_inputs.big, false, "float32"));
    assert.equal(S.dtype, "float32");
    close(S.data(), F.float32.svdvals_big, "float32 S", 1e-5);
    close(linalg.pinv(make(F.svd_inputs.big, false, "float32")).data(), F.float32.pinv_big, "float32 pinv", 1e-4);
  });
});

test("float64 gradcheck and gradgradcheck on the js backend: eigh, eigvalsh, svd (tall, wide, square), pinv", () => {
  const before = getBackend();
  setBackend("js");
  try {
    const sym = (x: Tensor): Tensor => x.add(x.mT).mul(0.5);
    const e = make(F.eigh_inputs.n3, true);
    const eighLoss = (x: Tensor): Tensor => {
      const { eigenvalues: l, eigenvectors: v } = linalg.eigh(sym(x));
      return l.mul(weights(l.shape)).sum().add(v.pow(4).mul(weights(v.shape)).sum());
    };
    assert.ok(dt.gradcheck(eighLoss, [e]));
    assert.ok(dt.gradgradcheck(eighLoss, [e]));
    assert.ok(dt.gradcheck((x) => linalg.eigvalsh(sym(x)), [make(F.eigh_inputs.batch, true)]));
    const svdLoss = (x: Tensor): Tensor => {
      const { U, S, Vh } = linalg.svd(x, { fullMatrices: false });
      return S.sum().add(U.matmul(Vh).mul(weights([...x.shape])).sum()).add(U.pow(4).mul(weights(U.shape)).sum());
    };
    for (const name of ["tall", "wide", "square", "batch", "wide_batch", "n1"]) assert.ok(dt.gradcheck(svdLoss, [make(F.svd_inputs[name], true)]), name);
    assert.ok(dt.gradgradcheck(svdLoss, [make(F.svd_inputs.tall, true)]));
    assert.ok(dt.gradcheck((x) => linalg.svd(x).S, [make(F.svd_inputs.wide, true)]));
    for (const name of ["tall", "wide", "square"]) {
      assert.ok(dt.gradcheck((x) => linalg.pinv(x), [make(F.svd_inputs[name], true)]), name);
      assert.ok(dt.gradgradcheck((x) => linalg.pinv(x), [make(F.svd_inputs[name], true)]), name);
    }
  } finally {
    setBackend(before);
  }
});

test("PyTorch's errors: UPLO, non-square, integer dtypes, options", () => {
  assert.throws(() => linalg.eigh(dt.eye(2), "X" as never), /^Error: linalg\.eigh: Expected UPLO argument to be 'L' or 'U', but got X$/);
  assert.throws(() => linalg.eigvalsh(dt.zeros([2, 3])), /^Error: linalg\.eigvalsh: A must be batches of square matrices, but they are 2 by 3 matrices$/);
  assert.throws(() => linalg.eigh(dt.eye(2).long()), /^Error: linalg\.eigh: Expected a floating point or complex tensor as input\. Got Long/);
  assert.throws(() => linalg.svd(dt.eye(2).int()), /^Error: linalg\.svd: Expected a floating point or complex tensor as input\. Got Int/);
  assert.throws(() => linalg.svd(dt.ones([3])), /^Error: linalg\.svd: The input tensor A must have at least 2 dimensions/);
  assert.throws(() => linalg.svd(dt.eye(2), { fullMatrices: "no" as never }), /^Error: linalg\.svd: fullMatrices must be true or false, got no$/);
  assert.throws(() => linalg.svd(dt.eye(2), { full_matrices: false } as never), /linalg\.svd/);
  assert.throws(() => linalg.pinv(dt.eye(2), { atol: -1 }), /^Error: linalg\.pinv: atol must be a non-negative number, got -1$/);
  assert.throws(() => linalg.pinv(dt.zeros([2, 3]), { hermitian: true }), /^Error: linalg\.pinv: A must be batches of square matrices/);
  assert.throws(() => linalg.matrixRank(dt.eye(2).long()), /^Error: linalg\.matrixRank: Expected a floating point or complex tensor as input\. Got Long/);
  assert.throws(() => dt.pinverse(dt.eye(2), -1), /^Error: pinverse: rcond must be a non-negative number, got -1$/);
});

test("empty batches and 0-sized matrices: shapes as PyTorch's", () => {
  const { eigenvalues, eigenvectors } = linalg.eigh(dt.zeros([0, 3, 3]));
  assert.deepEqual([[...eigenvalues.shape], [...eigenvectors.shape]], [[0, 3], [0, 3, 3]]);
  assert.deepEqual([...linalg.eigvalsh(dt.zeros([0, 0])).shape], [0]);
  const full = linalg.svd(dt.zeros([3, 0]));
  assert.deepEqual([[...full.U.shape], [...full.S.shape], [...full.Vh.shape]], [[3, 3], [0], [0, 0]]);
  assert.deepEqual(full.U.tolist(), dt.eye(3).tolist());
  const red = linalg.svd(dt.zeros([2, 0, 4]), { fullMatrices: false });
  assert.deepEqual([[...red.U.shape], [...red.S.shape], [...red.Vh.shape]], [[2, 0, 0], [2, 0], [2, 0, 4]]);
  assert.deepEqual([...linalg.pinv(dt.zeros([3, 0])).shape], [0, 3]);
  assert.deepEqual(linalg.pinv(dt.zeros([2, 3])).tolist(), dt.zeros([3, 2]).tolist());
  assert.equal(linalg.matrixRank(dt.zeros([3, 0])).item(), 0);
});
