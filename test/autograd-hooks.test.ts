// Tensor hooks, retainGrad across in-place ops, module full backward hooks (order and arguments
// against PyTorch 1.13, scripts/fixtures/autograd.py) and inferenceMode.
import { test } from "node:test";
import assert from "node:assert/strict";
import { autograd, nn, inferenceMode, isInferenceMode, isGradEnabled, ones, grad, Tensor, tensor } from "../src/index.js";
import { FIX, assertClose, dec, f64, type Enc } from "./autograd-helpers.js";

test("tensor hooks: call order, arguments and replacements on leaves and non-leaves, as PyTorch", () => {
  const log: [string, Tensor][] = [];
  const rec = (name: string, ret?: (g: Tensor) => Tensor) => (g: Tensor) => {
    log.push([name, g]);
    return ret ? ret(g) : undefined;
  };
  const x = f64([0.3, -0.7, 1.1], true);
  x.registerHook(rec("x1", (g) => g.mul(2)));
  x.registerHook(rec("x2"));
  const a = x.mul(x);
  a.registerHook(rec("a", (g) => g.add(1)));
  a.retainGrad();
  const b = a.sin();
  b.retainGrad();
  b.mul_(3); // retainGrad follows b: b.grad is the gradient of the new b
  const c = b.mul(x);
  c.sum().backward();
  const want = FIX.hooks;
  assert.deepEqual(log.map(([n]) => n), want.log.map((e: [string, Enc]) => e[0]));
  log.forEach(([n, g], i) => assertClose(g, want.log[i][1], `hook ${n}`));
  assertClose(x.grad, want.x_grad, "x.grad");
  assertClose(a.grad, want.a_grad, "a.grad");
  assertClose(b.grad, want.b_grad, "b.grad");
  assert.equal(b.retainsGrad, true);
  assert.equal(x.retainsGrad, false);
});

test("a removed hook no longer runs; each backward calls a leaf hook once with the summed gradient", () => {
  const x = f64([1, 2], true);
  const seen: number[][] = [];
  const h = x.registerHook((g) => void seen.push(g.tolist() as number[]));
  const y = x.mul(x).add(x.mul(3)).sum(); // dy/dx = 2x + 3, from two branches
  y.backward(undefined, { retainGraph: true });
  assert.deepEqual(seen, [[5, 7]]);
  h.remove();
  h.remove(); // idempotent
  y.backward(undefined, { retainGraph: true });
  assert.equal(seen.length, 1);
  assert.deepEqual(x.grad!.tolist(), [10, 14]);
});

test("hooks registered before an in-place op see the old value's gradient, after it the new one's (PyTorch 2)", () => {
  const a = f64([1, 2], true);
  const b = a.mul(2);
  const seen: [string, unknown][] = [];
  b.registerHook((g) => void seen.push(["before", g.tolist()]));
  b.mul_(5);
  b.registerHook((g) => void seen.push(["after", g.tolist()]));
  b.mul(3).sum().backward();
  assert.deepEqual(seen, [["after", [3, 3]], ["before", [15, 15]]]);
  assert.deepEqual(a.grad!.tolist(), [30, 30]);
});

test("grad() returns gradients before the inputs' own hooks run, but hooks on the way change them", () => {
  const x = f64([1, 2], true);
  x.registerHook((g) => g.mul(10));
  assert.deepEqual(grad(x.mul(x).sum(), x)[0]!.tolist(), [2, 4]); // torch.autograd.grad: (2, 4)
  const a = f64([1, 2], true);
  const b = a.mul(2);
  b.registerHook((g) => g.mul(10));
  assert.deepEqual(grad(b.mul(3).sum(), a)[0]!.tolist(), [60, 60]);
  assert.equal(a.grad, null);
});

