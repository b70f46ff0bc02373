// The exam's Problem 6 (a CNN for 375x375 images, 200 classes, and its fully-convolutional
// version) and two small training runs with a hand-written SGD loop.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, randn, rand, tensor, noGrad, manualSeed, Generator, type Tensor } from "../src/index.js";

function examCnn(hidden: number): nn.Sequential {
  const block = (i: number, o: number) => [new nn.Conv2d(i, o, 3), new nn.ReLU(), new nn.MaxPool2d(2)];
  return new nn.Sequential(
    ...block(3, 16), ...block(16, 32), ...block(32, 64), ...block(64, 16),
    new nn.Flatten(), new nn.Linear(16 * 21 * 21, hidden), new nn.ReLU(), new nn.Linear(hidden, 200),
  );
}

/** Output shape of each layer, by the Conv2d/MaxPool2d size formulas (no 375x375 convolution needed). */
function shapeWalk(model: nn.Sequential, input: number[]): number[][] {
  const out: number[][] = [];
  let s = input;
  const size = (n: number, k: number, st: number, p: number, d: number) => Math.floor((n + 2 * p - d * (k - 1) - 1) / st) + 1;
  for (const m of model) {
    if (m instanceof nn.Conv2d) {
      const p = m.padding as number[];
      s = [s[0], m.outChannels, size(s[2], m.kernelSize[0], m.stride[0], p[0], m.dilation[0]), size(s[3], m.kernelSize[1], m.stride[1], p[1], m.dilation[1])];
    } else if (m instanceof nn.MaxPool2d) {
      const k = m.kernelSize as number, st = m.stride as number;
      s = [s[0], s[1], size(s[2], k, st, 0, 1), size(s[3], k, st, 0, 1)];
    } else if (m instanceof nn.Flatten) s = [s[0], s.slice(1).reduce((a, b) => a * b, 1)];
    else if (m instanceof nn.Linear) s = [s[0], m.outFeatures];
    out.push(s);
  }
  return out;
}

test("Problem 6: the first conv has 448 parameters; after the 4th pool the map is 16x21x21; the head has 7056 inputs", () => {
  manualSeed(0);
  const convs = [new nn.Conv2d(3, 16, 3), new nn.Conv2d(16, 32, 3), new nn.Conv2d(32, 64, 3), new nn.Conv2d(64, 16, 3)];
  const count = (m: nn.AnyModule) => m.parameters().reduce((a, p) => a + p.numel(), 0);
  assert.equal(count(convs[0]), 448); // 16·3·3·3 weights + 16 biases
  assert.deepEqual(convs.map(count), [448, 4640, 18496, 9232]);
  const model = examCnn(8); // the hidden size does not change the trunk's shapes
  const walk = shapeWalk(model, [1, 3, 375, 375]);
  assert.deepEqual(walk.slice(0, 12).map((s) => s.slice(1)), [
    [16, 373, 373], [16, 373, 373], [16, 186, 186],
    [32, 184, 184], [32, 184, 184], [32, 92, 92],
    [64, 90, 90], [64, 90, 90], [64, 45, 45],
    [16, 43, 43], [16, 43, 43], [16, 21, 21],
  ]);
  assert.deepEqual(walk[12], [1, 7056]);
  assert.deepEqual(walk.at(-1), [1, 200]);
  // The formula walk agrees with real forward passes on a smaller image (63x63: 61, 30, 28, 14, 12, 6, 4, 2).
  const x = rand([1, 3, 63, 63]);
  const trunk = model.slice(0, 12);
  let y = x;
  const real: number[][] = [];
  noGrad(() => {
    for (const m of trunk) real.push([...(y = m.call(y)).shape]);
  });
  assert.deepEqual(real, shapeWalk(trunk, [1, 3, 63, 63]));
  assert.deepEqual(real.at(-1), [1, 16, 2, 2]);
});

