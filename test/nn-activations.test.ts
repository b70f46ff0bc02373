// The activation layers over nn.functional's newer activations: PyTorch's printed form, the calling
// convention, PReLU's learnt slope, RReLU's random slopes, and the errors of bad calls. Their values
// and gradients against PyTorch are in the op table (test/optable-nnfunc.ts) and the OpInfo replay.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor, randn, Generator, type Tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const F = nn.functional;
const x = tensor([[-4, -1.5, -0.2, 0], [0.3, 1, 2.5, 7]]);

test("each activation layer prints as PyTorch's and computes its functional form", () => {
  const cases: [nn.Module, string, (t: Tensor) => Tensor][] = [
    [new nn.Softplus(), "Softplus(beta=1, threshold=20)", (t) => F.softplus(t)],
    [new nn.Softplus(2, 5), "Softplus(beta=2, threshold=5)", (t) => F.softplus(t, 2, 5)],
    [new nn.Softplus({ threshold: 5 }), "Softplus(beta=1, threshold=5)", (t) => F.softplus(t, 1, 5)],
    [new nn.ReLU6(), "ReLU6()", F.relu6], [new nn.Hardswish(), "Hardswish()", F.hardswish],
    [new nn.Hardsigmoid(), "Hardsigmoid()", F.hardsigmoid], [new nn.Hardtanh(), "Hardtanh(min_val=-1.0, max_val=1.0)", (t) => F.hardtanh(t)],
    [new nn.Hardtanh(-2, { maxVal: 2.5 }), "Hardtanh(min_val=-2.0, max_val=2.5)", (t) => F.hardtanh(t, -2, 2.5)],
    [new nn.SELU(), "SELU()", F.selu], [new nn.CELU(), "CELU(alpha=1.0)", (t) => F.celu(t)], [new nn.CELU(0.5), "CELU(alpha=0.5)", (t) => F.celu(t, 0.5)],
    [new nn.Mish(), "Mish()", F.mish], [new nn.GLU(), "GLU(dim=-1)", (t) => F.glu(t)], [new nn.GLU(0), "GLU(dim=0)", (t) => F.glu(t, 0)],
    [new nn.RReLU(0.1, 0.3).eval(), "RReLU(lower=0.1, upper=0.3)", (t) => F.rrelu(t, 0.1, 0.3)],
    [new nn.RReLU().eval(), "RReLU(lower=0.125, upper=0.3333333333333333)", (t) => F.rrelu(t)],
    [new nn.Softmin(1), "Softmin(dim=1)", (t) => F.softmin(t, 1)], [new nn.Softsign(), "Softsign()", F.softsign],
    [new nn.Tanhshrink(), "Tanhshrink()", F.tanhshrink], [new nn.Threshold(0.1, 20), "Threshold(threshold=0.1, value=20)", (t) => F.threshold(t, 0.1, 20)],
    [new nn.LogSigmoid(), "LogSigmoid()", F.logsigmoid], [new nn.Softshrink(), "Softshrink(0.5)", (t) => F.softshrink(t)],
    [new nn.Hardshrink(0.3), "Hardshrink(0.3)", (t) => F.hardshrink(t, 0.3)],
  ];
  for (const [m, repr, f] of cases) {
    assert.equal(m.toString(), repr);
    assert.deepEqual(m.call(x).tolist(), f(x).tolist(), repr);
  }
});

test("spot values against PyTorch 1.13 (printed with torch.set_printoptions(precision=6))", () => {
  const close = (t: Tensor, want: number[]): void => (t.reshape([-1]).tolist() as number[]).forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-5, `${i}: ${v} vs ${want[i]}`));
  // torch.nn.functional.hardswish(torch.tensor([-4,-1.5,-0.2,0,0.3,1,2.5,7.]))
  close(F.hardswish(x), [-0, -0.375, -0.093333, 0, 0.165, 0.666667, 2.291667, 7]);
  // F.softplus(x, 2, 5)
  close(F.softplus(x, 2, 5), [1.677032e-4, 2.429368e-2, 2.565076e-1, 3.465736e-1, 5.187440e-1, 1.063464, 2.503358, 7]);
  // F.glu(x) on [2,4]: a·sigmoid(b)
  close(F.glu(x), [-1.800664, -0.75, 0.277243, 0.999089]);
});

