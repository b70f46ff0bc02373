// linalg.svdvals (src/ops/linalg-svd.ts) and the nuclear / spectral matrix norms built on it
// (src/ops/linalg-norm.ts), against PyTorch 1.13 (test/fixtures/mutation-ops-svd.json, written by
// scripts/fixtures/mutation_ops_svd.py): tall, wide, square, batched, rank-deficient and diagonal
// matrices, values and gradients. Only opinfo.test.ts reached this code before, which a mutation run
// of src/ops does not rerun per mutant (docs/mutation/history.md, "src/ops").
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as dt from "../src/index.js";
import { linalg, type Tensor } from "../src/index.js";

interface Norm { value: number[]; grad: number[] }
interface Case { svdvals: number[]; shape: number[]; grad?: number[]; nuc?: Norm; two: Norm; minus_two?: Norm }
const F = JSON.parse(readFileSync(new URL("./fixtures/mutation-ops-svd.json", import.meta.url), "utf8")) as
  { inputs: Record<string, { shape: number[]; data: number[] }>; dims02: { input: number[]; nuc_keepdim: number[]; shape: number[]; two_dims_2_0: number[] } } & Record<string, Case>;

const input = (name: string, requiresGrad = false): Tensor =>
  dt.tensor(F.inputs[name].data, { dtype: "float64", requiresGrad }).reshape(F.inputs[name].shape).detach().requiresGrad_(requiresGrad);

function close(got: ArrayLike<number>, want: number[], what: string, tol = 1e-9): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i])), `${what}[${i}]: ${got[i]} vs PyTorch ${want[i]}`);
}

for (const name of Object.keys(F.inputs)) {
  test(`svdvals of the ${name} matrix: values (descending) and gradient as PyTorch's`, () => {
    const x = input(name, true);
    const s = linalg.svdvals(x);
    assert.deepEqual([...s.shape], F[name].shape);
    close(s.data(), F[name].svdvals, `${name} svdvals`);
    const w = dt.arange(1, s.numel() + 1, { dtype: "float64" }).reshape(s.shape);
    s.mul(w).sum().backward();
    // Not for the rank-1 matrix: at a zero singular value the gradient is not unique.
    if (F[name].grad) close(x.grad!.data(), F[name].grad!, `${name} gradient`, 1e-7);
  });

  test(`matrix norms "nuc", 2 and -2 of the ${name} matrix: values and gradients as PyTorch's`, () => {
    for (const [key, ord] of [["nuc", "nuc"], ["two", 2], ["minus_two", -2]] as const) {
      const ref = F[name][key];
      if (!ref) continue;
      const x = input(name, true);
      const n = linalg.matrixNorm(x, ord);
      close(n.data(), ref.value, `${name} ${key}`);
      n.sum().backward();
      close(x.grad!.data(), ref.grad, `${name} ${key} gradient`, 1e-7);
    }
  });
}

test("float32 svdvals agree with float64's to float32 precision, and come back in float32", () => {
  const s = linalg.svdvals(input("tall").float());
  assert.equal(s.dtype, "float32");
  close(s.data(), F.tall.svdvals, "float32 svdvals", 1e-5);
});

test("matrix norms over dims other than the last two, with keepdim, as PyTorch's", () => {
  const x = dt.tensor(F.dims02.input, { dtype: "float64" }).reshape([2, 3, 2]);
  const k = linalg.matrixNorm(x, "nuc", [0, 1], true);
  assert.deepEqual([...k.shape], F.dims02.shape);
  close(k.data(), F.dims02.nuc_keepdim, "nuc over dims (0, 1), keepdim");
  close(linalg.matrixNorm(x, 2, [2, 0]).data(), F.dims02.two_dims_2_0, "2-norm over dims (2, 0)");
});

test("svdvals: refuses an integer tensor and a second derivative, naming the op", () => {
  assert.throws(() => linalg.svdvals(dt.tensor([[1, 2], [3, 4]], { dtype: "int64" })), /^Error: linalg\.svdvals: expects a floating point tensor, got int64 \(use x\.float\(\)\)$/);
  const x = input("square", true);
  const [g] = dt.grad(linalg.svdvals(x).sum(), [x], { createGraph: true });
  assert.throws(() => g!.sum().backward(), /^Error: backward: linalg\.svdvals: the gradient of its gradient is not implemented; differentiate singular values \(and the nuclear and spectral norms\) once only$/);
});
