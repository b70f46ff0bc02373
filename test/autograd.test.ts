// Autograd semantics: accumulation, views and broadcasting, retainGrad, detach, noGrad, deep
// chains, freed graphs and retainGraph, in-place rules and version checks, grad().
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  tensor, ones, zeros, arange, cat, randn, Generator, noGrad, enableGrad, isGradEnabled, grad, backward, gradcheck, Tensor, type DType, linear,
} from "../src/index.js";

const f64 = (v: number[] | number[][], requiresGrad = true): Tensor => tensor(v, { dtype: "float64", requiresGrad });
const list = (t: Tensor | null): unknown => {
  assert.ok(t, "expected a gradient, got null");
  return t.tolist();
};

test("gradients accumulate into leaves across two backwards; assigning null resets them", () => {
  const x = f64([1, 2, 3]);
  x.mul(x).sum().backward();
  assert.deepEqual(list(x.grad), [2, 4, 6]);
  x.mul(3).sum().backward();
  assert.deepEqual(list(x.grad), [5, 7, 9]);
  x.grad = null;
  x.sum().backward();
  assert.deepEqual(list(x.grad), [1, 1, 1]);
  assert.equal(x.grad!.requiresGrad, false, "grads are not part of a graph without createGraph");
});

test("a leaf used twice (x * x, and in two branches of different depth) gets the summed gradient", () => {
  const x = f64([2]);
  // y = x*x + exp(x)*x ; dy/dx = 2x + exp(x)(1 + x)
  const a = x.mul(x);
  const b = x.exp().mul(x);
  const y = a.add(b).add(a.mul(0)); // a is used twice (diamond), once with zero weight
  y.sum().backward();
  assert.ok(Math.abs(x.grad!.item() - (4 + Math.exp(2) * 3)) < 1e-12);
});

test("diamond graphs: a shared non-leaf gets every consumer's gradient before its own rule runs", () => {
  const x = f64([0.5, -1]);
  const h = x.tanh(); // shared
  const long = h.mul(2).exp().mul(3).log(); // log(3) + 2h
  const y = h.mul(h).add(long).sum(); // h^2 + 2h + log 3
  y.backward();
  const t = [0.5, -1].map(Math.tanh);
  const expected = t.map((v) => (2 * v + 2) * (1 - v * v));
  (x.grad!.tolist() as number[]).forEach((g, i) => assert.ok(Math.abs(g - expected[i]) < 1e-12, `${g} vs ${expected[i]}`));
});

test("views differentiate: transpose, slicing, select, reshape, expand and broadcasting", () => {
  const x = f64([[1, 2, 3], [4, 5, 6]]);
  x.t().matmul(f64([[1], [10]], false)).sum().backward(); // sum_j (x[0][j] + 10 x[1][j])
  assert.deepEqual(list(x.grad), [[1, 1, 1], [10, 10, 10]]);
  x.grad = null;
  x.get(":", "1:").mul(f64([[1, 2], [3, 4]], false)).sum().backward();
  assert.deepEqual(list(x.grad), [[0, 1, 2], [0, 3, 4]]);
  x.grad = null;
  x.select(1, -1).sum().backward();
  assert.deepEqual(list(x.grad), [[0, 0, 1], [0, 0, 1]]);
  x.grad = null;
  x.reshape([3, 2]).mul(f64([[1, 2], [3, 4], [5, 6]], false)).sum().backward();
  assert.deepEqual(list(x.grad), [[1, 2, 3], [4, 5, 6]]);
  const b = f64([1, 2, 3]);
  const c = f64([[1], [2]]);
  b.add(c).mul(f64([[1, 1, 1], [2, 2, 2]], false)).sum().backward(); // [2,3] = [3] + [2,1]
  assert.deepEqual(list(b.grad), [3, 3, 3]);
  assert.deepEqual(list(c.grad), [[3], [6]]);
  const s = f64([2]);
  s.expand([4]).sum().backward();
  assert.deepEqual(list(s.grad), [4]);
});

test("broadcasting against a 0-d tensor and a scalar: the gradient has the 0-d shape", () => {
  const s = tensor(3, { dtype: "float64", requiresGrad: true });
  const x = f64([1, 2, 3]);
  x.mul(s).add(1).sum().backward();
  assert.deepEqual(s.grad!.shape, []);
  assert.equal(s.grad!.item(), 6);
  assert.deepEqual(list(x.grad), [3, 3, 3]);
});

