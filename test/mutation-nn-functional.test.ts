// src/nn/functional: what the session-10 run of the rest of src/nn left alive (docs/mutation/session-10-coord.md):
// every activation's own name and argument in its messages (int input, non-number hyper-parameters,
// glu's and prelu's shape checks).
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor } from "../src/index.js";

const F = nn.functional;

function throwsExactly(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => (assert.ok(e instanceof Error), assert.equal(e.message, message), true));
}

test("each activation refuses an integer input under its own name (PyTorch's kernels reject them too)", () => {
  const xi = tensor([1, 2, 3], { dtype: "int32" });
  for (const name of ["softplus", "logsigmoid", "hardsigmoid", "hardswish", "selu", "celu", "mish", "glu", "rrelu", "softsign", "tanhshrink", "softshrink", "hardshrink"] as const) {
    throwsExactly(() => (F[name] as (x: unknown) => unknown)(xi), `${name}: expected a floating-point input, got int32 [3]; convert it with x.float()`);
  }
});

test("activation hyper-parameters and shapes: the message names the function and the argument", () => {
  const x = tensor([1, -2, 3, 4]), xi = tensor([1, 2, 3], { dtype: "int32" });
  const cases: [() => unknown, string][] = [
    [() => F.softplus(x, "1" as never), "softplus: beta must be a number, got string \"1\""],
    [() => F.softplus(x, 1, NaN), "softplus: threshold must be a number, got number NaN"],
    [() => F.hardtanh(x, "a" as never), "hardtanh: minVal must be a number, got string \"a\""],
    [() => F.hardtanh(x, -1, "b" as never), "hardtanh: maxVal must be a number, got string \"b\""],
    [() => F.celu(x, "1" as never), "celu: alpha must be a number, got string \"1\""],
    [() => F.rrelu(x, "a" as never), "rrelu: lower must be a number, got string \"a\""],
    [() => F.rrelu(x, 0.1, "b" as never), "rrelu: upper must be a number, got string \"b\""],
    [() => F.rrelu(x, 0.5, 0.2), "rrelu: lower (0.5) must not be greater than upper (0.2)"],
    [() => F.softmin(x, undefined as never), "softmin: give the dim to normalise along (e.g. softmin(x, 1)); PyTorch's implicit dim is deprecated"],
    [() => F.softmin(xi, 0), "softmin: expected a floating-point input, got int32 [3]; convert it with x.float()"],
    [() => F.threshold(x, "1" as never, 0), "threshold: threshold must be a number, got string \"1\""],
    [() => F.threshold(x, 1, "0" as never), "threshold: value must be a number, got string \"0\""],
    [() => F.softshrink(x, -1), "softshrink: lambd must be greater or equal to 0, got -1"],
    [() => F.softshrink(x, "1" as never), "softshrink: lambd must be a number, got string \"1\""],
    [() => F.hardshrink(x, "1" as never), "hardshrink: lambd must be a number, got string \"1\""],
    [() => F.glu(tensor(1)), "glu: does not take a 0-d tensor; give a tensor with at least one dim"],
    [() => F.glu(x, 1), "glu: dim number 1 is out of range for input [4]"],
    [() => F.glu(x, -2), "glu: dim number -2 is out of range for input [4]"],
    [() => F.glu(x, 0.5), "glu: dim number 0.5 is out of range for input [4]"],
    [() => F.glu(tensor([1, 2, 3])), "glu: halving dimension must be even, but dimension 0 of input [3] has size 3"],
    [() => F.prelu(x, [1] as never), "prelu: weight must be a Tensor, got an array of length 1 (wrap plain numbers with tensor(...))"],
    [() => F.prelu(x, tensor([[1]])), "prelu: weight must be 0-d or 1-d, got [1,1]"],
    [() => F.prelu(tensor([[1, 2], [3, 4]]), tensor([1, 2, 3])), "prelu: weight has 3 values but input [2,2] has 2 channel(s) on dim 1; give 1 value or 2"],
  ];
  for (const [fn, message] of cases) throwsExactly(fn, message);
});
