// Session 13 (helper mlp): what Node.apply hands a backward rule. Its `output` must be a getter on a
// shared prototype, not an own accessor: an object literal with a getter made per call (a
// dictionary-mode object with its own accessor pair, which V8 allocates in old space) kept every
// backward's closure, saved tensors and gradients alive through scavenges until the next full
// collection, so ~25% of a training step's allocations were promoted (docs/backend-wasm.md, session 13).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/core.js";
import { tensor } from "../src/core.js";
import { apply, defineOp } from "../src/ops/op.js";

test("a rule's saved view reads output through a shared prototype getter, checked for in-place changes when read", () => {
  const seen: object[] = [];
  let out: number[] = [];
  const twice = defineOp<undefined>({
    name: "twiceS13",
    forward: ([x]) => x.mul(2),
    backward: (g, s) => {
      seen.push(s);
      out = s.output.tolist() as number[];
      return [g.mul(2)];
    },
  });
  const x = tensor([1, -2, 3], { requiresGrad: true });
  apply(twice, [x], undefined).sum().backward();
  assert.deepEqual(out, [2, -4, 6]);
  assert.deepEqual(x.grad!.tolist(), [2, 2, 2]);
  apply(twice, [x], undefined).sum().backward();
  assert.deepEqual(x.grad!.tolist(), [4, 4, 4]);
  const [a, b] = seen;
  // No own accessor (the cause of the promotion), one prototype for every call, and the data
  // fields a rule reads are there as before.
  assert.equal(Object.getOwnPropertyDescriptor(a, "output"), undefined);
  assert.equal(Object.getPrototypeOf(a), Object.getPrototypeOf(b));
  assert.equal(typeof Object.getOwnPropertyDescriptor(Object.getPrototypeOf(a), "output")?.get, "function");
  const s = a as { inputShapes: number[][]; inputDtypes: string[]; needsInputGrad: boolean[]; attrs: unknown };
  assert.deepEqual([s.inputShapes, s.inputDtypes, s.needsInputGrad, s.attrs], [[[3]], ["float32"], [true], undefined]);

  // The output is still version-checked when the rule reads it.
  const y = apply(twice, [x], undefined);
  y.add_(1);
  assert.throws(() => y.sum().backward(), /^Error: backward: twiceS13 backward: a tensor of shape \[3\] that this op saved was modified in place afterwards \(version 1, expected 0\)/);
});

test("a node with more inputs than any before reads them lazily through the shared prototype, past its length undefined", () => {
  // 40 inputs: more than the 16 getters that used to be on the prototype (the rest were own
  // accessors per call, the same old-space accessor pairs as an output getter).
  const xs = Array.from({ length: 40 }, (_, i) => tensor([i, -i], { requiresGrad: true }));
  const seen: Array<{ n: number; own: boolean; past: unknown; last: number[] }> = [];
  const sumAll = defineOp<undefined>({
    name: "sumAllS13",
    forward: (ins) => ins.reduce((a, b) => a.add(b)),
    backward: (g, s) => {
      seen.push({ n: s.inputs.length, own: Object.getOwnPropertyDescriptor(s.inputs, 39) !== undefined, past: (s.inputs as unknown[])[40], last: s.inputs[39].tolist() as number[] });
      return s.inputs.map(() => g);
    },
  });
  apply(sumAll, xs, undefined).sum().backward();
  assert.deepEqual(seen, [{ n: 40, own: false, past: undefined, last: [39, -39] }]);
  for (const x of xs) assert.deepEqual(x.grad!.tolist(), [1, 1]);
  // Only what a rule reads is version-checked: cat's rule reads shapes, so changing its 30th input
  // in place is fine, while a rule that reads every input refuses it.
  const ys = Array.from({ length: 40 }, () => tensor([1, 2], { requiresGrad: true }).mul(1));
  const c = dt.cat(ys);
  ys[29].mul_(3);
  c.sum().backward();
  const zs = Array.from({ length: 40 }, () => tensor([1, 2], { requiresGrad: true }).mul(1));
  const s2 = apply(sumAll, zs, undefined);
  zs[29].mul_(3);
  assert.throws(() => s2.sum().backward(), /sumAllS13 backward: a tensor of shape \[2\] that this op saved was modified in place afterwards \(version 1, expected 0\)/);
});