test("retainGrad keeps a non-leaf's gradient; other non-leaves keep none", () => {
  const x = f64([1, 2]);
  const h = x.mul(3);
  h.retainGrad();
  const k = h.exp();
  k.sum().backward();
  assert.deepEqual(list(h.grad), [Math.exp(3), Math.exp(6)]);
  assert.equal(k.grad, null);
  assert.equal(h.isLeaf, false);
  h.grad = null;
  const [gx] = grad(x.mul(3).exp().sum(), x); // another graph
  assert.ok(gx);
  const h2 = x.mul(2);
  h2.retainGrad();
  grad(h2.sum(), x);
  assert.equal(h2.grad, null, "grad() does not fill retained .grad");
});

test("detach shares storage, has no gradFn and stops gradients", () => {
  const x = f64([1, 2]);
  const d = x.mul(2).detach();
  assert.equal(d.requiresGrad, false);
  assert.equal(d.gradFn, null);
  const y = x.mul(d).sum(); // d is a constant
  y.backward();
  assert.deepEqual(list(x.grad), [2, 4]);
  const e = x.detach();
  noGrad(() => e.add_(10));
  assert.deepEqual(x.tolist(), [11, 12], "detach() shares storage with x");
  // In place on a detached alias while recording: x's graph is untouched, the alias joins w's graph.
  const a = f64([1, 2]);
  const h = a.mul(3);
  const w = f64([5, 7]);
  const alias = h.detach();
  alias.mul_(w);
  assert.deepEqual(h.tolist(), [15, 42]);
  alias.sum().backward();
  assert.deepEqual(list(w.grad), [3, 6]);
  assert.equal(a.grad, null);
  h.sum().backward();
  assert.deepEqual(list(a.grad), [3, 3]);
});

test("noGrad records nothing; enableGrad re-enables inside; modes are restored, also after a throw", () => {
  const x = f64([1]);
  const y = noGrad(() => x.mul(2));
  assert.equal(y.requiresGrad, false);
  assert.equal(y.gradFn, null);
  const z = noGrad(() => enableGrad(() => x.mul(2)));
  assert.equal(z.requiresGrad, true);
  assert.ok(z.gradFn);
  assert.throws(() => noGrad(() => { throw new Error("boom"); }), /boom/);
  assert.equal(isGradEnabled(), true);
  assert.equal(x.mul(2).requiresGrad, true);
});

test("ops on tensors that do not require grad record no graph", () => {
  const a = tensor([1, 2]);
  const b = a.mul(2).exp().sum();
  assert.equal(b.requiresGrad, false);
  assert.equal(b.gradFn, null);
  assert.throws(() => b.backward(), /does not require grad/);
});

test("a 10,000-op chain backpropagates without overflowing the stack", () => {
  const x = f64([1.5]);
  let y: Tensor = x;
  for (let i = 0; i < 10000; i++) y = i % 2 ? y.mul(1.0001) : y.add(0.5);
  y.sum().backward();
  assert.ok(Math.abs(x.grad!.item() - Math.pow(1.0001, 5000)) < 1e-9);
});

test("a second backward through a freed graph throws; retainGraph allows it", () => {
  const x = f64([1, 2]);
  const y = x.exp().sum();
  y.backward();
  assert.throws(() => y.backward(), /saved tensors were freed.*retainGraph/s);
  const x2 = f64([1, 2]);
  const y2 = x2.exp().sum();
  y2.backward(undefined, { retainGraph: true });
  y2.backward();
  assert.deepEqual(list(x2.grad), [2 * Math.exp(1), 2 * Math.exp(2)]);
});

test("createGraph keeps the graph (retainGraph defaults to createGraph) and makes .grad differentiable", () => {
  const x = f64([0.3]);
  const y = x.mul(4).sin();
  y.backward(undefined, { createGraph: true });
  const g = x.grad!;
  assert.ok(g.requiresGrad);
  assert.ok(Math.abs(g.item() - 4 * Math.cos(1.2)) < 1e-12);
  const [gg] = grad(g, x, { retainGraph: true });
  assert.ok(Math.abs(gg!.item() + 16 * Math.sin(1.2)) < 1e-12);
  y.backward(); // the forward graph is still there
  assert.ok(Math.abs(x.grad!.item() - 8 * Math.cos(1.2)) < 1e-12);
});

test("in-place change of a tensor saved for backward throws a clear version error at backward", () => {
  const x = f64([1, 2]);
  const h = x.mul(1);
  const y = h.exp(); // exp saves its output
  y.add_(1);
  assert.throws(() => y.sum().backward(), /exp backward: a tensor of shape \[2\] that this op saved was modified in place afterwards \(version 1, expected 0\)/);
  const a = f64([1, 2]);
  const w = tensor([3, 4], { dtype: "float64" });
  const z = a.mul(w); // mul saves w (needed for a's gradient)
  w.mul_(2);
  assert.throws(() => z.sum().backward(), /mul backward: .*modified in place/);
});

