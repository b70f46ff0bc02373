// src/nn/layers: what survived `npm run mutate -- src/nn/layers` (docs/testing.md, "Session 9:
// src/nn"): constructor argument checks whose message names the layer and the argument (matched
// from the start of the message), the bounds those checks allow (PyTorch 1.13's: RReLU lower = upper
// and Softshrink lambd = 0 are accepted), and options passed on to parameters.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor } from "../src/index.js";

/** The call throws an Error whose message starts with `start` (a regex source, anchored here). */
function throwsFrom(fn: () => unknown, start: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Error, `expected an Error, got ${String(e)}`);
    assert.match(e.message, new RegExp("^" + start), e.message);
    return true;
  });
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

test("activation layers name themselves and the argument in constructor errors", () => {
  const bad: [string, () => unknown, string][] = [
    ["Softplus beta", () => new nn.Softplus({ beta: "2" as never }), 'Softplus: beta must be a number, got string "2"'],
    ["Softplus threshold", () => new nn.Softplus({ threshold: NaN }), "Softplus: threshold must be a number, got number NaN"],
    ["Hardtanh minVal", () => new nn.Hardtanh({ minVal: "a" as never }), 'Hardtanh: minVal must be a number, got string "a"'],
    ["Hardtanh maxVal", () => new nn.Hardtanh({ maxVal: "b" as never }), 'Hardtanh: maxVal must be a number, got string "b"'],
    ["Hardtanh order", () => new nn.Hardtanh(1, 1), "Hardtanh: maxVal (1) must be greater than minVal (1)"],
    ["CELU alpha", () => new nn.CELU({ alpha: "1" as never }), 'CELU: alpha must be a number, got string "1"'],
    ["GLU dim", () => new nn.GLU({ dim: 1.5 }), "GLU: dim must be an integer, got 1.5"],
    ["PReLU init", () => new nn.PReLU({ init: "x" as never }), 'PReLU: init must be a number, got string "x"'],
    ["RReLU lower", () => new nn.RReLU({ lower: "x" as never }), 'RReLU: lower must be a number, got string "x"'],
    ["RReLU upper", () => new nn.RReLU({ upper: NaN }), "RReLU: upper must be a number, got number NaN"],
    ["RReLU order", () => new nn.RReLU(0.3, 0.2), "RReLU: lower (0.3) must not be greater than upper (0.2)"],
    ["Softmin dim", () => new nn.Softmin(1.5), "Softmin: dim must be an integer, got 1.5"],
    ["Softmax dim", () => new nn.Softmax(0.5), "Softmax: dim must be an integer, got 0.5"],
    ["LogSoftmax dim", () => new nn.LogSoftmax(0.5), "LogSoftmax: dim must be an integer, got 0.5"],
    ["Threshold threshold", () => new nn.Threshold("a" as never, 0), 'Threshold: threshold must be a number, got string "a"'],
    ["Threshold value", () => new nn.Threshold(0, "b" as never), 'Threshold: value must be a number, got string "b"'],
    ["Softshrink lambd", () => new nn.Softshrink({ lambd: "x" as never }), 'Softshrink: lambd must be a number, got string "x"'],
    ["Softshrink negative", () => new nn.Softshrink(-0.5), "Softshrink: lambd must be greater or equal to 0, got -0.5"],
    ["Hardshrink lambd", () => new nn.Hardshrink({ lambd: "x" as never }), 'Hardshrink: lambd must be a number, got string "x"'],
  ];
  for (const [, make, msg] of bad) throwsFrom(make, esc(msg) + "$");
});

test("activation layers accept PyTorch's boundary values", () => {
  // RReLU(0.2, 0.2): a fixed slope, in eval mode and in training.
  const r = new nn.RReLU(0.2, 0.2);
  assert.deepEqual([...r.call(tensor([-1, 2])).data()].map((v) => Math.round(v * 1e6) / 1e6), [-0.2, 2]);
  // Softshrink(0) is the identity; Hardshrink takes a negative lambd (PyTorch does not check it).
  assert.deepEqual([...new nn.Softshrink(0).call(tensor([-1, 0.5])).data()], [-1, 0.5]);
  assert.deepEqual([...new nn.Hardshrink(-1).call(tensor([-0.5, 0.25])).data()], [-0.5, 0.25]);
});

test("PReLU makes its weight in the dtype asked for (float32 by default)", () => {
  assert.equal(new nn.PReLU().weight.dtype, "float32");
  const p = new nn.PReLU({ numParameters: 3, init: 0.1, dtype: "float64" });
  assert.equal(p.weight.dtype, "float64");
  assert.deepEqual([...p.weight.shape], [3]);
  assert.deepEqual([...p.weight.data()], [0.1, 0.1, 0.1]);
});
