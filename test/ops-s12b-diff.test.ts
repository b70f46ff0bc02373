// Session 12 (helper ops): diff(x, n = 1, dim = -1, prepend, append) as torch.diff (1.13), a composite
// of narrow and sub (logical_xor for bool), function and method, positional or in one options object.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const x = dt.tensor([1, 4, 9, 16, 25]);

test("diff: values, n, dim, prepend and append as torch.diff", () => {
  // torch.diff(x) = [3, 5, 7, 9]; n=2: [2, 2, 2]; n=0: x (a copy); n=7: [] (shape (0,))
  assert.deepEqual(dt.diff(x).tolist(), [3, 5, 7, 9]);
  assert.deepEqual(dt.diff(x, 2).tolist(), [2, 2, 2]);
  const same = x.diff({ n: 0 });
  assert.notEqual(same, x);
  assert.deepEqual(same.tolist(), [1, 4, 9, 16, 25]);
  assert.deepEqual(dt.diff(x, { n: 7 }).shape, [0]);
  // m = torch.arange(12.).reshape(3, 4) ** 2: torch.diff(m, dim=0), torch.diff(m)
  const m = dt.arange(12).reshape([3, 4]).float().pow(2);
  assert.deepEqual(dt.diff(m, { dim: 0 }).tolist(), [[16, 24, 32, 40], [48, 56, 64, 72]]);
  assert.deepEqual(m.diff().tolist(), [[1, 3, 5], [9, 11, 13], [17, 19, 21]]);
  // torch.diff(x, prepend=torch.tensor([0.]), append=torch.tensor([30., 40.])) = [1, 3, 5, 7, 9, 5, 10]
  assert.deepEqual(dt.diff(x, { prepend: dt.tensor([0]), append: dt.tensor([30, 40]) }).tolist(), [1, 3, 5, 7, 9, 5, 10]);
  // torch.diff(x, 1, 0, torch.tensor([7.])) = [-6, 3, 5, 7, 9] (positional prepend)
  assert.deepEqual(dt.diff(x, 1, 0, dt.tensor([7])).tolist(), [-6, 3, 5, 7, 9]);
  assert.deepEqual(x.diff(1, { dim: 0 }).tolist(), [3, 5, 7, 9]);
  // torch.diff(torch.zeros(2, 4), prepend=torch.ones(2, 1)): prepend may differ along dim only
  assert.deepEqual(dt.diff(dt.zeros([2, 4]), { prepend: dt.ones([2, 1]) }).tolist(), [[-1, 0, 0, 0], [-1, 0, 0, 0]]);
});

test("diff: bool takes logical_xor, integer dtypes stay, prepend/append promote", () => {
  const b = dt.tensor([true, false, false, true]);
  // torch.diff(b) = [True, False, True]; n=2: [True, True]
  const d = dt.diff(b);
  assert.equal(d.dtype, "bool");
  assert.deepEqual(d.tolist(), [true, false, true]);
  assert.deepEqual(dt.diff(b, 2).tolist(), [true, true]);
  // torch.diff(torch.tensor([1, 5, 2], dtype=torch.int32)) = [4, -3] int32; uint8: [4, 253] (wraps)
  const i = dt.diff(dt.tensor([1, 5, 2], { dtype: "int32" }));
  assert.equal(i.dtype, "int32");
  assert.deepEqual(i.tolist(), [4, -3]);
  assert.deepEqual(dt.diff(dt.tensor([1, 5, 2], { dtype: "uint8" })).tolist(), [4, 253]);
  // torch.diff(torch.tensor([1, 2]), append=torch.tensor([2.5])) = [1., 0.5] float32
  const f = dt.diff(dt.tensor([1n, 2n]), { append: dt.tensor([2.5]) });
  assert.equal(f.dtype, "float32");
  assert.deepEqual(f.tolist(), [1, 0.5]);
  // torch.diff(torch.tensor([True, False]), append=torch.tensor([1])) = [-1, 1] int64 (sub after promotion)
  const bi = dt.diff(dt.tensor([true, false]), { append: dt.tensor([1n]) });
  assert.equal(bi.dtype, "int64");
  assert.deepEqual(bi.tolist(), [-1, 1]);
});

