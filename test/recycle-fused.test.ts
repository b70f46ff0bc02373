// The fused conv+ReLU+max-pool's private pool indices (src/ops/fused.ts, OpDef.releaseSaved): after a
// backward that records no graph and frees the node, their memory goes to the recycling pool
// (src/tensor/recycle.ts); a retained graph keeps them for the next backward, and a created graph,
// which may read them later, keeps them for good. The gradients are checked against the unfused
// composition, with allocations in between that would overwrite a buffer recycled too early.
import { test } from "node:test";
import assert from "node:assert/strict";
import { type Tensor, Generator, conv2d, conv2dRelu, full, grad, maxPool2d, randn, relu, setBackend } from "../src/index.js";
import { clearRecycled, recycleStats, RECYCLE_MIN_BYTES } from "../src/tensor/recycle.js";

// The pooled output [4,16,16,16] is 16,384 elements: its int32 indices are exactly RECYCLE_MIN_BYTES.
const X = [4, 4, 32, 32], W = [16, 4, 3, 3], POOLED = [4, 16, 16, 16];
const INDEX_BYTES = 4 * POOLED.reduce((a, b) => a * b, 1);

function inputs(seed: number): { x: Tensor; w: Tensor; b: Tensor } {
  const g = new Generator(seed);
  return {
    x: randn(X, { generator: g }),
    w: randn(W, { generator: g }).mul(0.2).detach().requiresGrad_(),
    b: randn([16], { generator: g }).mul(0.1).detach().requiresGrad_(),
  };
}
const fused = (x: Tensor, w: Tensor, b: Tensor) => conv2dRelu(x, w, b, { padding: 1 }, { kernelSize: 2 });
const composed = (x: Tensor, w: Tensor, b: Tensor) => maxPool2d(relu(conv2d(x, w, b, { padding: 1 })), 2);

/** Allocates and writes buffers of the indices' byte size, as a next step would: a recycled live buffer gets overwritten. */
function churn(): void {
  for (let i = 0; i < 6; i++) full(POOLED, 777).mul(1);
}

function assertClose(a: Tensor, b: Tensor, what: string, tol = 1e-4): void {
  assert.deepEqual([...a.shape], [...b.shape], what);
  const x = a.data(), y = b.data();
  for (let i = 0; i < x.length; i++) {
    if (!(Math.abs(x[i] - y[i]) <= tol * (1 + Math.abs(y[i])))) assert.fail(`${what}: element ${i} is ${x[i]}, expected ${y[i]}`);
  }
}

for (const backendName of ["js", "wasm"]) {
  test(`conv2dRelu+pool (${backendName}): the pool indices are recycled after a backward without a graph; gradients unchanged`, () => {
    setBackend(backendName);
    assert.equal(INDEX_BYTES, RECYCLE_MIN_BYTES);
    const { x, w, b } = inputs(1);
    const wr = w.detach().requiresGrad_(), br = b.detach().requiresGrad_();
    for (let step = 0; step < 3; step++) {
      clearRecycled();
      const y = fused(x, w, b);
      const kept = Float32Array.from(y.data());
      // sum's gradient is a broadcast scalar (no large buffer), x needs none and w/b's go to .grad:
      // the indices are the only large array this backward can free.
      y.sum().backward();
      assert.equal(recycleStats().recycled, 1, `step ${step}: the indices were recycled`);
      assert.equal(recycleStats().heldBytes, INDEX_BYTES);
      churn();
      composed(x, wr, br).sum().backward();
      assertClose(w.grad!, wr.grad!, `step ${step}: w.grad`);
      assertClose(b.grad!, br.grad!, `step ${step}: b.grad`);
      assert.deepEqual(Float32Array.from(y.data()), kept, `step ${step}: the forward result a user holds is unchanged`);
    }
    clearRecycled();
    setBackend("js");
  });

  test(`conv2dRelu+pool (${backendName}): retainGraph keeps the indices for a second backward`, () => {
    setBackend(backendName);
    clearRecycled();
    const { x, w, b } = inputs(2);
    const y = fused(x, w, b);
    y.sum().backward({ retainGraph: true });
    assert.equal(recycleStats().recycled, 0, "a retained graph keeps its indices");
    const once = w.grad!.clone();
    churn();
    y.sum().backward();
    assertClose(w.grad!, once.mul(2), "the second backward adds the same gradient again");
    assert.equal(recycleStats().recycled, 1, "the backward that frees the node recycles them");
    assert.throws(() => y.sum().backward(), /saved tensors were freed/);
    clearRecycled();
    setBackend("js");
  });

  test(`conv2dRelu+pool (${backendName}): a createGraph backward keeps the indices, also after a later backward frees the node`, () => {
    setBackend(backendName);
    // x's gradient through the pool, as a graph: gx = convInputGrad(maxUnpool(relu'(y)·r), w). Its
    // maxUnpool node reads the indices, and its backward to r does not pass through y's node, so that
    // node can be freed first (by y.sum().backward()) while gx's graph still needs them.
    const second = (op: typeof fused, free: boolean) => {
      clearRecycled();
      const { x: x0, w, b } = inputs(3);
      const x = x0.requiresGrad_();
      const r = randn(POOLED, { generator: new Generator(4) }).requiresGrad_();
      const y = op(x, w, b);
      const [gx] = grad([y.mul(r).sum()], [x], { createGraph: true });
      assert.equal(recycleStats().recycled, 0, "nothing recycled by a backward with createGraph");
      if (free) {
        y.sum().backward();
        assert.equal(recycleStats().recycled, 0, "indices a created graph holds are not recycled");
        churn();
      }
      gx!.mul(gx!).sum().backward();
      return { gx: gx!.detach(), rgrad: r.grad! };
    };
    const a = second(fused, true), ref = second(composed, false);
    assertClose(a.gx, ref.gx, "first derivative");
    assertClose(a.rgrad, ref.rgrad, "second derivative through the kept indices");
    assert.ok(ref.rgrad.abs().sum().item() > 0, "the second derivative is not all zeros");
    clearRecycled();
    setBackend("js");
  });
}
