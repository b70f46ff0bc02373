// Class-style custom autograd Functions: PyTorch's values and gradients for a two-output Function
// (scripts/fixtures/autograd.py), float64 gradchecks of first and second order, ctx features and
// the errors for wrong backward results.
import { test } from "node:test";
import assert from "node:assert/strict";
import { autograd, gradcheck, grad, noGrad, Tensor, tensor, ones } from "../src/index.js";
import { FIX, assertClose, dec, f64 } from "./autograd-helpers.js";

class ScaleAndSum extends autograd.Function {
  static override forward(ctx: autograd.FunctionCtx, x: Tensor, w: Tensor, k: number): [Tensor, Tensor] {
    ctx.saveForBackward(x, w);
    ctx.k = k;
    return [x.mul(w).mul(k), x.exp().mul(w).sum()];
  }

  static override backward(ctx: autograd.FunctionCtx, g1: Tensor, g2: Tensor): [Tensor, Tensor, null] {
    const [x, w] = ctx.savedTensors as [Tensor, Tensor];
    const k = ctx.k as number;
    return [g1.mul(w).mul(k).add(g2.mul(x.exp()).mul(w)), g1.mul(x).mul(k).add(g2.mul(x.exp())), null];
  }
}

class Cube extends autograd.Function {
  static override forward(ctx: autograd.FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.pow(3);
  }

  static override backward(ctx: autograd.FunctionCtx, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    return g.mul(x!.square()).mul(3);
  }
}

test("a two-output Function: values, first- and second-order gradients equal PyTorch's", () => {
  const C = FIX.custom;
  const x = dec(C.x, true);
  const w = dec(C.w, true);
  const [o1, o2] = ScaleAndSum.apply(x, w, 3);
  assertClose([o1, o2], [C.o1, C.o2]);
  assert.equal(o1.gradFn!.name, "ScaleAndSum");
  assert.match(String(o2), /gradFn=<ScaleAndSumBackward>/);
  const loss = o1.pow(2).sum().add(o2.mul(o2));
  const [gx, gw] = grad(loss, [x, w], { createGraph: true });
  assertClose([gx, gw], [C.gx, C.gw]);
  const [ggx, ggw] = grad(gx!.sum().add(gw!.pow(2).sum()), [x, w]);
  assertClose([ggx, ggw], [C.ggx, C.ggw]);
  // Only the first output used: backward gets zeros for the second (PyTorch materializes them).
  const x2 = dec(C.x, true);
  ScaleAndSum.apply(x2, w.detach(), 3)[0].sum().backward();
  assertClose(x2.grad, C.x_grad_first_output_only);
});

test("gradcheck in float64: first order, second order, and through both outputs", () => {
  const x = f64([[0.2, -0.5, 1.0], [0.3, 0.8, -1.2]], true);
  const w = f64([0.5, -1.5, 2.0], true);
  assert.equal(gradcheck((a, b) => { const [p, q] = ScaleAndSum.apply(a, b, 0.7); return p.add(q); }, [x, w]), true);
  assert.equal(gradcheck((a) => Cube.apply(a), [x]), true);
  assert.equal(gradcheck((a) => grad(Cube.apply(a).sum(), a, { createGraph: true })[0]!, [x]), true);
  assert.equal(gradcheck((a, b) => grad(ScaleAndSum.apply(a, b, 2)[1], [a, b], { createGraph: true })[0]!, [x, w]), true);
});

test("ctx: needsInputGrad, markNonDifferentiable, setMaterializeGrads, and apply outside a graph", () => {
  let needs: readonly boolean[] = [];
  let received: (Tensor | null)[] = [];
  class ArgMaxAndValue extends autograd.Function {
    static override forward(ctx: autograd.FunctionCtx, x: Tensor, y: Tensor, tag: string): [Tensor, Tensor, Tensor] {
      needs = ctx.needsInputGrad;
      ctx.setMaterializeGrads(false);
      const idx = x.argmax();
      const doubled = x.add(y);
      const asFloat = idx.double();
      ctx.markNonDifferentiable(asFloat);
      void tag;
      return [doubled, idx, asFloat];
    }

    static override backward(_ctx: autograd.FunctionCtx, ...g: (Tensor | null)[]): (Tensor | null)[] {
      received = g;
      return [g[0], null, null];
    }
  }
  const x = f64([1, 3, 2], true);
  const y = f64([0, 0, 0]);
  const [d, idx, asFloat] = ArgMaxAndValue.apply(x, y, "t");
  assert.deepEqual(needs, [true, false, false]);
  assert.equal(idx.requiresGrad, false, "integer outputs carry no gradient");
  assert.equal(asFloat.requiresGrad, false, "marked non-differentiable");
  assert.equal(d.requiresGrad, true);
  d.sum().backward();
  assert.deepEqual(x.grad!.tolist(), [1, 1, 1]);
  assert.equal(received[1], null);
  assert.equal(received[2], null, "with setMaterializeGrads(false) missing gradients are null");
  const out = noGrad(() => Cube.apply(x));
  assert.equal(out.requiresGrad, false);
  assert.equal(out.gradFn, null);
});