test("registerHook and retainGrad reject tensors without gradients; a hook must return a same-shape tensor", () => {
  assert.throws(() => ones([2]).registerHook((g) => g), /registerHook: cannot register a hook on a tensor that does not require grad/);
  assert.throws(() => ones([2]).retainGrad(), /retainGrad: this tensor does not require grad/);
  assert.throws(() => f64([1], true).registerHook(3 as never), /registerHook: the hook must be a function/);
  const x = f64([1, 2], true);
  x.mul(2).registerHook(() => ones([3], { dtype: "float64" }));
  const y = x.mul(2);
  y.registerHook(() => ones([3], { dtype: "float64" }));
  assert.throws(() => y.sum().backward(), /registerHook: a hook .* returned a gradient of shape \[3\] for a gradient of shape \[2\]/);
  const z = x.mul(2);
  z.registerHook(() => 5 as never);
  assert.throws(() => z.sum().backward(), /must return a Tensor or nothing, got number/);
});

test("module full backward hooks: order, gradInput/gradOutput and replacement match PyTorch", () => {
  const M = FIX.module_hooks;
  const net = new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh(), new nn.Linear(4, 2)).double();
  net.loadStateDict(Object.fromEntries(Object.entries(M.state).map(([k, v]) => [k, dec(v as Enc)])));
  const log: [string, (Tensor | null)[], (Tensor | null)[]][] = [];
  const mods = [...net.children()];
  mods.forEach((m, i) => m.registerFullBackwardHook((_m, gin, gout) => void log.push([String(i), gin, gout])));
  net.registerFullBackwardHook((_m, gin, gout) => void log.push(["net", gin, gout]));
  mods[1].registerFullBackwardHook((_m, gin) => [gin[0]!.mul(2)]);
  const x = dec(M.input, true);
  const out = net.call(x);
  out.mul(f64([[1, -1], [0.5, 2]])).sum().backward();
  assert.deepEqual(log.map((e) => e[0]), M.log.map((e: unknown[]) => e[0]));
  log.forEach(([n, gin, gout], i) => {
    assertClose(gin, M.log[i][1], `${n} gradInput`);
    assertClose(gout, M.log[i][2], `${n} gradOutput`);
  });
  assertClose(x.grad, M.x_grad, "x.grad");
  assertClose((mods[0] as nn.Linear).weight.grad, M.weight0_grad, "weight.grad");
});

test("full backward hooks: non-tensor arguments, inputs without grad, an unused output, and bad returns", () => {
  class Mix extends nn.Module<[Tensor, number, Tensor], [Tensor, Tensor]> {
    forward(a: Tensor, k: number, b: Tensor): [Tensor, Tensor] {
      return [a.mul(k).add(b), a.sum()];
    }
  }
  const m = new Mix();
  const shapes = (gs: (Tensor | null)[]) => gs.map((g) => (g ? g.shape : null));
  const seen: unknown[] = [];
  const h = m.registerFullBackwardHook((_m, gin, gout) => void seen.push([shapes(gin), shapes(gout)]));
  const a = tensor([1, 1], { requiresGrad: true });
  const b = ones([2]);
  let [o, s] = m.call(a, 2, b);
  o.sum().backward();
  [o, s] = m.call(a, 2, b);
  o.sum().add(s).backward();
  // PyTorch 1.13 prints the same: b (no grad) gets the zeros its identity received; the unused output gets null.
  assert.deepEqual(seen, [[[[2], null, [2]], [[2], null]], [[[2], null, [2]], [[2], []]]]);
  h.remove();
  m.registerFullBackwardHook((_m, gin) => [gin[0]!.mul(10), null, null]);
  a.grad = null;
  [o] = m.call(a, 2, b);
  o.sum().backward();
  assert.deepEqual(a.grad!.tolist(), [20, 20]);
  m.registerFullBackwardHook(() => [null]);
  [o] = m.call(a, 2, b);
  assert.throws(() => o.sum().backward(), /Mix\.call: a full backward hook returned 1 input gradients but the module has 3 inputs/);

  // No input requires grad: the hook runs with null input gradients, from the output side.
  const lin = new nn.Linear(3, 2);
  const calls: unknown[] = [];
  lin.registerFullBackwardHook((_m, gin, gout) => void calls.push([shapes(gin), shapes(gout)]));
  lin.call(ones([4, 3])).sum().backward();
  assert.deepEqual(calls, [[[null], [[4, 2]]]]);
  const lin2 = new nn.Linear(3, 2);
  lin2.registerFullBackwardHook((_m, gin) => [ones([4, 3])]);
  assert.throws(() => lin2.call(ones([4, 3])).sum().backward(), /no input requires grad must return nothing/);
  assert.throws(() => lin.registerFullBackwardHook("x" as never), /registerFullBackwardHook: the hook must be a function/);
});

