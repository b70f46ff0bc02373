// Session 13 (helper deptha): F.lpPool1d / F.lpPool2d and nn.LPPool1d / nn.LPPool2d against torch 1.13's
// lp_pool1d/2d: values and gradients of sum(W * output) from test/fixtures/s13a.json
// (scripts/fixtures/s13a.py), float32 and float64, js and wasm at 1 and 2 threads; printout and errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor, type Tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";
import { FIX, fromFixture, closeTo, onBackends, type FixtureTensor, outputWeights } from "./fixture-s13a.js";

const F = nn.functional;
const FNS: Record<string, (x: Tensor) => Tensor> = {
  "lpPool1d": (x) => F.lpPool1d(x, 2, 3),
  "lpPool1d:stride": (x) => new nn.LPPool1d(3, 4, 2).call(x),
  "lpPool1d:ceil": (x) => F.lpPool1d(x, 1.5, 3, 2, true),
  "lpPool2d": (x) => new nn.LPPool2d(2, 2).call(x),
  "lpPool2d:rect": (x) => F.lpPool2d(x, 4, [3, 2], { stride: [2, 3] }),
  "lpPool2d:ceil": (x) => new nn.LPPool2d(2, 2, { ceilMode: true }).call(x),
  "lpPool2d:one": (x) => F.lpPool2d(x, 2, 1),
};

interface Case { inputs: FixtureTensor[]; output: FixtureTensor; grads?: (FixtureTensor | null)[] }

test("lpPool1d, lpPool2d and their layers: values and gradients as torch 1.13", () => {
  const names = Object.keys(FIX).filter((k) => k.startsWith("lpPool"));
  assert.equal(names.length, Object.keys(FNS).length * 2);
  onBackends((label) => {
    for (const name of names) {
      const c = FIX[name] as unknown as Case;
      const dtype = name.endsWith("float32") ? "float32" : "float64";
      const [rtol, atol] = dtype === "float32" ? [3e-6, 1e-6] : [1e-13, 1e-14];
      const x = fromFixture(c.inputs[0]);
      if (c.grads) x.requiresGrad_();
      const out = FNS[name.slice(0, name.lastIndexOf(":"))](x);
      closeTo(out, c.output, `${label} ${name}`, rtol, atol);
      if (c.grads) {
        const W = outputWeights(out);
        out.mul(W).sum().backward();
        // float32: (Σ xᵖ)^(1/p − 1) amplifies the rounding of a window sum near 0 (odd p): looser there.
        closeTo(x.grad!, c.grads[0]!, `${label} ${name} grad`, dtype === "float32" ? 1e-4 : rtol, atol);
      }
    }
  });
});

test("lpPool: small values, printout, options forms and errors", () => {
  // torch: lp_pool2d([[1, -2], [3, 4]], 2, 2) = sqrt(30) = 5.4772; p = 1: the sum 6 (sign kept by pow of the sum)
  const x = tensor([[[[1, -2], [3, 4]]]], { dtype: "float64" });
  assert.ok(Math.abs((F.lpPool2d(x, 2, 2).item() as number) - Math.sqrt(30)) < 1e-12);
  assert.equal(F.lpPool2d(x, 1, 2).item(), 6);
  // PyTorch's printout: LPPool1d(norm_type=2, kernel_size=3, stride=None, ceil_mode=False), LPPool2d(norm_type=2.5, kernel_size=(3, 2), stride=2, ceil_mode=True)
  assert.equal(String(new nn.LPPool1d(2, 3)), "LPPool1d(norm_type=2, kernel_size=3, stride=None, ceil_mode=False)");
  assert.equal(String(new nn.LPPool2d(2.5, [3, 2], 2, true)), "LPPool2d(norm_type=2.5, kernel_size=(3, 2), stride=2, ceil_mode=True)");
  assert.deepEqual(F.lpPool1d(x.reshape([1, 4]), 2, 2, { ceilMode: false }).tolist(), F.lpPool1d(x.reshape([1, 4]), 2, 2).tolist());
  throwsWith(() => F.lpPool2d(x, 0, 2), "lpPool2d: normType must be a non-zero number (2 for L2 pooling), got number 0");
  throwsWith(() => new nn.LPPool1d("2" as never, 2), 'LPPool1d: normType must be a non-zero number (2 for L2 pooling), got string "2"');
  throwsWith(() => F.lpPool1d(x.reshape([1, 4]), 2, 0), "lpPool1d: kernelSize must be an integer >= 1, got number 0");
  throwsWith(() => F.lpPool2d(x.reshape([4]), 2, 2), "lpPool2d: expected input [N, C, H, W] or [C, H, W], got shape [4]");
  throwsWith(() => F.lpPool2d(x, 2, 2, 1, "yes" as never), 'lpPool2d: ceilMode must be true or false, got string "yes"');
  throwsWith(() => new nn.LPPool2d(2, 2, { ceil: true } as never), /^LPPool2d: unknown option 'ceil'/);
});
