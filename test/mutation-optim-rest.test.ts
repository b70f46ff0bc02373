// Session 10: tests for the survivors of `npm run mutate -- src/optim/optimizer.ts:365-9999
// src/optim/radam.ts src/optim/rmsprop.ts src/optim/sgd.ts` (docs/mutation/session-10-muta.md): the
// option checks every optimizer shares on values that JavaScript's `>=` would coerce, and SGD's
// tensor-op path (float16 parameters) with weight decay 0 and an infinite parameter.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tensor, optim } from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const ps = () => [tensor([1, 2], { requiresGrad: true })];

test("optimizer checks: an lr or option that is not a number is refused even where >= 0 would coerce it", () => {
  // "0.1" >= 0 and null >= 0 are true in JavaScript; PyTorch compares them with a float and fails.
  throwsWith(() => new optim.SGD(ps(), { lr: "0.1" as never }), 'SGD: invalid lr string "0.1": the learning rate must be a number >= 0');
  throwsWith(() => new optim.SGD(ps(), { lr: null as never }), "SGD: invalid lr null: the learning rate must be a number >= 0");
  throwsWith(() => new optim.SGD(ps(), { lr: 0.1, momentum: "0.9" as never }), 'SGD: invalid momentum string "0.9": it must be a number >= 0');
  throwsWith(() => new optim.SGD(ps(), { lr: 0.1, weightDecay: [1] as never }), "SGD: invalid weightDecay an array of length 1: it must be a number >= 0");
});

test("checkBetas: both betas must be numbers, checked before their range", () => {
  throwsWith(() => new optim.Adam(ps(), { betas: [0.9, "x"] as never }), "Adam: betas must be a pair of numbers [beta1, beta2], got an array of length 2");
  throwsWith(() => new optim.Adam(ps(), { betas: ["0.9", 0.999] as never }), "Adam: betas must be a pair of numbers [beta1, beta2], got an array of length 2");
});

test("SGD on the tensor-op path (float16) with weight decay 0 leaves an infinite parameter infinite, as PyTorch", () => {
  // torch 1.13: p = torch.tensor([inf, 1.], dtype=torch.float16); SGD([p], lr=0.1, momentum=0.9),
  // two steps with grad [1, 1] -> [inf, 0.7099609375]. Adding 0 * p would make the first NaN.
  const p = tensor([Infinity, 1], { dtype: "float16", requiresGrad: true });
  const opt = new optim.SGD([p], { lr: 0.1, momentum: 0.9 });
  for (let i = 0; i < 2; i++) {
    p.grad = tensor([1, 1], { dtype: "float16" });
    opt.step();
  }
  assert.deepEqual(p.tolist(), [Infinity, 0.7099609375]);
});
