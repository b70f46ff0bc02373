// autograd.functional (src/autograd/functional.ts) beyond the PyTorch fixtures of
// autograd-functional.test.ts: strict mode in every function, option and argument errors, v
// left out for a one-element input, empty outputs and inputs, and createGraph keeping the
// caller's graph. Values here are closed-form derivatives of small polynomials.
import { test } from "node:test";
import assert from "node:assert/strict";
import { autograd, grad, noGrad, Tensor, tensor } from "../src/index.js";

const F = autograd.functional;
const f64 = (v: number | number[] | number[][], requiresGrad = false): Tensor => tensor(v, { dtype: "float64", requiresGrad });
const vals = (t: Tensor | Tensor[] | Tensor[][]): unknown =>
  Array.isArray(t) ? t.map((u) => vals(u as Tensor)) : (t as Tensor).tolist();

test("strict mode: each function names the input or output that is independent", () => {
  const x = f64([1, 2]);
  const y = f64([3, 4]);
  const onlyX = (a: Tensor, b: Tensor): Tensor => a.pow(3).sum().add(b.mul(0).sum().detach());
  assert.throws(() => F.vjp(onlyX, [x, y], undefined, { strict: true }), /^Error: autograd\.functional\.vjp: the gradient of input 1 is independent of the inputs \(strict mode\); pass \{strict: false\} to get zeros$/);
  assert.deepEqual(vals(F.vjp(onlyX, [x, y])[1]), [[3, 12], [0, 0]], "without strict: zeros for input 1");
  assert.throws(() => F.jvp((a: Tensor, b: Tensor) => [a.mul(2), b.detach()], [x, y], [x, y], { strict: true }), /^Error: autograd\.functional\.jvp: output 1 of the user-provided function does not require gradients \(strict mode\)/);
  // jvp: the output depends on the input but only linearly-constantly (a gradient with no graph in v).
  const linear = (a: Tensor): Tensor => a.mul(3);
  assert.deepEqual(vals(F.jvp(linear, x, f64([1, -1]))), [[3, 6], [3, -3]]);
  assert.throws(() => F.vhp(onlyX, [x, y], [x, y], { strict: true }), /^Error: autograd\.functional\.vhp: the jacobian 1 is independent of the inputs \(strict mode\)/);
  assert.throws(() => F.hvp(onlyX, [x, y], [x, y], { strict: true }), /^Error: autograd\.functional\.hvp: the jacobian 1 is independent of the inputs \(strict mode\)/);
  // The Jacobian in b is w, which requires grad but does not depend on a or b: no second derivative in b.
  const w = f64([1, 1], true);
  const linInB = (a: Tensor, b: Tensor): Tensor => a.pow(3).sum().add(b.mul(w).sum());
  assert.throws(() => F.vhp(linInB, [x, y], [x, y], { strict: true }), /^Error: autograd\.functional\.vhp: the second derivative in input 1 is independent of the inputs \(strict mode\)/);
  assert.deepEqual(vals(F.vhp(linInB, [x, y], [f64([1, 1]), f64([1, 1])])[1]), [[6, 12], [0, 0]]);
  const quadInX = (a: Tensor, b: Tensor): Tensor => a.pow(3).sum().add(b.sum());
  assert.deepEqual(vals(F.vhp(quadInX, [x, y], [f64([1, 1]), f64([1, 1])])[1]), [[6, 12], [0, 0]]);
  assert.throws(() => F.hvp(quadInX, [x, y], [x, y], { strict: true }), /^Error: autograd\.functional\.hvp: jacobian 1 of the user-provided function does not require gradients \(strict mode\)/);
  assert.deepEqual(vals(F.hvp(quadInX, [x, y], [f64([1, 1]), f64([1, 1])])[1]), [[6, 12], [0, 0]]);
  assert.throws(() => F.hessian(quadInX, [x, y], { strict: true }), /^Error: autograd\.functional\.hessian: jacobian 1 of the user-provided function does not require gradients \(strict mode\)/);
  assert.throws(() => F.jacobian((a: Tensor) => a.mul(2), x, { strict: true, createGraph: true }), /^Error: autograd\.functional\.jacobian: the jacobian of output 0 is independent of input 0 \(strict mode with createGraph\)/);
  assert.deepEqual(vals(F.jacobian((a: Tensor) => a.square(), x, { strict: true, createGraph: true })), [[2, 0], [0, 4]]);
});