test("in-place on a leaf that requires grad throws outside noGrad and works inside", () => {
  const w = f64([1, 2]);
  assert.throws(() => w.add_(1), /add_: a leaf tensor that requires grad cannot be modified in place.*noGrad/);
  assert.throws(() => w.mul_(2), /mul_: a leaf tensor/);
  assert.throws(() => w.zero_(), /zero_: a leaf tensor/);
  noGrad(() => {
    w.sub_(tensor([0.5, 0.5], { dtype: "float64" }));
    w.mul_(2);
  });
  assert.deepEqual(w.tolist(), [1, 3]);
  assert.equal(w.isLeaf, true);
  assert.equal(w.requiresGrad, true);
  assert.equal(w.version, 2, "each in-place op bumps the version");
});

test("in-place ops on non-leaves keep gradients right", () => {
  const x = f64([1, 2, 3]);
  const y = x.mul(2);
  y.add_(1);
  y.sum().backward();
  assert.deepEqual(list(x.grad), [2, 2, 2]);
  assert.deepEqual(y.tolist(), [3, 5, 7]);

  const x2 = f64([1, 2, 3]);
  const y2 = x2.mul(2);
  y2.mul_(3); // mul_ by a scalar needs only the scalar: the overwritten y2 is not read
  y2.sum().backward();
  assert.deepEqual(list(x2.grad), [6, 6, 6]);

  const x3 = f64([0.5, -0.5]);
  const y3 = x3.mul(1);
  y3.tanh_(); // tanh's backward reads its own (fresh) output, not y3
  y3.mul_(2);
  y3.sum().backward();
  const t = [0.5, -0.5].map(Math.tanh);
  (x3.grad!.tolist() as number[]).forEach((g, i) => assert.ok(Math.abs(g - 2 * (1 - t[i] ** 2)) < 1e-12));
  // y.mul_(y) needs the old y for the gradient, which it overwrote: PyTorch refuses that too.
  const y5 = f64([0.5, -0.5]).mul(1);
  y5.mul_(y5);
  assert.throws(() => y5.sum().backward(), /mul backward: .*modified in place afterwards/);

  const x4 = f64([1, 2]);
  const buf = zeros([2], { dtype: "float64" }); // does not require grad; becomes part of the graph
  buf.add_(x4.mul(x4));
  assert.equal(buf.requiresGrad, true);
  buf.sum().backward();
  assert.deepEqual(list(x4.grad), [2, 4]);
});

test("grad() returns gradients without touching .grad; allowUnused gives null for unused inputs", () => {
  const x = f64([1, 2]);
  const u = f64([5]);
  const y = x.square().sum();
  assert.throws(() => grad(y, [x, u], { retainGraph: true }), /input 1 \(shape \[1\]\) was not used.*allowUnused/);
  const [gx, gu] = grad(y, [x, u], { allowUnused: true });
  assert.deepEqual(list(gx), [2, 4]);
  assert.equal(gu, null);
  assert.equal(x.grad, null);
  assert.throws(() => grad(y, tensor([1])), /input 0 .* does not require grad/);
});

test("grad() with respect to a non-leaf, with several outputs and explicit output gradients", () => {
  const x = f64([1, 2]);
  const h = x.mul(3);
  const y1 = h.square().sum();
  const y2 = h.mul(f64([1, -1], false));
  const [gh, gx] = grad([y1, y2], [h, x], { gradOutputs: [undefined, f64([2, 2], false)] });
  assert.deepEqual(list(gh), [2 * 3 + 2, 2 * 6 - 2]);
  assert.deepEqual(list(gx), [3 * 8, 3 * 10]);
});

test("backward with an explicit gradient for a non-scalar output", () => {
  const x = f64([1, 2, 3]);
  const y = x.mul(x);
  backward(y, f64([1, 0.5, -1], false));
  assert.deepEqual(list(x.grad), [2, 2, -6]);
});

test("gradients do not flow into integer results or through argmax / comparisons", () => {
  const x = f64([3, 1, 2]);
  const i = x.argmax();
  assert.equal(i.requiresGrad, false);
  assert.equal(x.gt(1).requiresGrad, false);
  const y = x.mul(x.gt(1.5)).sum(); // mask is a constant
  y.backward();
  assert.deepEqual(list(x.grad), [1, 0, 1]);
});

test("casting a tensor that requires grad to int32 or bool gives a constant (no graph, no error)", () => {
  const x = f64([1.5, -2]);
  for (const r of [x.int(), x.bool(), x.to("int32").sum()]) {
    assert.equal(r.requiresGrad, false);
    assert.equal(r.gradFn, null);
  }
  assert.deepEqual(x.int().tolist(), [1, -2]);
  const y = x.float();
  assert.equal(y.requiresGrad, true);
  y.mul(x.int()).sum().backward();
  assert.deepEqual(list(x.grad), [1, -2]);
});

