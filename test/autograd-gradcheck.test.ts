// gradcheck and gradgradcheck themselves (src/autograd/gradcheck.ts): that they fail when a
// gradient is wrong anywhere (every output element weighted, every input element perturbed,
// views and offsets included), honour eps/atol/rtol, and that gradgradcheck checks the
// derivative in the output gradient too. Written for the mutants that survived (docs/testing.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import { autograd, gradcheck, Tensor, tensor } from "../src/index.js";

const f64 = (v: number[] | number[][], requiresGrad = true): Tensor => tensor(v, { dtype: "float64", requiresGrad });

/** y = 2x elementwise, whose backward is wrong (×3) for output element `bad` only. */
function wrongAt(bad: number): (x: Tensor) => Tensor {
  class Twice extends autograd.Function {
    static override forward(_c: autograd.FunctionCtx, x: Tensor): Tensor {
      return x.mul(2);
    }
    static override backward(_c: autograd.FunctionCtx, g: Tensor): Tensor {
      const scale = tensor(Array.from({ length: g.numel() }, (_, i) => (i === bad ? 3 : 2)), { dtype: "float64" }).reshape(g.shape);
      return g.mul(scale);
    }
  }
  return (x) => Twice.apply(x);
}

test("gradcheck finds a wrong gradient at any output element (every weight non-zero) and names the element", () => {
  const x = f64([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4]);
  assert.equal(gradcheck(wrongAt(-1), [x]), true);
  for (const bad of [0, 1, 12, 13]) {
    assert.throws(() => gradcheck(wrongAt(bad), [x]), new RegExp(`^Error: gradcheck: input 0 \\(shape \\[14\\]\\), element ${bad}: analytical gradient`));
  }
});

test("gradcheck names the input by its position among all inputs; unused inputs pass with zero gradients", () => {
  const c = f64([1, 2], false);
  const x = f64([0.5, 1.5]);
  const unused = f64([3]);
  assert.equal(gradcheck((a, b, u) => a.mul(b).sum().add(u.mul(0).sum()), [c, x, unused]), true);
  assert.equal(gradcheck((a, b) => a.mul(b), [c, x, unused]), true, "an input fn never reads has gradient 0 both ways");
  assert.throws(() => gradcheck((a, b) => a.mul(b.mul(b.detach())), [c, x]), /^Error: gradcheck: input 1 \(shape \[2\]\), element 0: analytical gradient 0.25 differs from numerical 0\.50000000\d* \(atol 0.00001, rtol 0.001\)/);
  assert.throws(() => gradcheck((a) => a.mul(2), [c]), /^Error: gradcheck: no input requires grad$/);
  assert.throws(() => gradcheck((a) => a.float(), [x]), /^Error: gradcheck: fn returned float32; it must return float64 when given float64 inputs$/);
});

test("gradcheck perturbs the right storage element of strided and offset inputs", () => {
  // A transposed leaf (strides [1, 2]) and a leaf that starts at offset 2 of its storage.
  const t = f64([[1, 2, 3], [4, 5, 6]], false).t().detach().requiresGrad_(true);
  assert.deepEqual(t.strides, [1, 3]);
  const weights = f64([[1, 2], [3, 4], [5, 6]], false);
  assert.equal(gradcheck((a) => a.mul(weights).pow(2).sum(), [t]), true);
  const o = f64([9, 9, 1, 2, 3], false).narrow(0, 2, 3).detach().requiresGrad_(true);
  assert.equal(o.offset, 2);
  const w3 = f64([1, -2, 3], false);
  assert.equal(gradcheck((a) => a.mul(w3).pow(2), [o]), true);
  assert.deepEqual(o.storage.data, new Float64Array([9, 9, 1, 2, 3]), "the perturbations were undone");
  // And a wrong gradient at the last element of the transposed input is found there.
  class LastWrong extends autograd.Function {
    static override forward(_c: autograd.FunctionCtx, x: Tensor): Tensor {
      return x.mul(x).sum();
    }
    static override backward(c: autograd.FunctionCtx, g: Tensor): Tensor {
      void c;
      const x = last!;
      const m = tensor([1, 1, 1, 1, 1, 1.5], { dtype: "float64" }).reshape(x.shape);
      return x.mul(2).mul(m).mul(g);
    }
  }
  let last: Tensor | null = t;
  assert.throws(() => gradcheck((a) => LastWrong.apply(a), [t]), /^Error: gradcheck: input 0 \(shape \[3,2\]\), element 5: analytical gradient 9 differs from numerical 5\.9999999\d* /);
  last = null;
});

