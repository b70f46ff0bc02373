// The fused conv2dRelu op equals the composition it replaces (conv2d, relu, maxPool2d), forward and
// gradients, on the js and wasm backends (1 and 2 threads), for contiguous, transposed and sliced
// inputs and odd sizes; and nn.Sequential runs hook-free Conv2d → ReLU (→ MaxPool2d) through it.
// PyTorch values and float64 gradchecks of the op are in the op table (test/optable-fused.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  type Tensor, conv2d, conv2dRelu, maxPool2d, relu, randn, manualSeed, setBackend, gradcheck, nn, noGrad,
} from "../src/index.js";
import type { Conv2dOptions, FusedMaxPool2d } from "../src/index.js";
import { Node } from "../src/autograd/node.js";
import { summary } from "../src/utils/summary.js";
import { BACKENDS, withBackend } from "./backends.js";

function maxDiff(a: Tensor, b: Tensor): number {
  assert.deepEqual([...a.shape], [...b.shape]);
  const x = a.data(), y = b.data();
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) !== Number.isNaN(y[i])) return Infinity;
    if (!Number.isNaN(x[i])) m = Math.max(m, Math.abs(x[i] - y[i]));
  }
  return m;
}

/** A leaf laid out as asked, holding the values of `t`. */
function laidOut(t: Tensor, layout: "contiguous" | "transposed" | "sliced"): Tensor {
  if (layout === "contiguous") return t.clone().requiresGrad_();
  if (layout === "transposed") return t.transpose(-1, -2).contiguous().transpose(-1, -2).detach().requiresGrad_();
  // Every other element of a doubled last dim.
  const big = t.unsqueeze(-1).expand([...t.shape, 2]).contiguous().flatten(-2);
  return big.slice(-1, 0, undefined, 2).detach().requiresGrad_();
}

interface Case { x: number[]; w: number[]; bias: boolean; conv: Conv2dOptions; pool?: FusedMaxPool2d }

const CASES: Case[] = [
  // The MNIST shapes' kind (the wasm kernel's fused path), odd sizes 1, 3, 7, 17, 65.
  { x: [2, 1, 17, 17], w: [3, 1, 3, 3], bias: true, conv: { padding: 1 }, pool: { kernelSize: 2 } },
  { x: [1, 3, 7, 65], w: [7, 3, 3, 3], bias: true, conv: { padding: 1 }, pool: { kernelSize: 2 } },
  { x: [3, 2, 9, 11], w: [5, 2, 3, 3], bias: false, conv: { padding: 1 } },
  { x: [1, 1, 1, 1], w: [1, 1, 1, 1], bias: true, conv: {} },
  { x: [2, 4, 6, 7], w: [6, 2, 3, 3], bias: true, conv: { padding: 1, groups: 2, dilation: [1, 2] }, pool: { kernelSize: 2 } },
  { x: [2, 3, 5, 5], w: [4, 3, 5, 5], bias: true, conv: { padding: 2 } },
  // Pooled rows of 11 (vector groups of 4 plus an overlapping last one) and of 3 (scalar), odd oH.
  { x: [1, 2, 6, 22], w: [3, 2, 3, 3], bias: true, conv: { padding: 1 }, pool: { kernelSize: 2 } },
  { x: [2, 2, 5, 6], w: [3, 2, 3, 3], bias: true, conv: { padding: 1 }, pool: { kernelSize: 2 } },
  // A batch of one big enough for 2 threads: bands of output rows, cut at even rows for the pool.
  { x: [1, 16, 31, 30], w: [16, 16, 3, 3], bias: true, conv: { padding: 1 }, pool: { kernelSize: 2 } },
  // Winograd on wasm (3×3, stride 1, >= 8 channels each way; F(2×2,3×3) for the 13×7, F(4×4,3×3) for
  // the others): odd sizes, pooled rows of 3 and 8 (partial groups of 4 tiles), rows of 9 and 17
  // tiles, paddings 0 and 2, ReLU without the pool.
  { x: [2, 9, 13, 7], w: [11, 9, 3, 3], bias: true, conv: { padding: 1 }, pool: { kernelSize: 2 } },
  { x: [2, 8, 10, 18], w: [8, 8, 3, 3], bias: false, conv: { padding: 1 } },
  { x: [1, 12, 6, 34], w: [20, 12, 3, 3], bias: true, conv: { padding: [2, 0] } },
  { x: [1, 8, 17, 17], w: [9, 8, 3, 3], bias: true, conv: { padding: 1 }, pool: { kernelSize: 2 } },
  // What the wasm kernel does not fuse (it runs the three kernels): stride, 1×1, other pools.
  { x: [2, 3, 9, 8], w: [4, 3, 3, 3], bias: true, conv: { stride: 2, padding: 1 }, pool: { kernelSize: 2 } },
  { x: [2, 3, 6, 6], w: [4, 3, 1, 1], bias: true, conv: {}, pool: { kernelSize: 2 } },
  { x: [1, 2, 9, 9], w: [3, 2, 3, 3], bias: false, conv: { padding: "same" }, pool: { kernelSize: 3, stride: 2, padding: 1 } },
  { x: [1, 2, 7, 7], w: [3, 2, 3, 3], bias: true, conv: { padding: 1 }, pool: { kernelSize: 2, ceilMode: true } },
];

