// Layers with a zero size build as in PyTorch 1.13 (nn.Conv2d(0, 4, 3), nn.Embedding(3, 0), ...:
// empty weights, init skipped), and convolutions over zero input channels give the sums over nothing
// (0, plus the bias) on every backend; the wasm kernels divided by zero there.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, zeros, ones, tensor, setBackend, conv2d, convTranspose2d, conv2dRelu } from "../src/index.js";
import { throwsWith } from "./throws-with.js";

test("zero-size layers build with PyTorch's parameter shapes", () => {
  // Shapes printed by torch 1.13: [tuple(p.shape) for p in nn.Conv2d(0, 4, 3).parameters()], etc.
  const cases: [{ parameters(): Iterable<{ shape: readonly number[] }> }, number[][]][] = [
    [new nn.Conv2d(0, 4, 3), [[4, 0, 3, 3], [4]]],
    [new nn.Conv2d(4, 0, 3), [[0, 4, 3, 3], [0]]],
    [new nn.Conv1d(0, 2, 3), [[2, 0, 3], [2]]],
    [new nn.ConvTranspose2d(0, 2, 3), [[0, 2, 3, 3], [2]]],
    [new nn.ConvTranspose2d(2, 0, 3), [[2, 0, 3, 3], [0]]],
    [new nn.Embedding(0, 3), [[0, 3]]],
    [new nn.Embedding(3, 0), [[3, 0]]],
    [new nn.Bilinear(2, 2, 0), [[0, 2, 2], [0]]],
    [new nn.Bilinear(2, 0, 3), [[3, 2, 0], [3]]],
  ];
  for (const [m, shapes] of cases) assert.deepEqual([...m.parameters()].map((p) => p.shape), shapes, String(m));
  assert.equal(String(new nn.Conv2d(0, 4, 3)), "Conv2d(0, 4, kernel_size=(3, 3), stride=(1, 1))");
  // fanIn 0: the bias is not drawn (PyTorch leaves it uninitialised; ours stays zero, never NaN).
  assert.deepEqual(new nn.Conv2d(0, 4, 3).bias!.tolist(), [0, 0, 0, 0]);
  // Bilinear's bound is 1/sqrt(in1Features): PyTorch divides by zero there, we refuse at the call.
  throwsWith(() => new nn.Bilinear(0, 2, 3), "Bilinear: in1Features must be an integer >= 1, got 0");
  throwsWith(() => new nn.Conv2d(-1, 4, 3), "Conv2d: inChannels must be an integer >= 0, got -1");
  throwsWith(() => new nn.Embedding(2.5, 4), "Embedding: numEmbeddings must be an integer >= 0, got 2.5");
});

for (const backend of ["js", "wasm"] as const) {
  test(`${backend}: convolutions over zero input channels are the bias, with empty gradients for x and w`, () => {
    setBackend(backend);
    try {
      const x = zeros([2, 0, 5, 5], { requiresGrad: true }), w = zeros([4, 0, 3, 3], { requiresGrad: true });
      const b = tensor([1, -2, 3, 0.5], { requiresGrad: true });
      const y = conv2d(x, w, b);
      assert.deepEqual(y.shape, [2, 4, 3, 3]);
      const flat = [...y.data()] as number[];
      for (let i = 0; i < flat.length; i++) assert.equal(flat[i], [1, -2, 3, 0.5][Math.floor(i / 9) % 4], `element ${i}`);
      y.sum().backward();
      assert.deepEqual([x.grad!.shape, w.grad!.shape, b.grad!.tolist()], [[2, 0, 5, 5], [4, 0, 3, 3], [18, 18, 18, 18]]);
      // The input gradient's kernel over zero channels (convTranspose2d of a 0-channel input).
      const t = convTranspose2d(zeros([1, 0, 4, 4]), zeros([0, 2, 3, 3]), ones([2]));
      assert.deepEqual([t.shape, [...new Set(t.data())]], [[1, 2, 6, 6], [1]]);
      // The fused conv + ReLU + pool: ReLU of the bias, pooled.
      const f = conv2dRelu(zeros([1, 0, 4, 4]), zeros([2, 0, 3, 3]), tensor([-1, 2]), {}, { kernelSize: 2 });
      assert.deepEqual(f.tolist(), [[[[0]], [[2]]]]);
      assert.deepEqual(new nn.Conv2d(0, 3, 3).forward(zeros([1, 0, 4, 4])).shape, [1, 3, 2, 2]);
    } finally {
      setBackend("js");
    }
  });
}