test("PReLU learns one slope (or one per channel) named weight, as PyTorch's state dict", () => {
  const m = new nn.PReLU(3);
  assert.equal(m.toString(), "PReLU(num_parameters=3)");
  assert.deepEqual(Object.keys(m.stateDict()), ["weight"]);
  assert.deepEqual(m.weight.tolist(), [0.25, 0.25, 0.25]);
  const input = tensor([[[-2, 1], [-1, -3], [4, -0.5]]]); // [N=1, C=3, L=2]
  m.call(input).sum().backward();
  // d/dw_c = the sum of the channel's non-positive inputs.
  assert.deepEqual(m.weight.grad!.tolist(), [-2, -4, -0.5]);
  assert.equal(new nn.PReLU({ init: 0.1 }).weight.item(), Math.fround(0.1));
  throwsWith(() => new nn.PReLU(2).call(input), "prelu: weight has 2 values but input [1,3,2] has 3 channel(s) on dim 1; give 1 value or 3");
});

test("RReLU draws a slope in [lower, upper] per non-positive element when training, reproducibly with a generator", () => {
  const input = randn([2000]).sub(0.5);
  const a = new nn.RReLU(0.1, 0.3, { generator: new Generator(7) }).call(input);
  const b = F.rrelu(input, 0.1, 0.3, true, { generator: new Generator(7) });
  assert.deepEqual(a.tolist(), b.tolist());
  const xs = input.tolist() as number[], ys = a.tolist() as number[];
  let lo = Infinity, hi = -Infinity;
  xs.forEach((v, i) => {
    if (v > 0) assert.equal(ys[i], v);
    else if (v < 0) { const s = ys[i] / v; lo = Math.min(lo, s); hi = Math.max(hi, s); }
  });
  assert.ok(lo >= 0.1 - 1e-6 && hi <= 0.3 + 1e-6 && hi - lo > 0.15, `slopes span [${lo}, ${hi}]`);
  // Eval mode: the mean slope.
  assert.deepEqual(F.rrelu(tensor([-1, 2]), 0.1, 0.3, false).tolist(), [Math.fround(-0.2), 2]);
});

test("bad calls throw naming the function, what it got and the fix", () => {
  throwsWith(() => F.softplus(tensor([1, 2], { dtype: "int32" })), "softplus: expected a floating-point input, got int32 [2]; convert it with x.float()");
  throwsWith(() => F.glu(tensor([1, 2, 3])), "glu: halving dimension must be even, but dimension 0 of input [3] has size 3");
  throwsWith(() => F.glu(tensor(1)), "glu: does not take a 0-d tensor; give a tensor with at least one dim");
  throwsWith(() => F.softshrink(x, -1), "softshrink: lambd must be greater or equal to 0, got -1");
  throwsWith(() => F.celu(x, 0), "celu: alpha cannot be 0 (it divides x); use relu for the alpha → 0 limit");
  throwsWith(() => new nn.Hardtanh(1, 1), "Hardtanh: maxVal (1) must be greater than minVal (1)");
  throwsWith(() => new nn.Softplus(1, 20, 3 as never), /Softplus: takes at most 2 optional positional arguments \(beta, threshold\), got 3/);
  throwsWith(() => F.softplus(x, "2" as never), 'softplus: beta must be a number, got string "2"');
  throwsWith(() => new nn.RReLU(0.5, 0.1), "RReLU: lower (0.5) must not be greater than upper (0.1)");
  // PyTorch accepts these: hardtanh with min > max gives max, hardshrink with a negative lambd keeps x.
  assert.deepEqual(F.hardtanh(tensor([-3, 0, 3]), 2, 1).tolist(), [1, 1, 1]);
  assert.deepEqual(F.hardshrink(tensor([-3, 0, 3]), -1).tolist(), [-3, 0, 3]);
  assert.deepEqual(F.relu6(tensor([-3, 4, 9], { dtype: "int32" })).tolist(), [0, 4, 6]);
});