function unfused(x: Tensor, w: Tensor, b: Tensor | null, c: Case): Tensor {
  const y = relu(conv2d(x, w, b, c.conv));
  if (!c.pool) return y;
  const { kernelSize, ...pool } = c.pool; // maxPool2d's options are the rest (an unknown key is an error)
  return maxPool2d(y, kernelSize, pool);
}

for (const [backendName, threads] of BACKENDS) {
  test(`conv2dRelu equals conv2d → relu (→ maxPool2d), forward and gradients, ${backendName} ${threads} thread(s)`, () =>
    withBackend(backendName, threads, () => {
      manualSeed(7);
      for (const c of CASES) {
        for (const layout of ["contiguous", "transposed", "sliced"] as const) {
          const what = `${JSON.stringify(c)} ${layout}`;
          const x0 = randn(c.x), w0 = randn(c.w), b0 = randn([c.w[0]]);
          const [x, w, b] = [laidOut(x0, layout), laidOut(w0, layout), c.bias ? laidOut(b0, "contiguous") : null];
          const ref = unfused(x, w, b, c);
          const got = conv2dRelu(x, w, b, c.conv, c.pool);
          assert.equal(got.gradFn?.name, "conv2dRelu", what);
          assert.ok(maxDiff(got, ref) <= 1e-5, `${what}: forward differs by ${maxDiff(got, ref)}`);
          const g = randn(ref.shape);
          const leaves = b ? [x, w, b] : [x, w];
          ref.backward(g);
          const want = leaves.map((t) => t.grad!.clone());
          for (const t of leaves) t.grad = null;
          got.backward(g);
          leaves.forEach((t, i) => assert.ok(maxDiff(t.grad!, want[i]) <= 1e-4, `${what}: gradient ${i} differs by ${maxDiff(t.grad!, want[i])}`));
        }
      }
    }));
}

test("conv2dRelu: under noGrad (no indices kept) the same values as when recorded, js and wasm", () => {
  manualSeed(11);
  for (const b of ["js", "wasm"] as const) {
    setBackend(b);
    for (const c of CASES.filter((k) => k.pool)) {
      const x = randn(c.x), w = randn(c.w).requiresGrad_(), bias = c.bias ? randn([c.w[0]]) : null;
      const recorded = conv2dRelu(x, w, bias, c.conv, c.pool);
      assert.equal(recorded.gradFn?.name, "conv2dRelu");
      const plain = noGrad(() => conv2dRelu(x, w, bias, c.conv, c.pool));
      assert.equal(plain.gradFn, null);
      assert.deepEqual([...plain.data()].map(String), [...recorded.data()].map(String), `${b} ${JSON.stringify(c)}`);
    }
  }
  setBackend("wasm");
});

test("conv2dRelu: float64 gradcheck and second order through the js reference", () => {
  setBackend("js");
  try {
    manualSeed(3);
    const x = randn([2, 2, 5, 6], { dtype: "float64", requiresGrad: true });
    const w = randn([3, 2, 3, 3], { dtype: "float64", requiresGrad: true });
    const b = randn([3], { dtype: "float64", requiresGrad: true });
    gradcheck((x, w, b) => conv2dRelu(x, w, b, { padding: 1 }, { kernelSize: 2 }), [x, w, b]);
    gradcheck((x, w, b) => conv2dRelu(x, w, b, { padding: 1 }), [x, w, b]);
  } finally {
    setBackend("wasm");
  }
});

test("conv2dRelu: NaN and negative inputs behave as relu and maxPool2d do", () => {
  const x = randn([1, 1, 4, 8]);
  x.storage.data[5] = NaN;
  const w = randn([2, 1, 3, 3]);
  for (const b of ["js", "wasm"] as const) {
    setBackend(b);
    const ref = maxPool2d(relu(conv2d(x, w, null, { padding: 1 })), 2), got = conv2dRelu(x, w, null, { padding: 1 }, { kernelSize: 2 });
    assert.deepEqual([...got.data()].map(String), [...ref.data()].map(String), b);
    // A NaN output passes its gradient, as ReLU's backward (PyTorch's threshold_backward) does.
    const wl = w.clone().requiresGrad_();
    maxPool2d(relu(conv2d(x, wl, null, { padding: 1 })), 2).sum().backward();
    const want = wl.grad!;
    wl.grad = null;
    conv2dRelu(x, wl, null, { padding: 1 }, { kernelSize: 2 }).sum().backward();
    assert.ok([...want.data()].some(Number.isNaN), `${b}: the NaN reaches the weight gradient`);
    assert.deepEqual([...wl.grad!.data()].map(String), [...want.data()].map(String), `${b}: weight gradient`);
    // A window of negatives pools to 0 and passes no gradient, as the composition.
    const neg = conv2dRelu(randn([1, 1, 4, 4]).abs().neg(), randn([1, 1, 1, 1]).abs(), null, {}, { kernelSize: 2 });
    assert.deepEqual([...neg.data()], [0, 0, 0, 0]);
  }
  setBackend("wasm");
});

