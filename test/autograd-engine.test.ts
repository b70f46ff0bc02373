// The backward engine's edges (src/autograd/engine.ts), written for the mutants that the other
// autograd tests let survive (docs/testing.md): argument errors of backward() and grad(), the
// {inputs} path, duplicate roots, hooks that return null, second-order gradients through sums
// the engine accumulates, and gradients the engine must never write into.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, backward, Tensor, tensor } from "../src/index.js";

const f64 = (v: number | number[], requiresGrad = true): Tensor => tensor(v, { dtype: "float64", requiresGrad });
const list = (t: Tensor | null): unknown => {
  assert.ok(t, "expected a gradient, got null");
  return t.tolist();
};

test("backward(): argument errors name the call, what was wrong and the fix", () => {
  const x = f64([1, 2]);
  assert.throws(() => backward([]), /^Error: backward: no tensors given; pass the tensor\(s\) to differentiate/);
  assert.throws(() => backward([x.sum(), 3 as never]), /^Error: backward: tensor 1 is not a Tensor$/);
  assert.throws(() => f64([1], false).backward(), /^Error: backward: this tensor does not require grad and has no gradFn/);
  assert.throws(() => backward([x.sum(), f64(1, false)]), /^Error: backward: tensor 1 does not require grad/);
  assert.throws(() => x.sum().backward(undefined, { inputs: [] }), /^Error: backward: \{inputs\} is empty; leave it out/);
  assert.throws(() => x.mul(2).backward(), /^Error: backward: a gradient can be created implicitly only for a one-element output, this one has shape \[2\]; pass a gradient of that shape \(e\.g\. y\.backward\(onesLike\(y\)\)\) or reduce it first \(y\.sum\(\)\.backward\(\)\)$/);
  assert.throws(() => x.mul(2).backward(f64([1, 2, 3], false)), /^Error: backward: the gradient has shape \[3\] but the output has shape \[2\]/);
  // Nothing was accumulated by the failed calls.
  assert.equal(x.grad, null);
});

test("grad(): argument errors name grad, the input or output index and the fix", () => {
  const x = f64([1, 2]);
  const c = f64([1, 2], false);
  assert.throws(() => grad([x.sum()], [x, c]), /^Error: grad: input 1 \(shape \[2\]\) does not require grad$/);
  assert.throws(() => grad([x.sum(), c.sum()], [x]), /^Error: grad: output 1 \(shape \[\]\) does not require grad and has no gradFn$/);
  const y = f64([3]);
  assert.throws(() => grad([x.sum()], [x, y]), /^Error: grad: input 1 \(shape \[1\]\) was not used to compute the outputs; pass \{allowUnused: true\}/);
  assert.throws(() => grad(x.mul(2), x), /^Error: grad: a gradient can be created implicitly only for a one-element output/);
  assert.throws(() => grad(x.mul(2), x, { gradOutputs: [f64([1], false)] }), /^Error: grad: the gradient has shape \[1\] but the output has shape \[2\]/);
  // Single tensors instead of arrays, and allowUnused.
  assert.deepEqual(grad(x.mul(x).sum(), x).map(list), [[2, 4]]);
  const [gx, gy] = grad([x.sum()], [x, y], { allowUnused: true });
  assert.deepEqual([list(gx), gy], [[1, 1], null]);
});

test("backward({inputs}): a single tensor, an unused input left alone, leaf hooks applied, createGraph", () => {
  const x = f64([1, 2]);
  const w = f64([3, 4]);
  const unused = f64([5]);
  x.registerHook((g) => g.mul(10));
  x.mul(w).sum().backward(undefined, { inputs: x });
  assert.deepEqual(list(x.grad), [30, 40], "the leaf hook ran on the captured gradient");
  assert.equal(w.grad, null, "{inputs} given as one tensor limits .grad to it");
  x.mul(w).sum().backward(undefined, { inputs: [w, unused] });
  assert.deepEqual(list(w.grad), [1, 2]);
  assert.equal(unused.grad, null, "an input the outputs do not depend on keeps no .grad");
  // With createGraph the .grad it accumulates is differentiable.
  const z = f64([2, 3]);
  z.pow(3).sum().backward(undefined, { inputs: [z], createGraph: true });
  assert.equal(z.grad!.requiresGrad, true);
  const [gz] = grad(z.grad!.sum(), z);
  assert.deepEqual(list(gz), [12, 18]);
  const u = f64([2, 3]);
  u.pow(3).sum().backward(undefined, { inputs: [u] });
  assert.equal(u.grad!.requiresGrad, false, "without createGraph the .grad is detached");
  // A leaf hook's bad result is reported on the {inputs} path too, as a hook on a leaf.
  const q = f64([1, 2]);
  q.registerHook(() => 7 as never);
  assert.throws(() => q.mul(2).sum().backward(undefined, { inputs: [q] }), /registerHook: a hook \(on leaf\) must return a Tensor or nothing, got number$/);
});

test("a root given twice gets its gradient twice, and a single gradient tensor is accepted", () => {
  const x = f64([1, 2]);
  const y = x.mul(3).sum();
  backward([y, y]);
  assert.deepEqual(list(x.grad), [6, 6]);
  const v = f64([1, -2], false);
  const x2 = f64([1, 2]);
  backward(x2.mul(x2), v);
  assert.deepEqual(list(x2.grad), [2, -8]);
});

