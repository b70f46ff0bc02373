// Session 12 (helper ops): addcmul(input, tensor1, tensor2, { value }) and addcdiv out of place, function
// and method, as torch.addcmul/addcdiv (value keyword-only there); one definition shared with addcmul_/addcdiv_.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const round = (v: number[][]): number[][] => v.map((r) => r.map((e) => Math.round(e * 1e6) / 1e6));

test("addcmul/addcdiv: values, broadcasting, methods", () => {
  const x = dt.tensor([1, 2, 3]), a = dt.tensor([[1], [2]]), b = dt.tensor([4, 5, 6]);
  // torch.addcmul(x, a, b, value=0.5) = [[3, 4.5, 6], [5, 7, 9]]
  assert.deepEqual(dt.addcmul(x, a, b, { value: 0.5 }).tolist(), [[3, 4.5, 6], [5, 7, 9]]);
  // x.addcmul(a, b) = [[5, 7, 9], [9, 12, 15]]
  assert.deepEqual(x.addcmul(a, b).tolist(), [[5, 7, 9], [9, 12, 15]]);
  // torch.addcdiv(x, a, b, value=2) = [[1.5, 2.4, 3.3333333], [2, 2.8, 3.6666667]] (float32)
  const d = dt.addcdiv(x, a, b, { value: 2 });
  assert.deepEqual(round(d.tolist() as number[][]), [[1.5, 2.4, 3.333333], [2, 2.8, 3.666667]]);
  assert.deepEqual(x.addcdiv(a, b, { value: 2 }).tolist(), d.tolist());
  assert.equal(x.addcmul(x, x).dtype, "float32");
  // 0-d and empty: torch.addcdiv(tensor(1.), tensor(2.), tensor(4.)) = 1.5; addcmul of zeros(0): shape (0,)
  assert.equal(dt.addcdiv(dt.tensor(1), dt.tensor(2), dt.tensor(4)).item(), 1.5);
  assert.deepEqual(dt.addcmul(dt.zeros([0]), dt.zeros([0]), dt.zeros([0])).shape, [0]);
  // Promotion: torch.addcdiv(x, x.double(), x) = [2, 3, 4] float64
  const p = dt.addcdiv(x, x.double(), x);
  assert.equal(p.dtype, "float64");
  assert.deepEqual(p.tolist(), [2, 3, 4]);
});

test("addcmul/addcdiv: integer and bool dtypes as PyTorch", () => {
  const i = dt.tensor([1n, 2n]);
  // torch.addcmul(i, i, i, value=2) = [3, 10] int64; value=0.5 is cast to the int64 0: [1, 2]
  const m = dt.addcmul(i, i, i, { value: 2 });
  assert.equal(m.dtype, "int64");
  assert.deepEqual(m.tolist(), [3, 10]);
  assert.deepEqual(dt.addcmul(i, i, i, { value: 0.5 }).tolist(), [1, 2]);
  // int32, value=-1.7 (cast to -1): [0, -2] int32
  const i32 = dt.tensor([1, 2], { dtype: "int32" });
  assert.deepEqual(dt.addcmul(i32, i32, i32, { value: -1.7 }).tolist(), [0, -2]);
  // torch.addcdiv(i, tensor([1., 2.]), i) = [2., 3.] (a float operand: true division)
  assert.deepEqual(dt.addcdiv(i, dt.tensor([1, 2]), i).tolist(), [2, 3]);
  // torch.addcdiv(i, i, i): "Integer division with addcdiv is no longer supported, ..."
  throwsWith(() => dt.addcdiv(i, i, i), /^addcdiv: integer division is not supported \(tensor1 int64, tensor2 int64\)/);
  throwsWith(() => dt.tensor([1, 2]).addcdiv_(i, i), /^addcdiv_: integer division is not supported/);
  // torch: "addcmul_cpu_out" not implemented for 'Bool'
  const t = dt.tensor([true]);
  throwsWith(() => dt.addcmul(t, t, t), /^addcmul: not implemented for bool tensors/);
});

test("addcmul/addcdiv: bad calls name the function", () => {
  const x = dt.tensor([1, 2, 3]);
  // torch.addcmul(x, x, x, 0.5): "addcmul() takes 3 positional arguments but 4 were given"
  throwsWith(() => dt.addcmul(x, x, x, 0.5 as never), "addcmul: value is keyword-only (as in PyTorch); write addcmul(input, tensor1, tensor2, { value: 0.5 })");
  throwsWith(() => dt.addcmul(x, x, x, { val: 1 } as never), "addcmul: unknown option 'val'; did you mean 'value'? (it takes value)");
  throwsWith(() => dt.addcdiv(x, x, x, { value: "a" as never }), 'addcdiv: value must be a finite number, got string "a"');
  throwsWith(() => (dt.addcmul as (...a: unknown[]) => unknown)(x, { tensor1: x, tensor2: x }), "addcmul: tensor1 and tensor2 are positional parameters, not options; write addcmul(input, tensor1, tensor2)");
  throwsWith(() => dt.addcmul([1] as never, x, x), /^addcmul: input must be a Tensor, got an array of length 1/);
  throwsWith(() => x.addcmul(x, dt.ones([2])), /^x?\.?addcmul: shapes \[3\] and \[2\] cannot be broadcast/);
});

test("addcmul/addcdiv: gradients (gradcheck in float64)", () => {
  const f64 = (v: number[] | number[][]) => dt.tensor(v, { dtype: "float64", requiresGrad: true });
  const x = f64([1, 2]), a = f64([[3], [4]]), b = f64([5, -6]);
  assert.equal(dt.gradcheck((p, q, r) => dt.addcmul(p, q, r, { value: 0.5 }), [x, a, b]), true);
  assert.equal(dt.gradcheck((p, q, r) => dt.addcdiv(p, q, r, { value: -1.5 }), [x, a, b]), true);
  // torch.addcdiv(x, a, b, value=0.5).sum().backward(): x.grad [2, 2], a.grad [[1/60], [1/60]], b.grad [-0.14, -0.0972222]
  dt.addcdiv(x, a, b, { value: 0.5 }).sum().backward();
  assert.deepEqual(x.grad!.tolist(), [2, 2]);
  assert.deepEqual((a.grad!.tolist() as number[][]).map((r) => r.map((v) => Math.round(v * 1e9) / 1e9)), [[0.016666667], [0.016666667]]);
  assert.deepEqual((b.grad!.tolist() as number[]).map((v) => Math.round(v * 1e9) / 1e9), [-0.14, -0.097222222]);
});
