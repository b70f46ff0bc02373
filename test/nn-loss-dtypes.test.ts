// Losses given a target of another dtype, against PyTorch 1.13 (test/fixtures/loss-dtypes.json, made
// by scripts/fixtures/loss_dtypes.py): the result's dtype and value, and the input's gradient, on both
// backends. Most losses promote (mseLoss(float32, float64) is float64); huberLoss, softMarginLoss and
// hingeEmbeddingLoss compute in the input's dtype, as PyTorch's do. Where PyTorch 1.13's own backward
// of the mixed call fails (mse_loss, huber_loss), the expected gradient is the one computed in the
// output's dtype, which is what deeptype's backward through the cast gives.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { nn, tensor, type DType, Tensor } from "../src/index.js";
import { getBackend, setBackend } from "../src/backend/index.js";

interface T { shape: number[]; dtype: DType; data: number[] }
interface Case { fn: string; opts: Record<string, unknown>; input: T; target: T; output: T; grad: T; torchMixedBackward: string }
const FIX = JSON.parse(readFileSync(new URL("./fixtures/loss-dtypes.json", import.meta.url), "utf8")) as { cases: Case[] };
const F = nn.functional as unknown as Record<string, (x: Tensor, t: Tensor, o: unknown) => Tensor>;
const load = (t: T): Tensor => tensor(t.data, { dtype: t.dtype }).reshape(t.shape);

test("the fixture has the promoting and the input-dtype losses, and an integer target", () => {
  const dtypes = FIX.cases.map((c) => `${c.fn}:${c.target.dtype}->${c.output.dtype}`);
  assert.ok(dtypes.includes("mseLoss:float64->float64") && dtypes.includes("huberLoss:float64->float32") && dtypes.includes("mseLoss:int32->float32"), dtypes.join(" "));
});

for (const backend of ["js", "wasm"]) {
  test(`losses with a target of another dtype give PyTorch's dtype, value and input gradient (${backend})`, () => {
    const before = getBackend();
    setBackend(backend);
    try {
      for (const c of FIX.cases) {
        const where = `${c.fn}(float32, ${c.target.dtype})`;
        const x = load(c.input).requiresGrad_();
        const out = F[c.fn](x, load(c.target), c.opts);
        assert.equal(out.dtype, c.output.dtype, `${where}: dtype`);
        // To float32 precision: PyTorch computes the terms that read only the float32 input in float32
        // even when the result is float64 (binary_cross_entropy_with_logits' softplus: 7e-9 off the
        // float64 value here), deeptype in the promoted dtype.
        const tol = 1e-6;
        const got = out.item(), want = c.output.data[0];
        assert.ok(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)), `${where}: ${got} vs PyTorch's ${want}`);
        out.backward();
        assert.equal(x.grad!.dtype, "float32", `${where}: the gradient is in the input's dtype`);
        const g = Array.from(x.grad!.data());
        c.grad.data.forEach((w, i) => assert.ok(Math.abs(g[i] - w) <= 1e-6 * Math.max(1, Math.abs(w)), `${where}: grad[${i}] ${g[i]} vs ${w}`));
      }
    } finally {
      setBackend(before);
    }
  });
}