test("gradcheck's eps, atol and rtol: a gradient 1% off passes or fails as the tolerances say", () => {
  class OnePercentOff extends autograd.Function {
    static override forward(_c: autograd.FunctionCtx, x: Tensor): Tensor {
      return x.mul(100);
    }
    static override backward(_c: autograd.FunctionCtx, g: Tensor): Tensor {
      return g.mul(101);
    }
  }
  const f = (a: Tensor): Tensor => OnePercentOff.apply(a);
  const x = f64([1]); // one element: weight 0.5, so numerical 50, analytical 50.5
  assert.throws(() => gradcheck(f, [x]), /analytical gradient 50.5 differs from numerical (49\.99999|50\.00000)\d* \(atol 0\.00001, rtol 0\.001\)/);
  assert.equal(gradcheck(f, [x], { rtol: 0.0101 }), true);
  assert.throws(() => gradcheck(f, [x], { rtol: 0.0099 }), /rtol 0\.0099/);
  assert.equal(gradcheck(f, [x], { atol: 0.51, rtol: 0 }), true);
  assert.throws(() => gradcheck(f, [x], { atol: 0.49, rtol: 0 }), /atol 0\.49, rtol 0\)/);
  // The tolerance is inclusive: with exactly representable values, |numerical − analytical| = atol passes.
  class Off extends autograd.Function {
    static override forward(_c: autograd.FunctionCtx, a: Tensor): Tensor {
      return a.mul(4);
    }
    static override backward(_c: autograd.FunctionCtx, g: Tensor): Tensor {
      return g.mul(4.5);
    }
  }
  const zero = f64([0]); // weight 0.5: numerical (2 − (−2)) · 0.5 / 1 = 2, analytical 0.5 · 4.5 = 2.25
  assert.equal(gradcheck((a) => Off.apply(a), [zero], { eps: 0.5, atol: 0.25, rtol: 0 }), true);
  assert.throws(() => gradcheck((a) => Off.apply(a), [zero], { eps: 0.5, atol: 0.2499, rtol: 0 }), /analytical gradient 2\.25 differs from numerical 2 /);
  // eps: central differences of x³ at 1 are off by eps² (3 + eps²): a huge eps fails, the default passes.
  const cube = (a: Tensor): Tensor => a.pow(3);
  assert.equal(gradcheck(cube, [x]), true);
  assert.throws(() => gradcheck(cube, [x], { eps: 0.5 }), /analytical gradient 1\.5 differs from numerical 1\.625 /);
  assert.equal(gradcheck(cube, [x], { eps: 0.5, atol: 0.13 }), true);
});

test("gradgradcheck also checks the derivative in the output gradient, and its bad calls", () => {
  // Right values in first order and in x, but d(backward)/d(g) is 3x² + 5 instead of 3x².
  class CubeBadInG extends autograd.Function {
    static override forward(ctx: autograd.FunctionCtx, x: Tensor): Tensor {
      ctx.saveForBackward(x);
      return x.pow(3);
    }
    static override backward(ctx: autograd.FunctionCtx, g: Tensor): Tensor {
      const [x] = ctx.savedTensors;
      return g.mul(x!.square()).mul(3).add(g.sub(g.detach()).mul(5));
    }
  }
  const x = f64([0.5, -1]);
  assert.equal(gradcheck((a) => CubeBadInG.apply(a), [x]), true);
  assert.throws(() => autograd.gradgradcheck((a) => CubeBadInG.apply(a), [x]), /^Error: gradgradcheck: gradcheck: input 1 \(shape \[2\]\), element 0: analytical gradient/);
  // With given gradOutputs (of the right shape) it checks the same way.
  const go = f64([0.3, -0.7]);
  assert.equal(autograd.gradgradcheck((a) => a.pow(3), [x], { gradOutputs: go }), true);
  assert.throws(() => autograd.gradgradcheck((a) => CubeBadInG.apply(a), [x], { gradOutputs: go }), /input 1 \(shape \[2\]\)/);
  assert.throws(() => autograd.gradgradcheck((a) => a.pow(3), [x], { gradOutputs: f64([1, 2, 3]) }), /^Error: gradgradcheck: gradOutputs has shape \[3\] but fn returns shape \[2\]$/);
  assert.throws(() => autograd.gradgradcheck((a) => a.pow(3), [x], { gradOutputs: f64([[1, 2]]) }), /gradOutputs has shape \[1,2\]/);
  assert.throws(() => autograd.gradgradcheck((a) => a.pow(3).reshape([1, 2]).expand([2, 2]), [x], { gradOutputs: f64([[1, 2, 3], [4, 5, 6]]) }), /^Error: gradgradcheck: gradOutputs has shape \[2,3\] but fn returns shape \[2,2\]$/);
  assert.throws(() => autograd.gradgradcheck((a) => a.pow(3).reshape([2, 1]), [x], { gradOutputs: go }), /^Error: gradgradcheck: gradOutputs has shape \[2\] but fn returns shape \[2,1\]$/);
  assert.throws(() => autograd.gradgradcheck((a) => a.pow(3), [f64([1], false)]), /^Error: gradgradcheck: no input requires grad$/);
  const c = f64([1, 2], false);
  const other = f64([1, 1]);
  assert.throws(() => autograd.gradgradcheck((a, b) => other.mul(b), [x, c]), /^Error: gradgradcheck: fn's output does not depend on any input that requires grad$/);
  // With two inputs both first-order gradients are checked: a wrong double backward in the second is found.
  assert.throws(() => autograd.gradgradcheck((a, b) => a.pow(3).add(CubeBadInG.apply(b)), [x, f64([0.3, 0.6])]), /^Error: gradgradcheck: gradcheck: input 2 \(shape \[2\]\), element \d: analytical gradient/);
  assert.equal(autograd.gradgradcheck((a, b) => a.pow(3).add(b.pow(3)), [x, f64([0.3, 0.6])]), true);
  // A non-differentiable input between differentiable ones, and the tolerances passed through.
  assert.equal(autograd.gradgradcheck((a, b, d) => a.pow(3).mul(b).add(d.square()), [x, c, f64([0.2, 0.4])]), true);
  assert.equal(autograd.gradgradcheck((a) => a.pow(4), [x]), true);
  assert.throws(() => autograd.gradgradcheck((a) => a.pow(4), [x], { eps: 0.5 }), /differs from numerical/);
});