test("max / min along a dim send the gradient to the chosen element; amax splits ties evenly", () => {
  const x = f64([[1, 5, 5], [7, 2, 0]]);
  const { values, indices } = x.max(1);
  assert.deepEqual(indices.tolist(), [1, 0], "first index on ties, as PyTorch");
  values.sum().backward();
  assert.deepEqual(list(x.grad), [[0, 1, 0], [1, 0, 0]]);
  const z = f64([[1, 5, 5], [7, 2, 0]]);
  z.amax(1).sum().backward();
  assert.deepEqual(list(z.grad), [[0, 0.5, 0.5], [1, 0, 0]]);
  const m = f64([-Infinity, 2, 1]);
  m.max(0).values.backward();
  assert.deepEqual(list(m.grad), [0, 1, 0], "no NaN from -inf elements");
});

test("requiresGrad flags: results of ops on grad inputs require grad and name their gradFn", () => {
  const x = f64([1, 2]);
  const y = x.mul(2).add(1).sum();
  assert.equal(y.requiresGrad, true);
  assert.equal(y.gradFn!.name, "sum");
  assert.throws(() => { y.requiresGrad = false; }, /non-leaf/);
  const ints = arange(3);
  assert.throws(() => ints.requiresGrad_(), /only floating point tensors can require gradients, this one is int64/);
  assert.equal(ones([2]).requiresGrad_().requiresGrad, true);
});

test("gradcheck reports a wrong backward rule with the input and element", () => {
  const x = f64([0.5, 1.5]);
  assert.equal(gradcheck((a) => a.sin().mul(a), [x]), true);
  const wrong = (a: Tensor): Tensor => {
    // a.detach() hides one factor from autograd: the analytical gradient is then half the true one.
    return a.mul(a.detach());
  };
  assert.throws(() => gradcheck(wrong, [x]), /gradcheck: input 0 \(shape \[2\]\), element 0: analytical gradient 0.25 differs from numerical 0.5/);
  assert.throws(() => gradcheck((a) => a.exp(), [tensor([1], { requiresGrad: true })]), /inputs should be float64/);
});

test("gradients keep the dtype of their leaves", () => {
  for (const dtype of ["float32", "float64"] as DType[]) {
    const x = tensor([1, 2], { dtype, requiresGrad: true });
    x.mul(2.5).sum().backward();
    assert.equal(x.grad!.dtype, dtype);
    assert.deepEqual(x.grad!.tolist(), [2.5, 2.5]);
  }
});

test("prod's gradient is the product of the other elements, also where elements are zero", () => {
  const x = f64([2, 0, 3]);
  x.prod().backward();
  assert.deepEqual(list(x.grad), [0, 6, 0]);
  const y = f64([[2, 0, 0], [1, 2, 3]]);
  y.prod(1).sum().backward();
  assert.deepEqual(list(y.grad), [[0, 0, 0], [6, 3, 2]]);
  gradcheck((a) => a.prod(1), [f64([[0, 1.5, -2], [0.5, 0, 0], [1, 2, 3]])]);
});

test("norm's gradient at a zero vector is 0, not NaN (as PyTorch)", () => {
  const x = f64([0, 0, 0]);
  x.norm().backward();
  assert.deepEqual(list(x.grad), [0, 0, 0]);
  const y = f64([[0, 0], [3, 4]]);
  y.norm(2, 1).sum().backward();
  assert.deepEqual(list(y.grad), [[0, 0], [0.6, 0.8]]);
  const z = f64([0, 0]);
  z.norm(3).backward();
  assert.deepEqual(list(z.grad), [0, 0]);
});

test("fill_, zero_ and copy_ on a non-leaf detach its old value from the gradient", () => {
  for (const overwrite of [(y: Tensor) => y.fill_(1), (y: Tensor) => y.zero_(), (y: Tensor) => y.copy_(tensor([5, 6], { dtype: "float64" }))]) {
    const x = f64([1, 2]);
    const y = x.mul(2);
    overwrite(y);
    assert.equal(y.requiresGrad, true);
    y.mul(3).sum().backward();
    assert.deepEqual(list(x.grad), [0, 0]);
  }
  const x = f64([1, 2]);
  const w = f64([3, 4]);
  const y = x.mul(2);
  y.copy_(w); // the new value comes from w
  y.mul(y).sum().backward();
  assert.deepEqual(list(w.grad), [6, 8]);
  assert.equal(x.grad, null, "x no longer reaches the output (PyTorch would give zeros)");
});

test("relu and clamp send +0 (not -0, not NaN) to masked-out elements, as PyTorch", () => {
  const x = f64([-1, 2]);
  x.relu().mul(-3).sum().backward();
  assert.ok(Object.is(x.grad!.data()[0], 0), `got ${x.grad!.data()[0]}`);
  const y = f64([-1, 0.5]);
  y.clamp(0, 1).mul(f64([Infinity, 1], false)).sum().backward();
  assert.deepEqual(list(y.grad), [0, 1]);
});

