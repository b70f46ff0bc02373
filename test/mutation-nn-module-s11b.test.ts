// What session 11's run 3 left in src/nn/module.ts and is not equivalent (docs/mutation/session-11-nn.md):
// a parameter registered by name stays assignable and can be registered again (writable, configurable).
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor, Tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";

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

test("loadStateDict: a number, two missing keys, and a checkpoint shape that is a prefix of the model's", () => {
  const m = new nn.Linear(3, 2);
  throwsWith(() => m.loadStateDict(3 as never), "Linear.loadStateDict: expected a state dict (an object of tensors by name, as stateDict() or loadWeights() return), got number 3");
  throwsWith(() => m.loadStateDict({}), "Linear.loadStateDict: missing keys: \"weight\", \"bias\" (pass {strict: false} to load the matching keys only)");
  throwsWith(() => m.loadStateDict({ weight: tensor([1, 2]), bias: tensor([1, 2]) }), "Linear.loadStateDict: size mismatch for \"weight\": the checkpoint has shape [2], the model has [2,3] (check that the model is built with the same sizes as the checkpoint)");
});
