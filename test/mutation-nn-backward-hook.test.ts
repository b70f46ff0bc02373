// src/nn/backward-hook.ts: what the session-10 run of src/nn left alive (docs/mutation/session-10-coord.md):
// full backward hooks on a module none of whose inputs requires grad (they run from the output's
// node, get null input gradients and may not replace them), and no hook machinery without grad.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, randn, noGrad, Tensor } from "../src/index.js";

test("a full backward hook where no input requires grad sees null input gradients and the output gradient; returning nulls is allowed", () => {
  const lin = new nn.Linear(3, 2);
  let seen: [unknown[], number[][]] | null = null;
  lin.registerFullBackwardHook((_m, gIn, gOut) => {
    seen = [[...gIn], gOut.map((g) => [...(g as Tensor).shape])];
    return [null];
  });
  lin.call(randn([4, 3])).sum().backward();
  assert.deepEqual(seen, [[null], [[4, 2]]]);
  assert.deepEqual(lin.weight.grad!.shape, [2, 3], "the parameters still get their gradients");
});

test("a full backward hook that returns a gradient where no input requires grad is an error naming the module", () => {
  const lin = new nn.Linear(3, 2);
  let calls = 0;
  lin.registerFullBackwardHook(() => {
    calls++;
    return [randn([4, 3])];
  });
  assert.throws(() => lin.call(randn([4, 3])).sum().backward(), (e: Error) => {
    assert.equal(e.message, "backward: Linear.call: a full backward hook of a module where no input requires grad must return nothing (or nulls), since there is no input gradient to replace");
    return true;
  });
  assert.equal(calls, 1);
});

test("under noGrad, or when no output requires grad, the output is returned as it is (no hook node)", () => {
  const lin = new nn.Linear(3, 2);
  let calls = 0;
  lin.registerFullBackwardHook(() => void calls++);
  const y = noGrad(() => lin.call(randn([4, 3])));
  assert.deepEqual([y.requiresGrad, y.gradFn], [false, null]);
  for (const p of lin.parameters()) p.requiresGrad = false;
  const z = lin.call(randn([4, 3]));
  assert.deepEqual([z.requiresGrad, z.gradFn, calls], [false, null, 0]);
});
