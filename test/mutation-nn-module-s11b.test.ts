// What session 11's run 3 left in src/nn/module.ts and is not equivalent (docs/mutation/session-11-nn.md):
// a parameter registered by name stays assignable and can be registered again (writable, configurable).
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor, Tensor } from "../src/index.js";

test("registerParameter: the field can be assigned and registered again, and the new parameter is the one listed", () => {
  class P extends nn.Module<[Tensor], Tensor> {
    constructor() {
      super();
      this.registerParameter("w", new nn.Parameter(tensor([1])));
    }
    forward(x: Tensor): Tensor {
      return x;
    }
  }
  const m = new P();
  const p2 = new nn.Parameter(tensor([2]));
  m.registerParameter("w", p2);
  assert.equal(m.parameters()[0], p2);
  const p3 = new nn.Parameter(tensor([3]));
  (m as unknown as { w: nn.Parameter }).w = p3;
  assert.equal(m.parameters()[0], p3);
  m.registerParameter("w", null);
  assert.deepEqual(m.parameters(), []);
  assert.deepEqual(Object.keys(m.stateDict()), []);
});