// The exam's head has 2048 hidden units (conv weights [2048,16,21,21] and [200,2048,1,1]);
// initialising those 14M weights takes seconds on the reference backend, so the numeric
// comparison uses 32 hidden units: the reshaping argument does not depend on the width.
test("Problem 6 (hidden size reduced from 2048 to 32 for speed): the fully-convolutional head with copied weights gives the FC head's outputs, and slides over larger maps", () => {
  const hidden = 32;
  manualSeed(6);
  const fcHead = new nn.Sequential(new nn.Flatten(), new nn.Linear(7056, hidden), new nn.ReLU(), new nn.Linear(hidden, 200));
  const convHead = new nn.Sequential(new nn.Conv2d(16, hidden, 21), new nn.ReLU(), new nn.Conv2d(hidden, 200, 1), new nn.Flatten());
  assert.deepEqual(convHead.parameters().map((p) => p.shape), [[hidden, 16, 21, 21], [hidden], [200, hidden, 1, 1], [200]]);
  const sd = fcHead.stateDict();
  // Flatten takes channels, then rows, then columns: the same order as a conv weight's [in, kH, kW].
  convHead.loadStateDict({
    "0.weight": sd["1.weight"].reshape([hidden, 16, 21, 21]),
    "0.bias": sd["1.bias"],
    "2.weight": sd["3.weight"].reshape([200, hidden, 1, 1]),
    "2.bias": sd["3.bias"],
  });
  const features = randn([2, 16, 21, 21]);
  const a = noGrad(() => fcHead.call(features)).data();
  const b = noGrad(() => convHead.call(features)).data();
  assert.equal(a.length, 400);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-5 + 1e-4 * Math.abs(a[i]), `output ${i}: ${a[i]} vs ${b[i]}`);
  // On a 16x22x23 map the conv head yields a 2x3 grid of class scores; its corner is the FC head on that crop.
  const big = randn([1, 16, 22, 23]);
  const grid = noGrad(() => convHead.slice(0, 3).call(big));
  assert.deepEqual(grid.shape, [1, 200, 2, 3]);
  const crop = big.narrow(2, 1, 21).narrow(3, 2, 21);
  const fc = noGrad(() => fcHead.call(crop)).data();
  const corner = grid.select(2, 1).select(2, 2).data();
  for (let i = 0; i < 200; i++) assert.ok(Math.abs(fc[i] - corner[i]) <= 1e-5 + 1e-4 * Math.abs(fc[i]));
});

function sgdStep(params: Tensor[], lr: number): void {
  noGrad(() => {
    for (const p of params) if (p.grad) p.sub_(p.grad.mul(lr));
  });
}

test("a small MLP fits a toy regression (y = x²) to near-zero loss with hand-written SGD", () => {
  manualSeed(42);
  const x = tensor(Array.from({ length: 32 }, (_, i) => [-1 + (2 * i) / 31]));
  const y = x.square();
  const mlp = new nn.Sequential(new nn.Linear(1, 16), new nn.Tanh(), new nn.Linear(16, 1));
  const lossFn = new nn.MSELoss();
  const first = lossFn.call(mlp.call(x), y).item();
  let last = first;
  for (let step = 0; step < 300; step++) {
    mlp.zeroGrad();
    const loss = lossFn.call(mlp.call(x), y);
    loss.backward();
    sgdStep(mlp.parameters(), 0.2);
    last = loss.item();
  }
  assert.ok(last < 3e-3 && last < first / 30, `loss ${first} -> ${last}`);
});

test("a small CNN with BatchNorm and Dropout overfits one batch (cross-entropy to ~0, all predictions right)", () => {
  manualSeed(7);
  const g = new Generator(7);
  const x = randn([8, 1, 6, 6], { generator: g });
  const labels = tensor([0, 1, 2, 3, 0, 1, 2, 3], { dtype: "int32" });
  const cnn = new nn.Sequential(
    new nn.Conv2d(1, 8, 3, { padding: 1 }), new nn.BatchNorm2d(8), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(8, 8, 3, { padding: 1 }), new nn.ReLU(), new nn.AdaptiveAvgPool2d(2),
    new nn.Flatten(), new nn.Dropout(0.1, { generator: g }), new nn.Linear(32, 4),
  );
  const ce = new nn.CrossEntropyLoss();
  let loss = Infinity;
  for (let step = 0; step < 60; step++) {
    cnn.zeroGrad();
    const l = ce.call(cnn.call(x), labels);
    l.backward();
    sgdStep(cnn.parameters(), 0.2);
    loss = l.item();
  }
  cnn.eval();
  const logits = noGrad(() => cnn.call(x));
  const evalLoss = ce.call(logits, labels).item();
  assert.ok(loss < 0.05, `training loss ${loss}`);
  assert.ok(evalLoss < 0.05, `eval loss ${evalLoss}`);
  assert.deepEqual([...logits.argmax(1).data()], [...labels.data()]);
});