// ---------------------------------------------------------------- in-place writes through views

test("in-place on a view of a non-leaf rewrites the base's gradient (PyTorch's CopySlices)", () => {
  const x = f64([[1, 2], [3, 4]]);
  const y = x.mul(2);
  y.get(0).mul_(3);
  assert.deepEqual(y.tolist(), [[6, 12], [6, 8]]);
  y.sum().backward();
  assert.deepEqual(list(x.grad), [[6, 6], [2, 2]]);

  const x2 = f64([[1, 2], [3, 4]]);
  const a = f64([10, 20]);
  const y2 = x2.mul(1);
  y2.t().get(1).add_(a); // column 1 of y2
  y2.mul(f64([[1, 2], [3, 4]], false)).sum().backward();
  assert.deepEqual(list(x2.grad), [[1, 2], [3, 4]]);
  assert.deepEqual(list(a.grad), [2, 4]);
});

test("writing into slices of a buffer that does not require grad connects the sources", () => {
  const a = f64([1, 2]);
  const b = f64([3, 4]);
  const buf = zeros([3, 2], { dtype: "float64" });
  buf.select(0, 0).copy_(a);
  buf.select(0, 2).copy_(b.mul(2));
  assert.equal(buf.requiresGrad, true);
  assert.deepEqual(buf.tolist(), [[1, 2], [0, 0], [6, 8]]);
  buf.mul(f64([[1, 2], [3, 4], [5, 6]], false)).sum().backward();
  assert.deepEqual(list(a.grad), [1, 2]);
  assert.deepEqual(list(b.grad), [10, 12]);
});

test("a view taken before an in-place change of its base differentiates its current values", () => {
  const x = f64([[1, 2], [3, 4]]);
  const y = x.mul(1);
  const row0 = y.get(0);
  const row1 = y.get(1);
  y.mul_(3); // directly on the base
  row0.sum().backward(undefined, { retainGraph: true });
  assert.deepEqual(list(x.grad), [[3, 3], [0, 0]]);
  x.grad = null;
  const x2 = f64([1, 2, 3]);
  const y2 = x2.mul(1);
  const head = y2.get("0:2");
  y2.get("1:").mul_(5); // through another, overlapping view
  assert.deepEqual(head.tolist(), [1, 10]);
  head.sum().backward();
  assert.deepEqual(list(x2.grad), [1, 5, 0]);
  row1.sum().backward();
  assert.deepEqual(list(x.grad), [[0, 0], [3, 3]]);
});

test("gradcheck through in-place writes into views, first and second order", () => {
  const f = (x: Tensor, a: Tensor): Tensor => {
    const y = x.mul(2);
    y.get(":", 1).mul_(a);
    y.get(0).add_(a.sum());
    return y.square();
  };
  const x = tensor([[0.5, -1, 2], [1.5, 0.3, -0.7]], { dtype: "float64", requiresGrad: true });
  const a = f64([1.3, -0.4]);
  assert.equal(gradcheck(f, [x, a]), true);
  assert.equal(gradcheck((p, q) => grad(f(p, q).sum(), [p, q], { createGraph: true })[1]!, [x, a]), true);
});

test("in-place through views: leaves, expanded views and saved tensors are refused clearly", () => {
  const w = f64([[1, 2], [3, 4]]);
  assert.throws(() => w.get(0).mul_(2), /mul_: a view of a leaf tensor that requires grad cannot be modified in place.*noGrad/);
  noGrad(() => w.get(0).mul_(2));
  assert.deepEqual(w.tolist(), [[2, 4], [3, 4]]);
  const e = f64([1]).mul(1).expand([3]);
  assert.throws(() => e.add_(1), /add_: in-place modification of an expanded view/);
  const x = f64([1, 2]);
  const h = x.mul(1);
  const z = h.mul(f64([3, 4])); // saves h for the other operand's gradient
  h.get(0).zero_();
  assert.throws(() => z.sum().backward(), /mul backward: .*modified in place/);
});

test("in-place ops whose rule needs the old value (mul_ by a tensor that requires grad) keep a copy of it", () => {
  const x = f64([1, 2]);
  const a = f64([3, 4]);
  const y = x.mul(1);
  y.mul_(a);
  y.add_(1); // a later in-place change does not disturb what mul_ saved
  y.sum().backward();
  assert.deepEqual(list(x.grad), [3, 4]);
  assert.deepEqual(list(a.grad), [1, 2]);
});