test("forward pre-hooks may return a single value for a one-argument forward (PyTorch wraps it)", () => {
  const lin = new nn.Linear(2, 1);
  lin.registerForwardPreHook((_m, args) => (args[0] as Tensor).mul(0));
  assert.deepEqual(lin.call(ones([1, 2])).tolist(), [[lin.bias!.item()]]);
});

test("inferenceMode: no graph, tensors made inside are inference tensors and cannot join a graph later", () => {
  const w = f64([1, 2], true);
  const t = inferenceMode(() => {
    assert.equal(isInferenceMode(), true);
    assert.equal(isGradEnabled(), false);
    const r = w.mul(2);
    assert.equal(r.requiresGrad, false);
    r.add_(1); // in-place inside inferenceMode is fine
    return r;
  });
  assert.equal(isInferenceMode(), false);
  assert.equal(isGradEnabled(), true);
  assert.equal(t.isInference(), true);
  assert.equal(t.get(0).isInference(), true, "a view of an inference tensor is one");
  assert.equal(t.add(1).isInference(), false, "results made outside are normal");
  assert.equal(w.isInference(), false);
  assert.deepEqual(t.tolist(), [3, 5]);
  assert.throws(() => t.mul(w), /mul: input 0 \(shape \[2\]\) is an inference tensor .* x\.clone\(\) outside inferenceMode/);
  assert.throws(() => t.requiresGrad_(), /requiresGrad: setting requiresGrad on an inference tensor .* outside inferenceMode is not allowed/);
  assert.throws(() => t.add_(1), /add_: an inference tensor .* cannot be modified in place outside inferenceMode/);
  const c = t.clone();
  assert.equal(c.isInference(), false);
  c.mul(w).sum().backward();
  assert.deepEqual(w.grad!.tolist(), [3, 5]);
  assert.equal(inferenceMode(false, () => w.mul(2)).requiresGrad, true);
  assert.throws(() => inferenceMode(3 as never), /inferenceMode: expected a function to run/);
});

test("autograd.backward takes several roots with their gradients, and {inputs} limits where .grad goes (PyTorch's values)", () => {
  const x = f64([1, 2], true);
  const w = f64([3, 4], true);
  autograd.backward([x.mul(w).sum(), x.pow(2)], [null, f64([1, -1])]);
  assert.deepEqual([x.grad!.tolist(), w.grad!.tolist()], [[5, 0], [1, 2]]);
  x.grad = null;
  w.grad = null;
  const h = x.mul(2);
  h.mul(w).sum().backward(undefined, { inputs: [w, h] });
  assert.equal(x.grad, null);
  assert.deepEqual([w.grad!.tolist(), h.grad!.tolist()], [[2, 4], [3, 4]]);
  assert.throws(() => autograd.backward([x.sum(), ones([2])]), /backward: tensor 1 does not require grad/);
  assert.throws(() => autograd.backward(x.sum(), [f64(1), f64(1)]), /backward: 2 gradients for 1 tensor\(s\)/);
  assert.throws(() => x.sum().backward(undefined, { inputs: [ones([1])] }), /backward: inputs\[0\] \(shape \[1\]\) does not require grad/);
});