test("options must be an object; func must be a function; inputs and v are tensors", () => {
  const x = f64([1, 2]);
  for (const [bad, got] of [[x, "a Tensor"], [[], "object"], [null, "object"], [3, "number"], ["x", "string"]] as const) {
    assert.throws(() => F.jacobian((a: Tensor) => a, x, bad as never), new RegExp(`^Error: autograd\\.functional\\.jacobian: the options must be an object like \\{createGraph: true\\}, got ${got}$`));
  }
  for (const fn of [F.vjp, F.jvp, F.vhp, F.hvp] as const) {
    assert.throws(() => (fn as (f: unknown, i: Tensor, v: unknown, o: unknown) => unknown)((a: Tensor) => a.sum(), x, x, 5), /the options must be an object like \{createGraph: true\}, got number/);
  }
  assert.throws(() => F.hessian((a: Tensor) => a.sum(), x, 5 as never), /^Error: autograd\.functional\.hessian: the options must be an object/);
  assert.throws(() => F.vjp(3 as never, x, x), /^Error: autograd\.functional\.vjp: func must be a function of the input tensors, got number$/);
  assert.throws(() => F.vjp((a: Tensor) => a, null as never, x), /^Error: autograd\.functional\.vjp: inputs must be a Tensor or an array of tensors, got null$/);
  assert.throws(() => F.vjp((a: Tensor) => a, 3 as never, x), /inputs must be a Tensor or an array of tensors, got number$/);
  assert.throws(() => F.vjp((a: Tensor) => a, x, [x, 2] as never), /^Error: autograd\.functional\.vjp: v must be a Tensor or an array of tensors, got an array holding non-tensors$/);
  assert.throws(() => F.vjp((a: Tensor) => a, x, [x, x]), /^Error: autograd\.functional\.vjp: v has 2 tensor\(s\) but the outputs 1; give one v per output$/);
  assert.throws(() => F.jvp((a: Tensor) => a, x, [x, x]), /^Error: autograd\.functional\.jvp: v has 2 tensor\(s\) but the input 1; give one v per input$/);
  assert.throws(() => F.jvp((a: Tensor, b: Tensor) => a.add(b), [x, x], [x]), /v has 1 tensor\(s\) but the inputs 2; give one v per input$/);
  assert.throws(() => F.jvp((a: Tensor) => a, x, f64([1])), /^Error: autograd\.functional\.jvp: entry 0 of v has shape \[1\] but input 0 has shape \[2\]; they must match$/);
  assert.throws(() => F.hvp((a: Tensor) => a.sum(), x, f64([1])), /^Error: autograd\.functional\.hvp: entry 0 of v has shape \[1\] but input 0 has shape \[2\]/);
  assert.throws(() => F.vhp((a: Tensor) => a.sum(), x), /^Error: autograd\.functional\.vhp: v can be left out only if the input is a single tensor with a single element; got 1 input\(s\), the first of shape \[2\]$/);
  assert.throws(() => F.vhp((a: Tensor) => a.sum(), [f64([1]), f64([2])] as never), /v can be left out only if the input is a single tensor with a single element; got 2 input\(s\), the first of shape \[1\]$/);
  assert.throws(() => F.jvp((a: Tensor) => a.sum(), [f64([1]), f64([2])] as never), /^Error: autograd\.functional\.jvp: v can be left out only if the input is a single tensor with a single element; got 2 input\(s\)/);
  assert.throws(() => F.vjp((a: Tensor) => [a.sum(), a.sum()], x), /^Error: autograd\.functional\.vjp: v can be left out only if the function returns a single tensor with a single element; it returned 2 tensor\(s\), the first of shape \[\]$/);
  assert.throws(() => F.vhp((a: Tensor) => a, x, x), /^Error: autograd\.functional\.vhp: the function should return a single-element Tensor, got shape \[2\]$/);
  assert.throws(() => F.hessian((a: Tensor) => [a.sum()] as never, x), /^Error: autograd\.functional\.hessian: the function should return a single Tensor, it returned an array of 1$/);
  assert.throws(() => F.jacobian((a: Tensor) => a, x, { strategy: "sideways" as never }), /^Error: autograd\.functional\.jacobian: strategy must be "reverse-mode" or "forward-mode", got "sideways"$/);
});

test("v may be left out for a one-element input (and a one-element output in vjp)", () => {
  const x = f64([2]);
  assert.deepEqual(vals(F.jvp((a: Tensor) => a.pow(3), x)), [[8], [12]]);
  assert.deepEqual(vals(F.vhp((a: Tensor) => a.pow(3).sum(), x)), [8, [12]]);
  assert.deepEqual(vals(F.hvp((a: Tensor) => a.pow(3).sum(), x)), [8, [12]]);
  assert.deepEqual(vals(F.vjp((a: Tensor) => a.pow(3), x)), [[8], [12]]);
  assert.deepEqual(vals(F.vjp((a: Tensor) => a.pow(3), x, null)), [[8], [12]]);
});

