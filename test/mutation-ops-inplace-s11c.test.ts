// Survivors of `npm run mutate -- src/ops/elementwise.ts` (session 11,
// docs/mutation/session-11-opsc.md): the in-place machinery's refusals (inference tensors, leaves
// and their views, shape and dtype changes), its graph rewiring, and the in-place methods'
// operands (addcmul_, addcdiv_, copy_, fill_, uniform_, normal_). Values from torch 1.13.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { throwsWith } from "./throws-with.js";

test("in place: an inference tensor only inside inferenceMode", () => {
  const i = dt.inferenceMode(() => dt.tensor([1, 2]));
  throwsWith(() => i.add_(1), "add_: an inference tensor (made inside inferenceMode) cannot be modified in place outside inferenceMode; make a normal tensor with x.clone() first");
  throwsWith(() => dt.noGrad(() => i.mul_(2)), "mul_: an inference tensor (made inside inferenceMode) cannot be modified in place outside inferenceMode; make a normal tensor with x.clone() first");
  assert.deepEqual([...dt.inferenceMode(() => i.add_(1)).data()], [2, 3]);
  assert.deepEqual([...i.data()], [2, 3]);
});

test("in place: leaves that require grad and their views are refused while recording, allowed under noGrad", () => {
  const w = dt.tensor([1, 2], { requiresGrad: true });
  throwsWith(() => w.add_(1),
    "add_: a leaf tensor that requires grad cannot be modified in place while gradients are recorded; wrap the update in noGrad(() => ...) as optimizers do, or use the out-of-place add");
  throwsWith(() => w.narrow(0, 0, 1).mul_(2),
    "mul_: a view of a leaf tensor that requires grad cannot be modified in place while gradients are recorded; wrap the update in noGrad(() => ...) as optimizers do, or use the out-of-place mul");
  dt.noGrad(() => w.narrow(0, 1, 1).mul_(3));
  assert.deepEqual([...w.data()], [1, 6]);
  assert.equal(w.isLeaf, true);
  assert.equal(w.gradFn, null);
});

test("in place: the result must keep the shape and fit the dtype", () => {
  throwsWith(() => dt.tensor([1, 2]).add_(dt.tensor([[1, 2], [3, 4]])), "add_: the result has shape [2,2] but the tensor modified in place has shape [2]; in-place ops cannot change shape");
  throwsWith(() => dt.tensor([1, 2], { dtype: "int64" }).add_(0.5), "add_: the result is float32 and cannot be stored in place into a int64 tensor; use the out-of-place add");
  throwsWith(() => dt.tensor([1, 2], { dtype: "int64" }).sqrt_(), "sqrt_: the result is float32 and cannot be stored in place into a int64 tensor; use the out-of-place sqrt");
  // A narrower result is stored converted (float32 into float64; int64 into float32).
  const f = dt.tensor([1, 2], { dtype: "float64" }).add_(dt.tensor([0.5, 0.25]));
  assert.equal(f.dtype, "float64");
  assert.deepEqual([...f.data()], [1.5, 2.25]);
  const g = dt.tensor([1.5, 2]).add_(dt.tensor([1, 2], { dtype: "int64" }));
  assert.equal(g.dtype, "float32");
  assert.deepEqual([...g.data()], [2.5, 4]);
});

test("in place on a non-leaf: the tensor takes over the result's graph (torch: grads 2·w·y', ...)", () => {
  // torch: w = tensor([1., 2.], requires_grad=True); y = w * 3; y.mul_(w); y.sum().backward(); w.grad == [6, 12]
  const w = dt.tensor([1, 2], { requiresGrad: true });
  const y = dt.mul(w, 3);
  const before = y.gradFn;
  y.mul_(w);
  assert.notEqual(y.gradFn, before);
  assert.equal(y.requiresGrad, true);
  assert.deepEqual([...y.data()], [3, 12]);
  y.sum().backward();
  assert.deepEqual([...w.grad!.data()], [6, 12]);
  // A constant written into a tensor that requires grad cuts its old graph (zero gradient, as FillBackward).
  const w2 = dt.tensor([1, 2], { requiresGrad: true });
  const z = dt.mul(w2, 2);
  z.fill_(7);
  assert.equal(z.requiresGrad, true);
  assert.deepEqual([...z.data()], [7, 7]);
  z.sum().backward();
  assert.deepEqual([...w2.grad!.data()], [0, 0]);
  // A plain tensor given a value that requires grad now requires grad (torch: x.copy_(w) has a grad_fn).
  const w3 = dt.tensor([4, 5], { requiresGrad: true });
  const x = dt.zeros([2]);
  x.copy_(w3);
  assert.equal(x.requiresGrad, true);
  dt.mul(x, dt.tensor([2, 3])).sum().backward();
  assert.deepEqual([...w3.grad!.data()], [2, 3]);
});