test("rules that need only shapes do not fail the version check (sum, views, clone, cat, pad, gather)", () => {
  const x = f64([[1, 2], [3, 4]]);
  const y = x.mul(1);
  const outs = [y.sum(), y.t().mul(f64([[1, 2], [3, 4]], false)).sum(), y.clone().sum(), cat([y, y]).sum(), y.pad([1, 1]).sum(),
    y.gather(1, tensor([[1], [0]], { dtype: "int32" })).sum(), y.amax(1).sum()];
  y.add_(1);
  for (const o of outs.slice(0, -1)) o.backward(undefined, { retainGraph: true });
  assert.deepEqual(list(x.grad), [[1 + 1 + 1 + 2 + 1, 1 + 3 + 1 + 2 + 1 + 1], [1 + 2 + 1 + 2 + 1 + 1, 1 + 4 + 1 + 2 + 1]]);
  assert.throws(() => outs[outs.length - 1].backward(), /max backward: .*modified in place/, "amax needs the values: refused");
});

test("end to end: a seeded 2-layer MLP fits a toy regression with hand-written SGD", () => {
  const g = new Generator(0);
  const X = randn([64, 3], { generator: g });
  const Y = X.matmul(tensor([[1.5], [-2], [0.5]])).tanh();
  const W1 = randn([3, 16], { generator: g }).mul(0.5).requiresGrad_();
  const b1 = zeros([16], { requiresGrad: true });
  const W2 = randn([16, 1], { generator: g }).mul(0.25).requiresGrad_();
  const params = [W1, b1, W2];
  const lossAt = (): Tensor => X.matmul(W1).add(b1).relu().matmul(W2).sub(Y).square().mean();
  const first = lossAt().item();
  for (let step = 0; step < 200; step++) {
    params.forEach((p) => (p.grad = null));
    lossAt().backward();
    noGrad(() => params.forEach((p) => p.sub_(p.grad!.mul(0.1))));
  }
  const last = lossAt().item();
  assert.ok(last < first * 0.1, `loss ${first} -> ${last}`);
  assert.ok(params.every((p) => p.isLeaf && p.requiresGrad));
});

test("fuzz: random programs of in-place ops through random views match finite differences (80 seeded programs)", () => {
  const failures: string[] = [];
  for (let seed = 0; seed < 80; seed++) {
    const g = new Generator(seed);
    const pick = (n: number): number => g.randint(0, n);
    // A program is a fixed list of steps (drawn once), replayed on every evaluation.
    type Step = { view: number; a: number; b: number; op: number; src: number };
    const steps: Step[] = Array.from({ length: 2 + pick(4) }, () => ({ view: pick(6), a: pick(3), b: pick(4), op: pick(8), src: pick(3) }));
    const readStale = pick(2) === 1;
    const f = (x: Tensor, w: Tensor): Tensor => {
      const y = x.mul(1.5); // [3,4], a non-leaf
      const early = y.get(1); // a view taken before the writes
      for (const s of steps) {
        const v =
          s.view === 0 ? y.select(0, s.a)
            : s.view === 1 ? y.select(1, s.b)
              : s.view === 2 ? y.t().select(0, s.b)
                : s.view === 3 ? y.get(":", "1:3")
                  : s.view === 4 ? y.get("::2", "1:")
                    : y;
        const operand = s.src === 0 ? w.get(`0:${v.shape[v.ndim - 1]}`) : s.src === 1 ? w.get(`0:${v.shape[v.ndim - 1]}`).exp() : tensor(0.7, { dtype: "float64" });
        if (s.op === 0) v.mul_(operand);
        else if (s.op === 1) v.add_(operand);
        else if (s.op === 2) v.copy_(operand.mul(2));
        else if (s.op === 3) v.tanh_();
        else if (s.op === 4) v.zero_();
        else if (s.op === 5) v.addcmul_(operand, operand.mul(-1), 0.5);
        else if (s.op === 6) v.clamp_(-0.5, 0.5);
        else v.div_(operand.abs().add(1));
      }
      const out = y.square().sum(0);
      return readStale ? out.add(early.sin()) : out;
    };
    const x = tensor([[0.3, -0.8, 1.1, 0.5], [0.9, -0.2, 0.4, -1.3], [0.1, 0.7, -0.6, 0.2]], { dtype: "float64", requiresGrad: true });
    const w = tensor([0.5, -1.2, 0.8, 1.4], { dtype: "float64", requiresGrad: true });
    try {
      gradcheck(f, [x, w]);
    } catch (e) {
      failures.push(`seed ${seed} ${JSON.stringify(steps)} stale=${readStale}: ${(e as Error).message}`);
    }
  }
  assert.deepEqual(failures, []);
});