test("empty outputs and inputs give empty Jacobian blocks of the right shape", () => {
  const x = f64([1, 2, 3]);
  const j = F.jacobian((a: Tensor) => a.narrow(0, 0, 0), x);
  assert.deepEqual(j.shape, [0, 3]);
  assert.equal(j.dtype, "float64");
  const e = f64([]);
  const [je, jx] = F.jacobian((a: Tensor, b: Tensor) => b.square().add(a.sum()), [e, x]);
  assert.deepEqual([je.shape, jx.shape], [[3, 0], [3, 3]]);
  assert.deepEqual(jx.tolist(), [[2, 0, 0], [0, 4, 0], [0, 0, 6]]);
  const [fe, fx] = F.jacobian((a: Tensor, b: Tensor) => b.square().add(a.sum()), [e, x], { vectorize: true, strategy: "forward-mode" });
  assert.deepEqual([fe.shape, fx.shape, fe.dtype], [[3, 0], [3, 3], "float64"]);
  assert.deepEqual(fx.tolist(), [[2, 0, 0], [0, 4, 0], [0, 0, 6]]);
  // forward-mode on an input of another dtype: the basis vectors take the input's dtype.
  const x32 = tensor([1, 2]);
  assert.deepEqual(F.jacobian((a: Tensor) => a.square(), x32, { vectorize: true, strategy: "forward-mode" }).tolist(), [[2, 0], [0, 4]]);
});

test("createGraph: results require grad and reach the caller's inputs; without it they are detached", () => {
  const x = f64([1, 2], true);
  const cube = (a: Tensor): Tensor => a.pow(3).sum();
  for (const fn of [F.vhp, F.hvp] as const) {
    const [out, hv] = fn(cube, x, f64([1, 1]), { createGraph: true });
    assert.equal(out.requiresGrad, true);
    assert.deepEqual(hv.tolist(), [6, 12]);
    assert.deepEqual(grad(hv.sum(), x)[0]!.tolist(), [6, 6], "d/dx of 6x summed");
    const [out2, hv2] = fn(cube, x, f64([1, 1]));
    assert.deepEqual([out2.requiresGrad, hv2.requiresGrad], [false, false]);
  }
  const [y, g] = F.vjp((a: Tensor) => a.pow(3), x, f64([1, 1]), { createGraph: true });
  assert.equal(y.requiresGrad, true);
  assert.deepEqual(grad(g.sum(), x)[0]!.tolist(), [6, 12]);
  const [, g2] = F.vjp((a: Tensor) => a.pow(3), x, f64([1, 1]));
  assert.equal(g2.requiresGrad, false);
  // Under createGraph, v is part of the graph too.
  const v = f64([1, 1], true);
  const [, gv] = F.vjp((a: Tensor) => a.pow(3), x, v, { createGraph: true });
  assert.deepEqual(grad(gv.sum(), v)[0]!.tolist(), [3, 12]);
  // hessian's forward-mode outer Jacobian on inputs that do not require grad.
  const h = F.hessian(cube, f64([1, 2]), { outerJacobianStrategy: "forward-mode", vectorize: true });
  assert.deepEqual(h.tolist(), [[6, 0], [0, 12]]);
  assert.equal(x.grad, null);
});

test("grad mode: results inside noGrad are the same, and the mode is restored", () => {
  const x = f64([1, 2]);
  const cube = (a: Tensor): Tensor => a.pow(3).sum();
  const r = noGrad(() => [F.vhp(cube, x, f64([1, 1])), F.hvp(cube, x, f64([1, 1])), F.jvp((a: Tensor) => a.pow(3), x, f64([1, 1]))]);
  assert.deepEqual(r.map(([, p]) => p.tolist()), [[6, 12], [6, 12], [3, 12]]);
  assert.equal(autograd.isGradEnabled(), true);
  const inside = noGrad(() => F.vjp((a: Tensor) => a.pow(3), x, f64([1, 1]), { createGraph: true })[1]);
  assert.equal(inside.requiresGrad, true, "createGraph records even inside noGrad");
});

test("v does not join the graph unless it requires grad; hessian names its own strategy errors (PyTorch 1.13)", () => {
  // torch: vjp/jvp(lambda a: a * 3, x, v, create_graph=True) with x, v not requiring grad gives
  // outputs that require grad and products that do not (v is detached, not made a leaf).
  const x = f64([1, 2]);
  const v = f64([1, -1]);
  for (const fn of [F.vjp, F.jvp] as const) {
    const [out, prod] = fn((a: Tensor) => a.mul(3), x, v, { createGraph: true });
    assert.deepEqual([out.requiresGrad, prod.requiresGrad, prod.tolist()], [true, false, [3, -3]]);
  }
  assert.throws(() => F.hessian((a: Tensor) => a.pow(3).sum(), x, { outerJacobianStrategy: "forward-mode" }), /^Error: autograd\.functional\.hessian: outerJacobianStrategy "forward-mode" requires \{vectorize: true\}, as in PyTorch$/);
  assert.throws(() => F.hessian((a: Tensor) => a.pow(3).sum(), x, { outerJacobianStrategy: "up" as never }), /^Error: autograd\.functional\.hessian: outerJacobianStrategy must be "reverse-mode" or "forward-mode", got "up"$/);
});