test("diff: empty inputs as torch.diff", () => {
  // torch.diff(torch.zeros(0)).shape = (0,); zeros(2, 0) dim=0: (1, 0); zeros(1): (0,);
  // zeros(2, 0), n=3, dim=1: (2, 0); zeros(0, 3), dim=1: (0, 2)
  assert.deepEqual(dt.diff(dt.zeros([0])).shape, [0]);
  assert.deepEqual(dt.diff(dt.zeros([2, 0]), { dim: 0 }).shape, [1, 0]);
  assert.deepEqual(dt.diff(dt.zeros([1])).shape, [0]);
  assert.deepEqual(dt.diff(dt.zeros([2, 0]), 3, 1).shape, [2, 0]);
  assert.deepEqual(dt.diff(dt.zeros([0, 3]), 1, 1).shape, [0, 2]);
});

test("diff: bad input gets an error naming diff", () => {
  // torch: "diff expects input to be at least one-dimensional"
  throwsWith(() => dt.diff(dt.tensor(3)), "diff: expects input to be at least one-dimensional, got a 0-d tensor");
  // torch 1.13 returned the input for n < 0; later PyTorch (and numpy) refuse it.
  throwsWith(() => dt.diff(x, -1), "diff: n (the order) must be non-negative, got -1");
  throwsWith(() => dt.diff(x, 1.5), "diff: n must be an integer, got number 1.5");
  // torch: "Dimension out of range (expected to be in range of [-1, 0], but got 1)"
  throwsWith(() => dt.diff(x, { dim: 1 }), "diff: dimension 1 is out of range for a tensor of 1 dimension (expected a dim in [-1, 0])");
  const m = dt.zeros([3, 4]);
  // torch: "diff expects prepend or append to be the same dimension as input"
  throwsWith(() => dt.diff(m, { prepend: dt.zeros([4]) }), "diff: prepend [4] must have the input's number of dims (2, shape [3,4])");
  // torch: "... input.size(0) = 3, but got tensor.size(0) = 2"
  throwsWith(() => dt.diff(m, { append: dt.zeros([2, 4]) }), "diff: append [2,4] must match the input [3,4] except along dim 1");
  // torch: "argument 'prepend' must be Tensor, not float"
  throwsWith(() => dt.diff(x, { prepend: 0 as never }), "diff: prepend must be a Tensor or null, got number 0");
  throwsWith(() => dt.diff([1, 2] as never), /^diff: input must be a Tensor, got an array of length 2/);
  throwsWith(() => x.diff({ nn: 1 } as never), "x.diff: unknown option 'nn'; did you mean 'n'? (it takes n, dim, prepend, append)");
});

test("diff: gradients (gradcheck in float64, input, prepend and append)", () => {
  dt.manualSeed(3);
  const a = dt.randn([3, 5], { dtype: "float64" }).requiresGrad_();
  const p = dt.randn([3, 1], { dtype: "float64" }).requiresGrad_();
  const q = dt.randn([3, 2], { dtype: "float64" }).requiresGrad_();
  assert.equal(dt.gradcheck((t) => dt.diff(t, 2, 0), [a]), true);
  assert.equal(dt.gradcheck((t, u, v) => dt.diff(t, { n: 3, prepend: u, append: v }), [a, p, q]), true);
  // torch.diff(torch.tensor([1., 2., 4.], requires_grad=True), n=2).sum().backward(): grad [1, -2, 1]
  const g = dt.tensor([1, 2, 4], { requiresGrad: true });
  dt.diff(g, 2).sum().backward();
  assert.deepEqual(g.grad!.tolist(), [1, -2, 1]);
});