test("fuzz: random DAGs (shared subexpressions, broadcasting, views, reductions) match finite differences (60 seeded graphs)", () => {
  const failures: string[] = [];
  for (let seed = 0; seed < 60; seed++) {
    const g = new Generator(1000 + seed);
    const pick = (n: number): number => g.randint(0, n);
    type Inst = { op: number; a: number; b: number };
    const program: Inst[] = Array.from({ length: 4 + pick(8) }, () => ({ op: pick(10), a: pick(100), b: pick(100) }));
    const outputs = [pick(100), pick(100)];
    const f = (x: Tensor, w: Tensor): Tensor => {
      const vals: Tensor[] = [x, w.reshape([1, 3]), x.t().matmul(x)]; // [2,3], [1,3], [3,3]
      const at = (i: number): Tensor => vals[i % vals.length];
      for (const p of program) {
        const a = at(p.a), b = at(p.b);
        // Every value is [rows, 3] or [rows, 1] with rows in {1, 2, 3}: make b broadcast against a.
        const rows = (t: Tensor): Tensor => (t.shape[0] === a.shape[0] || t.shape[0] === 1 || a.shape[0] === 1 ? t : t.mean(0, true));
        const fb = rows(b);
        let r: Tensor;
        switch (p.op) {
          case 0: r = a.add(fb); break;
          case 1: r = a.mul(fb); break;
          case 2: r = a.tanh(); break;
          case 3: r = a.sigmoid().mul(a); break;
          case 4: r = a.sum(0, true); break;
          case 5: r = a.softmax(-1); break;
          case 6: r = a.sub(fb.square()); break;
          case 7: r = a.ndim === 2 && a.shape[1] === 3 ? a.matmul(vals[2]) : a.exp(); break;
          case 8: r = a.get(":", "1:").sum(-1, true).mul(2).add(a); break;
          default: r = a.logsumexp(-1, true).add(a); break;
        }
        vals.push(r);
      }
      return outputs.map((i) => at(i).sum()).reduce((s, t) => s.add(t));
    };
    const x = tensor([[0.3, -0.8, 0.5], [0.9, -0.2, 0.4]], { dtype: "float64", requiresGrad: true });
    const w = tensor([0.5, -0.7, 0.2], { dtype: "float64", requiresGrad: true });
    try {
      gradcheck(f, [x, w], { atol: 1e-5, rtol: 1e-4 });
    } catch (e) {
      failures.push(`seed ${seed}: ${(e as Error).message}`);
    }
  }
  assert.deepEqual(failures, []);
});

test("many slices of one tensor: the accumulating backward of slice agrees with finite differences", () => {
  const x = randn([6, 3], { dtype: "float64", requiresGrad: true });
  gradcheck((a) => {
    const y = a.mul(a); // a non-leaf: slice gradients accumulate into a node's pending sum
    let acc = y.narrow(0, 1, 3).sum(0).mul(y.select(1, 2).sum());
    for (let t = 0; t < 6; t++) acc = acc.add(y.select(0, t).mul(t + 1)).add(a.select(0, t).get("::2").sum());
    return acc.add(y.sum(0)); // the same tensor also used whole
  }, [x]);
  // And through the leaf directly, with a second backward accumulating into .grad.
  const w = randn([5, 4], { dtype: "float64", requiresGrad: true });
  const f = () => [0, 1, 2, 3, 4].map((i) => w.select(0, i).mul(i)).reduce((a, b) => a.add(b)).sum();
  f().backward();
  f().backward();
  assert.deepEqual(w.grad!.sum(1).tolist(), [0, 8, 16, 24, 32]);
});

const assertCloseList = (a: number[][], b: number[][]): void => {
  assert.equal(a.length, b.length);
  a.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - b[i][j]) < 1e-12, `[${i}][${j}] ${v} vs ${b[i][j]}`)));
};

