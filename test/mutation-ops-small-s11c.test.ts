// Survivors of `npm run mutate -- src/ops/named-tuple.ts src/ops/half-compute.ts src/ops/loss.ts`
// (session 11, docs/mutation/session-11-opsc.md): softmaxCrossEntropy's argument checks and its
// default ignoreIndex, the named tuples' hidden field names, and viaFloat32's single rounding.
// Values from PyTorch 1.13 (F.cross_entropy(..., reduction="none"), torch.var on bfloat16).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { softmaxCrossEntropy } from "../src/index.js";
import { throwsWith } from "./throws-with.js";
import { closeArray as close } from "./float64-close.js";

const X = [[1, 2, 3], [0.5, -1, 2], [3, 0, -2], [1, 1, 1]];
// torch: F.cross_entropy(x, t, reduction="none") in float64.
const CE = [0.4076059644443804, 0.0, 0.05498523537714723, 1.0986122886681098];

test("softmaxCrossEntropy: the default ignoreIndex is -100, and an ignored row gives 0", () => {
  const x = dt.tensor(X, { dtype: "float64" });
  close(softmaxCrossEntropy(x, dt.tensor([2, -100, 0, 1], { dtype: "int64" })).data(), CE);
  // An ignoreIndex outside 0..C-1 is accepted in the target (only that value).
  close(softmaxCrossEntropy(x, dt.tensor([2, 5, 0, 1], { dtype: "int64" }), 5).data(), CE);
  // int32 targets are class indices too.
  close(softmaxCrossEntropy(x, dt.tensor([2, -100, 0, 1], { dtype: "int32" })).data(), CE);
});

test("softmaxCrossEntropy: class indices at the ends of 0..C-1 are accepted, one past is refused", () => {
  const x = dt.tensor([[1, 2, 3], [0.5, -1, 2]], { dtype: "float64" });
  close(softmaxCrossEntropy(x, dt.tensor([0, 2], { dtype: "int64" })).data(), [2.4076059644443806, 0.24131129665715703]);
  const m = (v: number, ii = -100): string => `softmaxCrossEntropy: target class index ${v} is out of range for 3 classes (valid: 0..2, or ignoreIndex ${ii})`;
  throwsWith(() => softmaxCrossEntropy(x, dt.tensor([0, 3], { dtype: "int64" })), m(3), RangeError);
  throwsWith(() => softmaxCrossEntropy(x, dt.tensor([-1, 0], { dtype: "int64" })), m(-1), RangeError);
  throwsWith(() => softmaxCrossEntropy(x, dt.tensor([1, -100], { dtype: "int64" }), 1), m(-100, 1), RangeError);
});

test("softmaxCrossEntropy: logits must be floating [N,C], the target int class indices of shape [N]", () => {
  const lg = "softmaxCrossEntropy: logits must be a floating-point [N,C] tensor, got";
  throwsWith(() => softmaxCrossEntropy(dt.tensor([1, 2, 3]), dt.tensor([0], { dtype: "int64" })), `${lg} float32 [3]`);
  throwsWith(() => softmaxCrossEntropy(dt.tensor([[1, 2]], { dtype: "int64" }), dt.tensor([0], { dtype: "int64" })), `${lg} int64 [1,2]`);
  throwsWith(() => softmaxCrossEntropy(dt.ones([1, 2, 3]), dt.tensor([0], { dtype: "int64" })), `${lg} float32 [1,2,3]`);
  const x = dt.ones([2, 3]);
  const tg = "softmaxCrossEntropy: target must be int64 (or int32) class indices of shape [2], got";
  throwsWith(() => softmaxCrossEntropy(x, dt.tensor([0, 1])), `${tg} float32 [2]`);
  throwsWith(() => softmaxCrossEntropy(x, dt.tensor([[0, 1]], { dtype: "int64" })), `${tg} int64 [1,2]`);
  // N rows but two-dimensional: only the rank check refuses it.
  throwsWith(() => softmaxCrossEntropy(x, dt.tensor([[0], [1]], { dtype: "int64" })), `${tg} int64 [2,1]`);
  throwsWith(() => softmaxCrossEntropy(x, dt.tensor([0, 1, 2], { dtype: "int64" })), `${tg} int64 [3]`);
});

test("named tuples: the field names are not enumerable (keys, JSON and spreading show the array)", () => {
  const x = dt.tensor([[3, 1], [2, 4]]);
  for (const r of [x.sort(), x.topk(1), dt.aminmax(x)] as unknown as object[]) {
    assert.deepEqual(Object.keys(r), ["0", "1"]);
    assert.equal(JSON.stringify(Object.keys({ ...r })), '["0","1"]');
  }
  const { values, indices } = x.sort();
  assert.deepEqual([...values.data()], [1, 3, 2, 4]);
  assert.deepEqual([...indices.numbers()], [1, 0, 0, 1]);
  const { min, max } = dt.aminmax(x);
  assert.equal(min.item(), 1);
  assert.equal(max.item(), 4);
});

test("viaFloat32: a bfloat16 variance is computed in float32 and rounded once (as torch.var does)", () => {
  // bfloat16 holds 1000, 1001, 1002, 1003 as 1000, 1000, 1000, 1004: the variance is exactly 4 (torch:
  // 4.0, std 2.0); rounding each step to bfloat16 gives 5.34375.
  dt.tensor([1], { dtype: "float16" }); // half tensors exist (viaFloat32's fast path is off)
  const b = dt.tensor([1000, 1001, 1002, 1003], { dtype: "bfloat16" });
  assert.equal(b.var().dtype, "bfloat16");
  assert.equal(b.var().item(), 4);
  assert.equal(b.std().item(), 2);
  // float32 input is computed as is.
  assert.equal(dt.tensor([1000, 1000, 1000, 1004]).var().item(), 4);
});