test("addcmul_/addcdiv_: operands under their own names, values as torch", () => {
  throwsWith(() => dt.tensor([1]).addcmul_("a" as never, dt.tensor([1])), 'addcmul_: tensor1 must be a Tensor, a number or a boolean, got string "a"');
  throwsWith(() => dt.tensor([1]).addcdiv_(dt.tensor([1]), "b" as never), 'addcdiv_: tensor2 must be a Tensor, a number or a boolean, got string "b"');
  throwsWith(() => dt.tensor([1]).addcmul_(dt.tensor([1]), dt.tensor([1]), "v" as never), 'addcmul_: value must be a finite number, got string "v"');
  // torch: tensor([1., 2.]).addcmul_(tensor([3., 4.]), tensor([5., 6.]), value=0.5) = [8.5, 14]; addcdiv_ = [1.3, 2.333...]
  assert.deepEqual([...dt.tensor([1, 2], { dtype: "float64" }).addcmul_(dt.tensor([3, 4], { dtype: "float64" }), dt.tensor([5, 6], { dtype: "float64" }), 0.5).data()], [8.5, 14]);
  assert.deepEqual([...dt.tensor([1, 2], { dtype: "float64" }).addcdiv_(dt.tensor([3, 4], { dtype: "float64" }), dt.tensor([5, 6], { dtype: "float64" }), 0.5).data()], [1 + (3 / 5) * 0.5, 2 + (4 / 6) * 0.5]);
  assert.deepEqual([...dt.tensor([1, 2], { dtype: "float64" }).addcmul_(dt.tensor([3, 4], { dtype: "float64" }), dt.tensor([5, 6], { dtype: "float64" })).data()], [16, 26]);
});

test("in place: a plain tensor multiplied in place by one that requires grad keeps its old value for the gradient", () => {
  // torch: x = tensor([2., 3.]); w = tensor([4., 5.], requires_grad=True); x.mul_(w); x.sum().backward(); w.grad == [2, 3]
  const x = dt.tensor([2, 3]);
  const w = dt.tensor([4, 5], { requiresGrad: true });
  x.mul_(w);
  assert.deepEqual([...x.data()], [8, 15]);
  x.sum().backward();
  assert.deepEqual([...w.grad!.data()], [2, 3]);
});

test("in place through a view after its base was modified in place: the write differentiates the current base", () => {
  // torch: a = tensor([1., 2.], requires_grad=True); b = a * 1; v = b[0:1]; b.mul_(3); v.mul_(2); b.sum().backward()
  // gives b = [6, 6] and a.grad = [6, 3].
  const a = dt.tensor([1, 2], { requiresGrad: true });
  const b = dt.mul(a, 1);
  const v = b.narrow(0, 0, 1);
  b.mul_(3);
  v.mul_(2);
  assert.deepEqual([...b.data()], [6, 6]);
  b.sum().backward();
  assert.deepEqual([...a.grad!.data()], [6, 3]);
});

test("uniform_/normal_: one draw each (the same values as rand/randn on the seed), in the tensor's dtype, arguments checked", () => {
  for (const dtype of ["float32", "float64"] as dt.DType[]) {
    dt.manualSeed(5);
    const u = dt.zeros([6], { dtype }).uniform_(-2, 3);
    dt.manualSeed(5);
    const ru = dt.rand([6], { dtype });
    assert.equal(u.dtype, dtype);
    assert.deepEqual([...u.data()], [...dt.add(dt.mul(ru, 5), -2).data()]);
    dt.manualSeed(6);
    const n = dt.zeros([6], { dtype }).normal_(1.5, 2);
    dt.manualSeed(6);
    const rn = dt.randn([6], { dtype });
    assert.deepEqual([...n.data()], [...dt.add(dt.mul(rn, 2), 1.5).data()]);
    // With a generator.
    const g = new dt.Generator().manualSeed(7), g2 = new dt.Generator().manualSeed(7);
    assert.deepEqual([...dt.zeros([3], { dtype }).normal_(0, 1, { generator: g }).data()], [...dt.randn([3], { dtype, generator: g2 }).data()]);
    assert.deepEqual([...dt.zeros([3], { dtype }).uniform_(0, 1, { generator: g }).data()], [...dt.rand([3], { dtype, generator: g2 }).data()]);
  }
  throwsWith(() => dt.zeros([2]).normal_(0, -1), "normal_: std must be a finite number >= 0, got number -1");
  throwsWith(() => dt.zeros([2]).normal_("a" as never), 'normal_: mean must be a finite number, got string "a"');
  throwsWith(() => dt.zeros([2]).normal_(0, "s" as never), 'normal_: std must be a finite number >= 0, got string "s"');
  throwsWith(() => dt.zeros([2]).uniform_("a" as never), 'uniform_: from must be a finite number, got string "a"');
  throwsWith(() => dt.zeros([2]).uniform_(0, "b" as never), 'uniform_: to must be a finite number, got string "b"');
  // torch: "uniform_ expects to return a [from, to) range, but found from=2 > to=1".
  throwsWith(() => dt.zeros([2]).uniform_(2, 1), "uniform_: from must be <= to (the range is [from, to)), got from 2 and to 1");
  assert.deepEqual([...dt.zeros([2]).uniform_(1, 1).data()], [1, 1]);
  assert.deepEqual([...dt.zeros([2]).normal_(3, 0).data()], [3, 3]);
});

test("in place through a view of a plain tensor with a value that requires grad: the base now requires grad", () => {
  // torch: base = zeros(3); w = tensor([4.], requires_grad=True); base[1:2].copy_(w); (base * [1, 2, 3]).sum().backward(); w.grad == [2]
  const base = dt.zeros([3]);
  const w = dt.tensor([4], { requiresGrad: true });
  base.narrow(0, 1, 1).copy_(w);
  assert.equal(base.requiresGrad, true);
  assert.deepEqual([...base.data()], [0, 4, 0]);
  dt.mul(base, dt.tensor([1, 2, 3])).sum().backward();
  assert.deepEqual([...w.grad!.data()], [2]);
});