test("conv2dRelu names itself in shape errors", () => {
  assert.throws(() => conv2dRelu(randn([1, 2, 5, 5]), randn([3, 4, 3, 3])), /conv2dRelu: input \[1,2,5,5\] has 2 channels/);
  assert.throws(() => conv2dRelu(randn([1, 2, 3, 3]), randn([3, 2, 3, 3]), null, {}, { kernelSize: 2 }), /conv2dRelu: input \[1,3,1,1\] is too small for kernel \[2,2\]/);
});

/** Names of every op in the graph that produced y. */
function opNames(y: Tensor): string[] {
  const names: string[] = [];
  const seen = new Set<unknown>();
  const stack: unknown[] = [y.gradFn];
  while (stack.length) {
    const n = stack.pop();
    if (!(n instanceof Node) || seen.has(n)) continue;
    seen.add(n);
    names.push(n.name);
    stack.push(...n.edges);
  }
  return names;
}

function cnn(): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(4, 6, 3, { padding: 1 }), new nn.ReLU(),
    new nn.Flatten(), new nn.Linear(6 * 7 * 7, 3),
  );
}

test("nn.Sequential runs Conv2d → ReLU (→ MaxPool2d) as the fused op, with the layer-by-layer result", () => {
  manualSeed(11);
  const net = cnn();
  const x = randn([2, 1, 14, 14]);
  const layerByLayer = (inp: Tensor): Tensor => {
    let y = inp;
    for (const m of net) y = (m as nn.Module<[Tensor], Tensor>).forward(y);
    return y;
  };
  for (const mode of ["train", "eval"] as const) {
    if (mode === "eval") net.eval();
    const fused = net.call(x), ref = layerByLayer(x);
    assert.ok(maxDiff(fused, ref) <= 1e-5, `${mode}: ${maxDiff(fused, ref)}`);
    // The graph shows the fused ops: Linear ← Flatten ← conv2dRelu ← conv2dRelu.
    const names = opNames(fused);
    assert.equal(names.filter((n) => n === "conv2dRelu").length, 2, `${mode}: ${names.join(" <- ")}`);
    assert.ok(!names.includes("maxPool2d") && !names.includes("relu"), names.join(" <- "));
    const gFused = net.parameters().map((p) => ((p.grad = null), p));
    fused.sum().backward();
    const want = gFused.map((p) => p.grad!.clone());
    for (const p of gFused) p.grad = null;
    layerByLayer(x).sum().backward();
    gFused.forEach((p, i) => assert.ok(maxDiff(p.grad!, want[i]) <= 1e-4, `${mode}: parameter ${i}`));
  }
});

test("nn.Sequential does not fuse hooked layers or subclasses: hooks see each layer's own output", () => {
  manualSeed(12);
  const net = cnn();
  const x = randn([1, 1, 14, 14]);
  const seen: string[] = [];
  const h = net.at(1).registerForwardHook((_m, _a, out) => void seen.push(`relu ${(out as Tensor).shape}`));
  const y = net.call(x);
  // The hooked block ran layer by layer (its ReLU output was seen); the hook-free one was fused.
  assert.deepEqual(seen, ["relu 1,4,14,14"]);
  assert.equal(opNames(y).filter((n) => n === "conv2dRelu").length, 1);
  h.remove();
  assert.ok(maxDiff(y, net.call(x)) <= 1e-6);
  assert.equal(opNames(net.call(x)).filter((n) => n === "conv2dRelu").length, 2);
  class MyReLU extends nn.ReLU {
    override forward(t: Tensor): Tensor {
      return super.forward(t).mul(2);
    }
  }
  const custom = new nn.Sequential(new nn.Conv2d(1, 2, 3), new MyReLU());
  const out = custom.call(x);
  assert.notEqual(out.gradFn?.name, "conv2dRelu");
  const direct = new MyReLU().forward((custom.at(0) as nn.Conv2d).forward(x));
  assert.ok(maxDiff(out, direct) <= 1e-6);
  // summary() registers hooks on every layer, so it still lists (and shapes) each one.
  const s = noGrad(() => summary(cnn(), [1, 14, 14]));
  assert.equal(s.layers.filter((l) => l.type === "ReLU").length, 2);
  assert.deepEqual([...s.layers.find((l) => l.type === "MaxPool2d")!.outputShape], [4, 7, 7]);
});
