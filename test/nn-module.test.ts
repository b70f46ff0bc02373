// Module bookkeeping: structural registration, traversal, modes, hooks, state dicts and printing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor, zeros, ones, randn, manualSeed, noGrad, type Tensor } from "../src/index.js";

class Net extends nn.Module {
  fc1 = new nn.Linear(4, 3);
  act = new nn.ReLU();
  fc2 = new nn.Linear(3, 2, { bias: false });
  forward(x: Tensor): Tensor {
    return this.fc2.call(this.act.call(this.fc1.call(x)));
  }
}

test("fields register parameters and children in declaration order", () => {
  manualSeed(0);
  const n = new Net();
  assert.deepEqual([...n.namedParameters()].map(([k]) => k), ["fc1.weight", "fc1.bias", "fc2.weight"]);
  assert.deepEqual([...n.namedChildren()].map(([k]) => k), ["fc1", "act", "fc2"]);
  assert.deepEqual([...n.namedModules()].map(([k]) => k), ["", "fc1", "act", "fc2"]);
  assert.equal(n.parameters().length, 3);
  assert.ok(n.parameters().every((p) => p instanceof nn.Parameter && p.requiresGrad));
  assert.deepEqual(Object.keys(n.stateDict()), ["fc1.weight", "fc1.bias", "fc2.weight"]);
});

test("Sequential names children 0,1,... and prints like PyTorch", () => {
  const s = new nn.Sequential(new nn.Linear(784, 10), new nn.ReLU());
  assert.equal(s.toString(), "Sequential(\n  (0): Linear(in_features=784, out_features=10, bias=True)\n  (1): ReLU()\n)");
  assert.equal(s.at(-1).constructor.name, "ReLU");
  assert.deepEqual(Object.keys(s.stateDict()), ["0.weight", "0.bias"]);
  assert.throws(() => s.at(2), /index 2 is out of range for a container of 2 modules/);
});