test("a forward returning its input keeps the input's own graph; saved tensors are version-checked", () => {
  class Ident extends autograd.Function {
    static override forward(_ctx: autograd.FunctionCtx, x: Tensor): Tensor {
      return x;
    }

    static override backward(_ctx: autograd.FunctionCtx, g: Tensor): Tensor {
      return g.mul(2);
    }
  }
  const x = f64([1, 2], true);
  const y = Ident.apply(x);
  assert.notEqual(y, x);
  assert.equal(x.isLeaf, true);
  y.sum().backward();
  assert.deepEqual(x.grad!.tolist(), [2, 2]);

  const a = f64([1, 2], true);
  const h = a.mul(1);
  const c = Cube.apply(h);
  noGrad(() => h.add_(1));
  assert.throws(() => c.sum().backward(), /Cube\.backward: saved tensor 0 \(shape \[2\]\) was modified in place after saveForBackward/);
  const c2 = Cube.apply(a);
  c2.sum().backward();
  assert.throws(() => c2.sum().backward(), /saved tensors were freed by an earlier backward/);
});

test("wrong backward results and bad calls throw errors naming the Function and the fix", () => {
  const x = f64([1, 2], true);
  class TooFew extends autograd.Function {
    static override forward(_c: autograd.FunctionCtx, a: Tensor, _b: Tensor): Tensor { return a.add(_b); }
    static override backward(_c: autograd.FunctionCtx, g: Tensor): Tensor { return g; }
  }
  assert.throws(() => TooFew.apply(x, x).sum().backward(), /TooFew\.backward: returned 1 gradient\(s\) but forward took 2 argument\(s\)/);
  class BadShape extends autograd.Function {
    static override forward(_c: autograd.FunctionCtx, a: Tensor): Tensor { return a.sum(); }
    static override backward(): Tensor { return ones([3], { dtype: "float64" }); }
  }
  assert.throws(() => BadShape.apply(x).backward(), /BadShape\.backward: returned a gradient of shape \[3\] at position 0 for an input of shape \[2\]/);
  class Broadcast extends autograd.Function {
    static override forward(_c: autograd.FunctionCtx, a: Tensor): Tensor { return a.sum(); }
    static override backward(): Tensor { return ones([4, 2], { dtype: "float64" }); }
  }
  const z = f64([1, 2], true);
  Broadcast.apply(z).backward();
  assert.deepEqual(z.grad!.tolist(), [4, 4], "a broadcast gradient is summed to the input's shape, as PyTorch");
  class GradForNumber extends autograd.Function {
    static override forward(_c: autograd.FunctionCtx, a: Tensor, _k: number): Tensor { return a.mul(2); }
    static override backward(_c: autograd.FunctionCtx, g: Tensor): Tensor[] { return [g, g]; }
  }
  assert.throws(() => GradForNumber.apply(x, 3).sum().backward(), /returned a gradient at position 1, but forward argument 1 is not a tensor/);
  class NoForward extends autograd.Function {}
  assert.throws(() => NoForward.apply(), /NoForward\.forward: a custom autograd Function must define static forward/);
  class NoBackward extends autograd.Function {
    static override forward(_c: autograd.FunctionCtx, a: Tensor): Tensor { return a.mul(2); }
  }
  assert.throws(() => NoBackward.apply(x).sum().backward(), /NoBackward\.backward: a custom autograd Function must define static backward/);
  class ReturnsNumber extends autograd.Function {
    static override forward(): number { return 3; }
  }
  assert.throws(() => ReturnsNumber.apply(), /ReturnsNumber\.forward: must return a Tensor or an array of tensors, got number/);
  class SavesNumber extends autograd.Function {
    static override forward(c: autograd.FunctionCtx, a: Tensor): Tensor { c.saveForBackward(a, 3 as never); return a; }
  }
  assert.throws(() => SavesNumber.apply(x), /SavesNumber\.forward: saveForBackward takes tensors \(or null\), argument 1 is number/);
  void tensor;
});