test("a hook returning null or undefined keeps the gradient; the next hook sees it", () => {
  const x = f64([1, 2]);
  const h = x.mul(2);
  const seen: number[][] = [];
  h.registerHook(() => null as never);
  h.registerHook((g) => void seen.push(g.tolist() as number[]));
  h.registerHook(() => undefined);
  h.registerHook((g) => g.mul(3));
  h.sum().backward();
  assert.deepEqual(seen, [[1, 1]]);
  assert.deepEqual(list(x.grad), [6, 6]);
  const l = f64([1, 2]);
  l.registerHook(() => null as never);
  l.mul(5).sum().backward();
  assert.deepEqual(list(l.grad), [5, 5]);
  const bad = f64([1]);
  const b = bad.mul(1);
  b.registerHook(() => 3 as never);
  assert.throws(() => b.sum().backward(), /registerHook: a hook \(on mul\) must return a Tensor or nothing, got number$/);
});

test("second order through gradients the engine summed: every term keeps its graph", () => {
  // Three consumers send gradients into x: the sum must be recorded (createGraph), not added in place.
  const x = f64([0.5, 2]);
  const y = x.pow(2).add(x.pow(3)).add(x.pow(4)).sum();
  const [g] = grad(y, x, { createGraph: true });
  const v = [0.5, 2];
  assert.deepEqual(list(g), v.map((a) => 2 * a + 3 * a ** 2 + 4 * a ** 3));
  const [h] = grad(g!.sum(), x);
  assert.deepEqual(list(h), v.map((a) => 2 + 6 * a + 12 * a ** 2));
  // The same through a non-leaf (a node whose gradient is pending when three consumers arrive).
  const m = x.mul(1);
  const [gm] = grad(m.pow(2).add(m.pow(3)).add(m.pow(4)).sum(), x, { createGraph: true });
  const [hm] = grad(gm!.sum(), x);
  assert.deepEqual(list(hm), v.map((a) => 2 + 6 * a + 12 * a ** 2));
  // And into a leaf's .grad with backward({createGraph}).
  const z = f64([0.5, 2]);
  z.pow(2).add(z.pow(3)).add(z.pow(4)).sum().backward(undefined, { createGraph: true });
  const [hz] = grad(z.grad!.sum(), z);
  assert.deepEqual(list(hz), v.map((a) => 2 + 6 * a + 12 * a ** 2));
});

test("the engine never writes into a gradient someone else holds (a user's gradient, a hook's tensor)", () => {
  // x's first gradient is the user's v itself (add passes it on); slices arriving later must not add into v.
  const x = f64([1, 2, 3]);
  const v = f64([1, 1, 1], false);
  backward([x.add(0), x.select(0, 1).mul(5), x.select(0, 2).mul(7)], [v, f64(1, false), f64(1, false)]);
  assert.deepEqual(v.tolist(), [1, 1, 1], "the user's gradient is unchanged");
  assert.deepEqual(list(x.grad), [1, 6, 8]);
  // Roots are run last first: here add's gradient (v) is pending when the slices add theirs.
  x.grad = null;
  backward([x.select(0, 1).mul(5), x.select(0, 2).mul(7), x.add(0)], [f64(1, false), f64(1, false), v]);
  assert.deepEqual(v.tolist(), [1, 1, 1], "the user's gradient is unchanged");
  assert.deepEqual(list(x.grad), [1, 6, 8]);
  // The same with the pending gradient held by a hook, and with a sum of several.
  const kept: Tensor[] = [];
  const a = f64([1, 2, 3]);
  const h = a.mul(1);
  h.registerHook((g) => void kept.push(g));
  backward([h.add(0), h.select(0, 0).mul(2), h.mul(1).select(0, 2)], [f64([1, 1, 1], false)]);
  assert.deepEqual(kept.map((k) => k.tolist()), [[3, 1, 2]]);
  assert.deepEqual(list(a.grad), [3, 1, 2]);
  // A user gradient reaching a leaf directly becomes a copy, and a second consumer's gradient is added to the copy.
  const b = f64([1, 2]);
  const vb = f64([1, 1], false);
  backward([b.mul(1), b.mul(2)], [vb, f64([1, 1], false)]);
  assert.deepEqual([vb.tolist(), list(b.grad)], [[1, 1], [3, 3]]);
});

test("grad() neither fills retained gradients nor leaves' .grad; a non-leaf target gets its gradient before its hooks", () => {
  const x = f64([1, 2]);
  const h = x.mul(2);
  h.retainGrad();
  h.registerHook((g) => g.mul(100));
  const y = h.mul(h).sum();
  const [gh, gx] = grad(y, [h, x], { retainGraph: true });
  assert.deepEqual([list(gh), list(gx)], [[4, 8], [800, 1600]]);
  assert.equal(h.grad, null);
  assert.equal(x.grad, null);
  y.backward();
  assert.deepEqual([list(h.grad), list(x.grad)], [[400, 800], [800, 1600]]);
});

test("retainGraph false releases the graph even with createGraph; retainGraph true keeps it without createGraph", () => {
  const x = f64([1, 2]);
  const y = x.exp().sum();
  y.backward(undefined, { createGraph: true, retainGraph: false });
  assert.throws(() => y.backward(), /saved tensors were freed by an earlier backward/);
  const z = x.exp().sum();
  z.backward(undefined, { retainGraph: true });
  z.backward();
  assert.ok(Math.abs((x.grad!.tolist() as number[])[1] - 3 * Math.exp(2)) < 1e-12);
});
