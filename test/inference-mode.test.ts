// inferenceMode allows and refuses exactly what PyTorch 1.13's inference_mode does: an inference
// tensor may take part in a recorded op unless that op saves it for backward (w.add(i) records,
// w.mul(i) throws), it cannot be modified in place or made to require grad outside the mode, and a
// view of a normal tensor taken inside the mode stays normal. The expectations come from PyTorch
// (scripts/fixtures/inference_mode.py -> test/fixtures/inference-mode.json); the calls are the same
// named cases written in deeptype.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Tensor, autograd, cat, inferenceMode, nn, noGrad, ones, stack, tensor, where, zeros } from "../src/index.js";

const F = nn.functional;
type Want = { raises: true; error: string } | { raises: false; inference: boolean; requiresGrad: boolean };
const fixture = JSON.parse(readFileSync(new URL("./fixtures/inference-mode.json", import.meta.url), "utf8")) as {
  inside: Record<string, Want>; outside: Record<string, Want>;
};

function check(name: string, want: Want, f: () => Tensor): void {
  if (want.raises) {
    // PyTorch's message says "cannot be saved for backward" / "outside InferenceMode"; ours names the op too.
    assert.throws(f, /inference tensor/, `${name}: PyTorch raises "${want.error}"`);
    return;
  }
  const r = f();
  assert.deepEqual({ inference: r.isInference(), requiresGrad: r.requiresGrad }, { inference: want.inference, requiresGrad: want.requiresGrad }, name);
}

test("inferenceMode: the calls PyTorch 1.13 allows and refuses, with the same results", () => {
  const n = ones([3]);
  const inside: Record<string, () => Tensor> = {};
  let i!: Tensor, idx!: Tensor, viewOfNormal!: Tensor, src!: Tensor, bias!: Tensor, img!: Tensor;
  inferenceMode(() => {
    i = ones([3]);
    idx = zeros([1], { dtype: "int64" });
    src = ones([1]);
    bias = ones([1]);
    img = ones([1, 1, 3, 3]);
    viewOfNormal = n.view([3]);
    const madeInside = n.mul(2);
    Object.assign(inside, {
      "view of a normal tensor, taken inside": () => viewOfNormal,
      "op result inside": () => madeInside,
      "in-place on a normal tensor inside": () => n.add_(0),
      "requiresGrad_ on an inference tensor inside": () => i.clone().requiresGrad_(),
      "op on a tensor that requires grad, inside": () => ones([3], { requiresGrad: true }).mul(2),
    });
    for (const [name, f] of Object.entries(inside)) check(name, fixture.inside[name], f);
  });
  const w = ones([3], { requiresGrad: true });
  const outside: Record<string, () => Tensor> = {
    "add(w, inf)": () => w.add(i),
    "sub(w, inf)": () => w.sub(i),
    "add(w, inf, alpha=2)": () => w.add(i, { alpha: 2 }),
    "mul(w, inf)": () => w.mul(i),
    "div(w, inf)": () => w.div(i),
    "maximum(w, inf)": () => w.maximum(i),
    "matmul(w, inf)": () => w.matmul(i),
    "cat([w, inf])": () => cat([w, i]),
    "stack([w, inf])": () => stack([w, i]),
    "where(cond, w, inf)": () => where(n.gt(0), w, i),
    "mse_loss(w, inf)": () => F.mseLoss(w, i),
    "linear(inf, w)": () => F.linear(i.view([1, 3]), w.view([1, 3])),
    "index_select(w, 0, inf index)": () => w.indexSelect(0, idx),
    "gather(w, 0, inf index)": () => w.gather(0, idx),
    "w[inf index]": () => w.get(idx),
    "expand_as(w, inf)": () => w.expandAs(i),
    "inf.sum()": () => i.sum(),
    "inf * 2": () => i.mul(2),
    "inf.view(3)": () => i.view([3]),
    "inf.detach()": () => i.detach(),
    "inf.clone()": () => i.clone(),
    "in-place on inf outside": () => i.add_(1),
    "in-place on inf outside, under no_grad": () => noGrad(() => i.add_(1)),
    "in-place on a normal tensor with an inf operand": () => n.add_(i),
    "in-place on a view taken inside, outside": () => viewOfNormal.add_(0),
    "view taken inside used in autograd": () => w.mul(viewOfNormal).sum(),
    "requiresGrad_ on inf outside": () => i.requiresGrad_(),
    "copy_(inf) into a tensor that requires grad": () => zeros([3], { requiresGrad: true }).clone().copy_(i),
    "index_add(w, 0, idx, inf source)": () => w.indexAdd(0, idx, src),
    "scatter_add(w, 0, idx, inf src)": () => w.scatterAdd(0, idx, src),
    "index_add(w, 0, inf idx, src requiring grad)": () => w.indexAdd(0, idx, ones([1], { requiresGrad: true })),
    "scatter_add(w, 0, inf idx, src requiring grad)": () => w.scatterAdd(0, idx, ones([1], { requiresGrad: true })),
    "scatter(w, 0, idx, inf src)": () => w.scatter(0, idx, src),
    "linear(x, w, inf bias)": () => F.linear(ones([2, 3]), ones([1, 3], { requiresGrad: true }), bias),
    "conv2d(x, w, inf bias)": () => F.conv2d(ones([1, 1, 3, 3]), ones([1, 1, 2, 2], { requiresGrad: true }), bias),
    "conv2d(inf x, w)": () => F.conv2d(img, ones([1, 1, 2, 2], { requiresGrad: true })),
    "cross_entropy(w, inf target)": () => F.crossEntropy(w.view([1, 3]), idx),
  };
  assert.deepEqual(Object.keys(outside).sort(), Object.keys(fixture.outside).sort());
  assert.deepEqual(Object.keys(inside).sort(), Object.keys(fixture.inside).sort());
  for (const [name, f] of Object.entries(outside)) check(name, fixture.outside[name], f);
});