test("gradgradcheck verifies double backward, and catches a backward that is not differentiable", () => {
  const x = f64([[0.2, -0.5, 1.0], [0.3, 0.8, -1.2]], true);
  const w = f64([0.5, -1.5, 2.0], true);
  assert.equal(autograd.gradgradcheck((a) => Cube.apply(a), [x]), true);
  assert.equal(autograd.gradgradcheck((a, b) => ScaleAndSum.apply(a, b, 1.5)[0], [x, w]), true);
  class DetachedCube extends autograd.Function {
    static override forward(ctx: autograd.FunctionCtx, a: Tensor): Tensor {
      ctx.saveForBackward(a);
      return a.pow(3);
    }

    static override backward(ctx: autograd.FunctionCtx, g: Tensor): Tensor {
      const [a] = ctx.savedTensors;
      return g.mul(a!.detach().square()).mul(3); // right values, but cut off from a's graph
    }
  }
  assert.equal(gradcheck((a) => DetachedCube.apply(a), [x]), true, "first order is right");
  assert.throws(() => autograd.gradgradcheck((a) => DetachedCube.apply(a), [x]), /gradcheck: input 0 \(shape \[2,3\]\), element 0: analytical gradient/);
});

test("ctx.markDirty: an in-place forward returns the input itself, which takes the Function's node", () => {
  class Double_ extends autograd.Function {
    static override forward(ctx: autograd.FunctionCtx, x: Tensor): Tensor {
      x.mul_(2);
      ctx.markDirty(x);
      return x;
    }

    static override backward(_ctx: autograd.FunctionCtx, g: Tensor): Tensor {
      return g.mul(2);
    }
  }
  const a = f64([1, -2], true);
  const h = a.mul(1);
  const y = Double_.apply(h);
  assert.equal(y, h, "the modified input is the output (PyTorch returns the same tensor)");
  assert.equal(h.gradFn!.name, "Double_");
  assert.deepEqual(h.tolist(), [2, -4]);
  y.mul(y).sum().backward(); // d/da (2a)^2 = 8a
  assert.deepEqual(a.grad!.tolist(), [8, -16]);

  const b = f64([1, 2], true);
  const k = b.mul(1);
  const sq = k.mul(k); // saves k
  Double_.apply(k);
  assert.throws(() => sq.sum().backward(), /modified in place afterwards/);
  assert.throws(() => Double_.apply(f64([1], true)), /Double_\.apply: input 0 is a leaf that requires grad and ctx\.markDirty says forward modified it in place/);
  class Forgets extends autograd.Function {
    static override forward(ctx: autograd.FunctionCtx, x: Tensor): Tensor {
      ctx.markDirty(x);
      return x.mul(2);
    }
  }
  assert.throws(() => Forgets.apply(f64([1], true).mul(1)), /Forgets\.forward: input 0 was passed to ctx\.markDirty but not returned/);
});

test("a gradient a Function's backward keeps is not a leaf's .grad", () => {
  const kept: Tensor[] = [];
  class Keep extends autograd.Function {
    static override forward(_ctx: autograd.FunctionCtx, x: Tensor): Tensor {
      return x.mul(2);
    }
    static override backward(_ctx: autograd.FunctionCtx, g: Tensor): Tensor {
      const r = g.mul(2);
      kept.push(r);
      return r;
    }
  }
  const x = tensor([1, 2], { dtype: "float64", requiresGrad: true });
  (Keep.apply(x) as Tensor).sum().backward();
  assert.deepEqual(x.grad!.tolist(), [2, 2]);
  assert.equal(kept.length, 1);
  assert.notEqual(kept[0].storage, x.grad!.storage);
  kept[0].mul_(0);
  assert.deepEqual(x.grad!.tolist(), [2, 2]);
});
