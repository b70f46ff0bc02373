// The exam's Problem 3 (backpropagation through y = ReLU(Wx + b)) and Problem 2.7 (tanh'), using
// only tensors and autograd.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tensor, linspace, noGrad, leakyRelu, type Tensor } from "../src/index.js";

function step(W: Tensor, b: Tensor, x: number, y: number, act: (z: Tensor) => Tensor) {
  W.grad = null;
  b.grad = null;
  const pred = act(W.mul(x).add(b));
  const loss = pred.sub(y).pow(2).sum();
  loss.backward();
  return { pred: pred.item(), loss: loss.item(), dW: W.grad!.item(), db: b.grad!.item() };
}

test("Problem 3: forward, loss, chain rule and one SGD step on x = 4", () => {
  const W = tensor([1], { requiresGrad: true });
  const b = tensor([1], { requiresGrad: true });
  const r = step(W, b, 4, 1, (z) => z.relu());
  assert.deepEqual(r, { pred: 5, loss: 16, dW: 32, db: 8 });
  noGrad(() => {
    W.sub_(W.grad!.mul(0.5));
    b.sub_(b.grad!.mul(0.5));
  });
  assert.equal(W.item(), -15);
  assert.equal(b.item(), -3);
});

test("Problem 3: the ReLU dies on x = 2 and three more steps leave W unchanged; LeakyReLU keeps a gradient", () => {
  const W = tensor([-15], { requiresGrad: true });
  const b = tensor([-3], { requiresGrad: true });
  const r = step(W, b, 2, 0.5, (z) => z.relu());
  assert.equal(r.pred, 0);
  assert.equal(r.loss, 0.25);
  assert.ok(r.dW === 0, `dW = ${r.dW}`);
  assert.ok(r.db === 0, `db = ${r.db}`);
  const data = [[3, 0.75], [4, 1], [2, 0.5]];
  for (const [x, y] of data) {
    const s = step(W, b, x, y, (z) => z.relu());
    noGrad(() => {
      W.sub_(W.grad!.mul(0.5));
      b.sub_(b.grad!.mul(0.5));
    });
    assert.ok(s.dW === 0);
  }
  assert.equal(W.item(), -15);
  const leaky = step(W, b, 2, 0.5, (z) => leakyRelu(z, 0.01));
  assert.ok(Math.abs(leaky.dW) > 0, "LeakyReLU passes a gradient through negative inputs");
  assert.ok(Math.abs(leaky.dW - 2 * (-0.33 - 0.5) * 0.01 * 2) < 1e-5);
});

test("Problem 2.7: autograd's d tanh(x)/dx equals 1 - tanh(x)^2", () => {
  const x = linspace(-4, 4, 81, { dtype: "float64", requiresGrad: true });
  x.tanh().sum().backward();
  // The expected derivative comes from Math.tanh, not the library's tanh, so a wrong forward
  // cannot hide a wrong backward.
  const xs = Array.from({ length: 81 }, (_, i) => -4 + i / 10);
  assert.ok(Array.from(x.data()).every((v, i) => Math.abs(v - xs[i]) < 1e-14), "linspace(-4, 4, 81) steps by 0.1");
  const got = x.grad!.data();
  xs.forEach((v, i) => {
    const want = 1 - Math.tanh(v) ** 2;
    assert.ok(Math.abs(got[i] - want) < 1e-12, `at x=${v}: ${got[i]}, expected ${want}`);
  });
});
