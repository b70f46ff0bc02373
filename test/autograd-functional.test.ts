// autograd.functional against PyTorch 1.13 (scripts/fixtures/autograd.py): values, result nesting
// for single and array inputs/outputs, zeros for unused inputs, createGraph, strict and bad calls.
import { test } from "node:test";
import assert from "node:assert/strict";
import { autograd, grad, ones, Tensor } from "../src/index.js";
import { FIX, assertClose, f64 } from "./autograd-helpers.js";

const F = autograd.functional;
const fx = FIX.functional;

// The functions of scripts/fixtures/autograd.py, written the same way.
const fSingle = (x: Tensor): Tensor => x.exp().mul(x.sin());
const fPair = (x: Tensor, y: Tensor): [Tensor, Tensor] => [x.mul(y).tanh(), x.square().sum().add(y.sum())];
const sSingle = (x: Tensor): Tensor => x.sin().mul(x.pow(2)).sum().add(x.select(0, 0).mul(x.select(0, 1)));
const sPair = (x: Tensor, y: Tensor): Tensor => x.matmul(y).tanh().sum().add(x.mul(x).sum().mul(y.get(0, 0)));
const fUnused = (x: Tensor): Tensor => x.exp();

const X3 = [0.3, -0.7, 1.1];
const X21 = [[0.5], [-0.4]];
const Y3 = [0.2, -1.3, 0.9];
const A23 = [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]];
const B32 = [[0.7, -0.1], [0.2, 0.3], [-0.5, 0.6]];
const V3 = [1.0, -2.0, 0.5];
const V23 = [[0.3, -0.1, 0.2], [1.0, 0.5, -0.4]];
const V32 = [[0.2, 0.1], [-0.3, 0.4], [0.5, -0.6]];

test("jacobian: a tensor for one input and output, [output][input] arrays for arrays, zeros for an unused input", () => {
  assertClose(F.jacobian(fSingle, f64(X3)), fx.jacobian_single);
  const jp = F.jacobian(fPair, [f64(X21), f64(Y3)]);
  assert.deepEqual(jp.map((row) => row.map((t) => t.shape)), [[[2, 3, 2, 1], [2, 3, 3]], [[2, 1], [3]]]);
  assertClose(jp, fx.jacobian_pair);
  assertClose(F.jacobian(fUnused, [f64(X3), f64(Y3)]), fx.jacobian_unused);
  // vectorize is accepted (same rows); forward-mode builds the same Jacobian column by column.
  assertClose(F.jacobian(fPair, [f64(X21), f64(Y3)], { vectorize: true }), fx.jacobian_pair);
  assertClose(F.jacobian(fPair, [f64(X21), f64(Y3)], { vectorize: true, strategy: "forward-mode" }), fx.jacobian_pair);
});

test("hessian of one input and of two inputs ([i][j] blocks)", () => {
  assertClose(F.hessian(sSingle, f64(X3)), fx.hessian_single);
  const h = F.hessian(sPair, [f64(A23), f64(B32)]);
  assert.deepEqual(h.map((row) => row.map((t) => t.shape)), [[[2, 3, 2, 3], [2, 3, 3, 2]], [[3, 2, 2, 3], [3, 2, 3, 2]]]);
  assertClose(h, fx.hessian_pair);
  assertClose(F.hessian(sPair, [f64(A23), f64(B32)], { outerJacobianStrategy: "forward-mode", vectorize: true }), fx.hessian_pair);
});

test("vjp and jvp return [outputs, product] nested like PyTorch's", () => {
  assertClose(F.vjp(fSingle, f64(X3), f64(V3)), fx.vjp_single);
  assertClose(F.vjp(fPair, [f64(X21), f64(Y3)], [f64(V23), f64(2)]), fx.vjp_pair);
  assertClose(F.vjp(sSingle, f64(X3)), fx.vjp_scalar_no_v);
  assertClose(F.jvp(fSingle, f64(X3), f64(V3)), fx.jvp_single);
  assertClose(F.jvp(fPair, [f64(X21), f64(Y3)], [f64([[1], [-1]]), f64(V3)]), fx.jvp_pair);
});

test("vhp and hvp, single and paired inputs", () => {
  assertClose(F.vhp(sSingle, f64(X3), f64(V3)), fx.vhp_single);
  assertClose(F.hvp(sSingle, f64(X3), f64(V3)), fx.hvp_single);
  assertClose(F.vhp(sPair, [f64(A23), f64(B32)], [f64(V23), f64(V32)]), fx.vhp_pair);
  assertClose(F.hvp(sPair, [f64(A23), f64(B32)], [f64(V23), f64(V32)]), fx.hvp_pair);
});

test("results are detached unless createGraph; with it they differentiate again (PyTorch's values)", () => {
  const x = f64(X3, true);
  const plain = F.jacobian(fSingle, x);
  assert.equal(plain.requiresGrad, false);
  const J = F.jacobian(fSingle, x, { createGraph: true });
  assert.equal(J.requiresGrad, true);
  assertClose(grad(J.mul(J).sum(), x)[0], fx.jacobian_create_graph_grad);
  const H = F.hessian(sSingle, x, { createGraph: true });
  assertClose(grad(H.sum(), x)[0], fx.hessian_create_graph_grad);
  const [, jv] = F.jvp(fSingle, x, f64(V3), { createGraph: true });
  assertClose(grad(jv.sum(), x)[0], fx.jvp_create_graph_grad);
  // The caller's graph is left alone: no .grad appears on x.
  assert.equal(x.grad, null);
});

test("strict mode, v rules and bad calls throw errors naming the function and the fix", () => {
  assert.throws(() => F.jacobian(fUnused, [f64(X3), f64(Y3)], { strict: true }), /jacobian: output 0 .* independent of input 1 \(strict mode\)/);
  assert.throws(() => F.vjp(() => ones([2], { dtype: "float64" }), f64(X3), f64([1, 1]), { strict: true }), /vjp: output 0 .* does not require gradients/);
  assert.throws(() => F.vjp(fSingle, f64(X3)), /vjp: v can be left out only if the function returns a single tensor with a single element/);
  assert.throws(() => F.jvp(fSingle, f64(X3)), /jvp: v can be left out only if the input is a single tensor with a single element/);
  assert.throws(() => F.vjp(fSingle, f64(X3), f64([1, 2])), /vjp: entry 0 of v has shape \[2\] but outputs 0 has shape \[3\]/);
  assert.throws(() => F.hessian(fSingle, f64(X3)), /hessian: the function should return a single-element Tensor, got shape \[3\]/);
  assert.throws(() => F.hvp(fPair as never, [f64(X21), f64(Y3)], [f64(X21), f64(Y3)]), /hvp: the function should return a single Tensor/);
  assert.throws(() => F.jacobian(fSingle, f64(X3), { strategy: "forward-mode" }), /forward-mode" requires \{vectorize: true\}/);
  assert.throws(() => F.jacobian(fSingle, f64(X3), { strict: true, vectorize: true }), /strict: true\} and \{vectorize: true\} are not supported together/);
  assert.throws(() => F.jacobian(fSingle, [1, 2] as never), /jacobian: inputs must be a Tensor or an array of tensors, got an array holding non-tensors/);
  assert.throws(() => F.jacobian(() => 3 as never, f64(X3)), /jacobian: the outputs of the user-provided function must be a Tensor/);
});

test("the grad mode of the caller is restored, and vjp inside noGrad still computes", () => {
  const r = autograd.noGrad(() => F.vjp(fSingle, f64(X3), f64(V3)));
  assertClose(r, fx.vjp_single);
  assert.equal(autograd.isGradEnabled(), true);
});
