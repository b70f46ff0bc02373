// Session 12 (helper fixes): a view taken under noGrad whose base is then modified in place is
// refused while gradients are recorded, as PyTorch 1.13 refuses it (views made in no_grad mode carry
// CreationMeta NO_GRAD_MODE, and handle_view_on_rebase raises "A view was created in no_grad mode and
// its base or another view of its base has been modified inplace with grad mode enabled ..."), instead
// of silently staying out of the graph. Each case names the torch code it mirrors.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const FIX = "this is ambiguous, so PyTorch forbids it too; take the view and make the in-place change both inside noGrad (not tracked) or both outside it (tracked)";
const rebased = (op: string): string => `${op}: a view of shape [2] was taken under noGrad and its base [3] (or another view of it) has since been modified in place; ${FIX}`;

test("a noGrad view of a base that requires grad is refused in grad mode once the base changed in place", () => {
  // x = torch.zeros(3, requires_grad=True).clone(); with torch.no_grad(): v = x[1:]
  // x.add_(1) works; (v * 2) then raises.
  const x = dt.zeros([3], { requiresGrad: true }).clone();
  const v = dt.noGrad(() => x.get("1:"));
  x.add_(1);
  throwsWith(() => v.mul(2), rebased("mul"));
  // Reading values stays allowed (v.tolist(), v.detach()), and so does computing under noGrad.
  assert.deepEqual(v.tolist(), [1, 1]);
  assert.deepEqual(dt.noGrad(() => v.mul(2)).tolist(), [2, 2]);
  // The same after an in-place change made under noGrad (torch raises at the next use with grad mode on).
  const y = dt.zeros([3], { requiresGrad: true }).clone();
  const u = dt.noGrad(() => y.get("1:"));
  dt.noGrad(() => y.add_(1));
  throwsWith(() => u.sum(), rebased("sum"));
});

test("a base that comes to require grad through the in-place op is refused too; one that never does is not", () => {
  // a = torch.zeros(3); with torch.no_grad(): va = a[1:]; a.add_(w) with w requiring grad; (va * 1) raises.
  const w = dt.ones([3], { requiresGrad: true });
  const a = dt.zeros([3]);
  const va = dt.noGrad(() => a.get("1:"));
  a.add_(w);
  throwsWith(() => va.mul(1), rebased("mul"));
  assert.deepEqual(va.tolist(), [1, 1]);
  // a = torch.zeros(3); with torch.no_grad(): vb = a[1:]; a.add_(1); (vb * 1).requires_grad is False.
  const b = dt.zeros([3]);
  const vb = dt.noGrad(() => b.get("1:"));
  b.add_(1);
  assert.equal(vb.mul(1).requiresGrad, false);
  assert.deepEqual(vb.mul(1).tolist(), [1, 1]);
});

test("a noGrad view of a base that requires grad cannot itself be modified in place in grad mode", () => {
  // x = torch.zeros(3, requires_grad=True).clone(); with torch.no_grad(): v = x[1:]; v.mul_(2) raises
  // "A view was created in no_grad mode and is being modified inplace with grad mode enabled ...".
  const x = dt.zeros([3], { requiresGrad: true }).clone();
  const v = dt.noGrad(() => x.get("1:"));
  throwsWith(() => v.mul_(2), `mul_: a view of shape [2] taken under noGrad is being modified in place while gradients are recorded; ${FIX}`);
  // Under noGrad it may (torch: with torch.no_grad(): v.mul_(2) is fine).
  dt.noGrad(() => v.add_(3));
  assert.deepEqual(x.detach().tolist(), [0, 3, 3]);
  // A view taken in grad mode is still recorded through (torch: x[1:].mul_(2) then backward).
  const leaf = dt.ones([3], { requiresGrad: true });
  const z = leaf.mul(1);
  z.get("1:").mul_(2);
  z.sum().backward();
  assert.deepEqual(leaf.grad!.tolist(), [1, 2, 2]);
});