test("a leaf takes a fresh gradient as its .grad without a copy only when nothing else holds it", () => {
  // add's rule hands the same gradient to both leaves: each must get its own memory.
  const a = f64([1, 2]), b = f64([3, 4]);
  a.add(b).mul(2).sum().backward();
  assert.notEqual(a.grad!.storage, b.grad!.storage);
  a.grad!.mul_(10);
  assert.deepEqual(list(b.grad), [2, 2], "scaling one .grad in place leaves the other alone");
  // A hook on a non-leaf may keep the gradient it sees or returns; neither becomes a leaf's .grad.
  const kept: Tensor[] = [];
  const x = f64([1, 2, 3]);
  const h = x.mul(3);
  h.registerHook((g) => {
    kept.push(g);
    const r = g.mul(1);
    kept.push(r);
    return r;
  });
  h.sum().backward();
  assert.deepEqual(list(x.grad), [3, 3, 3]);
  for (const k of kept) assert.notEqual(k.storage, x.grad!.storage);
  // Nor does a hook on the leaf itself, which may keep what it sees.
  const seen: Tensor[] = [];
  const z = f64([1, 2]);
  z.registerHook((g) => void seen.push(g));
  z.mul(z).sum().backward();
  assert.deepEqual(list(z.grad), [2, 4]);
  assert.notEqual(seen[0].storage, z.grad!.storage);
  z.grad!.zero_();
  assert.deepEqual(seen[0].tolist(), [2, 4], "zeroing .grad left the hook's tensor alone");
  // The gradient a user passes in is theirs: a leaf's .grad never shares it.
  const v = f64([5, 6, 7], false);
  const y = f64([1, 1, 1]);
  y.mul(1).backward(v);
  assert.notEqual(y.grad!.storage, v.storage);
  // A Linear's weight gradient (gᵀ·x, computed in w's own layout) becomes .grad as it is: a plain
  // contiguous tensor, not a view, allocated once (no copy on the way); later backwards add to it.
  const w = randn([4, 3], { dtype: "float64" }).requiresGrad_();
  const xs = randn([5, 3], { dtype: "float64" });
  // Counted through both ways of allocating a result (linear's backward takes Tensor.uninit).
  const { empty, uninit } = Tensor;
  let sized = 0;
  const counted = (make: typeof empty): typeof empty => (shape, dtype) => {
    if (shape.reduce((p, d) => p * d, 1) === 12) sized++;
    return make(shape, dtype);
  };
  Tensor.empty = counted(empty);
  Tensor.uninit = counted(uninit);
  try {
    linear(xs, w).sum().backward();
  } finally {
    Tensor.empty = empty;
    Tensor.uninit = uninit;
  }
  assert.equal(sized, 1, "the weight gradient was copied into .grad");
  assert.equal(w.grad!.base, null);
  assert.ok(w.grad!.isContiguous());
  assertCloseList(w.grad!.tolist() as number[][], ones([5, 4], { dtype: "float64" }).t().matmul(xs).tolist() as number[][]);
  const first = w.grad!.tolist() as number[][];
  linear(xs, w).sum().backward();
  assertCloseList(w.grad!.tolist() as number[][], first.map((r) => r.map((e) => 2 * e)));
});

test("backward adds into an existing leaf .grad in place, as PyTorch's AccumulateGrad; retained and createGraph gradients are replaced", () => {
  // PyTorch 1.13: w = ones(3); (w*2).sum().backward(); g = w.grad; (w*3).sum().backward()
  // -> w.grad is g, g == [5, 5, 5], g._version bumped by one.
  for (const dtype of ["float32", "float64", "bfloat16"] as const) {
    const w = ones([3], { dtype, requiresGrad: true });
    w.mul(2).sum().backward();
    const g = w.grad!, v0 = g.version;
    w.mul(3).sum().backward();
    assert.equal(w.grad, g, `${dtype}: the same .grad tensor`);
    assert.deepEqual(g.tolist(), [5, 5, 5], dtype);
    assert.equal(g.version, v0 + 1, `${dtype}: the write bumps the version`);
  }
  // A strided .grad (set by the user) is added into where it is.
  const s = ones([2, 3], { dtype: "float64", requiresGrad: true });
  const t = zeros([3, 2], { dtype: "float64" }).t();
  s.grad = t;
  s.mul(tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float64" })).sum().backward();
  assert.equal(s.grad, t);
  assert.deepEqual(t.tolist(), [[1, 2, 3], [4, 5, 6]]);
  // retain_grad on a non-leaf: the second backward makes a new tensor (h.grad is not hg in PyTorch).
  const x = ones([3], { requiresGrad: true });
  const h = x.mul(1);
  h.retainGrad();
  h.mul(2).sum().backward({ retainGraph: true });
  const hg = h.grad!;
  h.mul(3).sum().backward();
  assert.notEqual(h.grad, hg);
  assert.deepEqual(hg.tolist(), [2, 2, 2]);
  assert.deepEqual(h.grad!.tolist(), [5, 5, 5]);
  // createGraph: the sum is a new, differentiable tensor (y.grad is not yg).
  const y = ones([3], { dtype: "float64", requiresGrad: true });
  y.mul(y).sum().backward({ createGraph: true });
  const yg = y.grad!;
  y.mul(y).sum().backward({ createGraph: true });
  assert.notEqual(y.grad, yg);
  assert.deepEqual(yg.tolist(), [2, 2, 2]);
  assert.deepEqual(y.grad!.tolist(), [4, 4, 4]);
  // backward({inputs}) accumulates into a leaf in place too.
  const z = ones([2], { dtype: "float64", requiresGrad: true });
  z.mul(2).sum().backward({ inputs: [z] });
  const zg = z.grad!;
  z.mul(2).sum().backward({ inputs: [z] });
  assert.equal(z.grad, zg);
  assert.deepEqual(zg.tolist(), [4, 4]);
});