test("inferenceMode: a graph with an unsaved inference operand backpropagates as PyTorch", () => {
  const i = inferenceMode(() => tensor([1, 2, 3]));
  const w = tensor([0.5, -1, 2], { requiresGrad: true });
  // d/dw sum(cat([w + i, w - i]) * [1..6]) = [1+4, 2+5, 3+6]
  cat([w.add(i), w.sub(i)]).mul(tensor([1, 2, 3, 4, 5, 6])).sum().backward();
  assert.deepEqual(Array.from(w.grad!.data()), [5, 7, 9]);
});

test("inferenceMode: an inference bias (never read by backward) gives the gradients a normal one gives", () => {
  const b = inferenceMode(() => tensor([0.5, -1]));
  const x = tensor([[1, 2], [3, 4], [5, 6]], { requiresGrad: true });
  const w = tensor([[1, 0], [2, -1]], { requiresGrad: true });
  nn.functional.linear(x, w, b).mul(tensor([[1, 2], [3, 4], [5, 6]])).sum().backward();
  // d/dw = gᵀx with g = [[1,2],[3,4],[5,6]]; d/dx = g·w
  assert.deepEqual(w.grad!.tolist(), [[35, 44], [44, 56]]);
  assert.deepEqual(x.grad!.tolist(), [[5, -2], [11, -4], [17, -6]]);
});

test("inferenceMode: autograd.Function refuses an inference tensor only when forward saves it", () => {
  class Shift extends autograd.Function {
    static override forward(_ctx: autograd.FunctionCtx, x: Tensor, b: Tensor): Tensor { return x.add(b); }
    static override backward(_ctx: autograd.FunctionCtx, g: Tensor): [Tensor, null] { return [g, null]; }
  }
  class Scale extends autograd.Function {
    static override forward(ctx: autograd.FunctionCtx, x: Tensor, s: Tensor): Tensor { ctx.saveForBackward(s); return x.mul(s); }
    static override backward(ctx: autograd.FunctionCtx, g: Tensor): [Tensor, null] { return [g.mul(ctx.savedTensors[0]!), null]; }
  }
  const i = inferenceMode(() => tensor([1, 2]));
  const w = tensor([3, 4], { requiresGrad: true });
  const y = Shift.apply(w, i);
  y.sum().backward();
  assert.deepEqual(Array.from(w.grad!.data()), [1, 1]);
  assert.throws(() => Scale.apply(w, i), /Scale\.forward: saved tensor 0 \(shape \[2\]\) is an inference tensor .* clone\(\) it outside inferenceMode/);
});
