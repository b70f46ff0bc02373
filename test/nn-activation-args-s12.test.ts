// Activation layers check their constructor arguments (session 12): `new nn.LeakyReLU({ inplace: true })`
// used to make a LeakyReLU with negative_slope=-inf, `new nn.ELU({ inplace: true })` alpha=-inf,
// `new nn.GELU({ approximate: "tanh" })` approximate='[object Object]', and `new nn.ReLU({ foo: 1 })` was
// accepted silently. PyTorch's inplace flag is refused with what to do; the options form works.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const inplace = (layer: string) => `${layer}: PyTorch's inplace flag is not taken: the layer returns a new tensor and leaves its input as it was; drop { inplace: true }`;
const make = (name: string, ...args: unknown[]) => new (nn as unknown as Record<string, new (...a: unknown[]) => nn.Module>)[name](...args);

test("activation layers refuse PyTorch's inplace flag and stray arguments, naming the layer", () => {
  for (const name of ["ReLU", "Sigmoid", "Tanh", "SiLU", "LeakyReLU", "ELU", "GELU", "ReLU6", "Mish", "Hardtanh"]) {
    throwsWith(() => make(name, { inplace: true }), inplace(name));
  }
  throwsWith(() => make("Sigmoid", { x: 1 }), "Sigmoid: takes no arguments, got an object; write new nn.Sigmoid()");
  throwsWith(() => make("Tanh", 3), "Tanh: takes no arguments, got number 3; write new nn.Tanh()");
  throwsWith(() => make("GELU", "fast"), 'GELU: approximate must be "none" or "tanh" (PyTorch\'s choices), got "fast"');
  throwsWith(() => make("LeakyReLU", { slope: 0.1 }), "LeakyReLU: unknown option 'slope'; it takes negativeSlope");
});

test("LeakyReLU, ELU and GELU take their parameter positionally or in an options object, as torch's keyword", () => {
  assert.equal(String(new nn.LeakyReLU(0.2)), "LeakyReLU(negative_slope=0.2)");
  assert.equal(String(new nn.LeakyReLU({ negativeSlope: 0.3 })), "LeakyReLU(negative_slope=0.3)");
  assert.equal(String(new nn.LeakyReLU()), "LeakyReLU(negative_slope=0.01)");
  assert.equal(String(new nn.ELU({ alpha: 0.5 })), "ELU(alpha=0.5)");
  assert.equal(String(new nn.GELU({ approximate: "tanh" })), "GELU(approximate='tanh')");
  assert.equal(String(new nn.GELU("tanh")), "GELU(approximate='tanh')");
  // torch.nn.LeakyReLU(negative_slope=0.3)(torch.tensor([-2., 1.])) = [-0.6, 1.]
  const y = Array.from(new nn.LeakyReLU({ negativeSlope: 0.3 }).call(tensor([-2, 1])).data());
  assert.ok(Math.abs(y[0] - -0.6) < 1e-6 && y[1] === 1, `got ${y}`);
});

test("Dropout and Dropout2d take p positionally or as torch's keyword, and refuse inplace", () => {
  // torch.nn.Dropout(p=0.2) prints Dropout(p=0.2, inplace=False)
  assert.equal(String(new nn.Dropout({ p: 0.2 })), "Dropout(p=0.2, inplace=False)");
  assert.equal(String(new nn.Dropout2d({ p: 0.2 })), "Dropout2d(p=0.2, inplace=False)");
  assert.equal(String(new nn.Dropout(0.3)), "Dropout(p=0.3, inplace=False)");
  assert.equal(String(new nn.Dropout()), "Dropout(p=0.5, inplace=False)");
  throwsWith(() => make("Dropout", { p: 0.5, inplace: true }), inplace("Dropout"));
  throwsWith(() => make("Dropout2d", 2), "Dropout2d: p must be a probability in [0, 1], got 2");
  throwsWith(() => make("Dropout", { q: 1 }), "Dropout: unknown option 'q'; did you mean 'p'? (it takes p, generator)");
});
