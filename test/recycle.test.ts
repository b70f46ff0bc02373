// Recycled gradient buffers (src/tensor/recycle.ts, src/autograd/engine.ts): the backward engine gives
// back the memory of gradients it made and consumed, and allocate() hands it out again. These tests
// hold every tensor a user could reach across later steps and check its values, so a buffer recycled
// while still reachable (it is zero-filled and overwritten on reuse) fails them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Tensor, autograd, cat, full, grad, randn, Generator, nn, optim, models } from "../src/index.js";
import { clearRecycled, recycleArray, recycleStats, takeRecycled, RECYCLE_MIN_BYTES } from "../src/tensor/recycle.js";

// 128 KiB of float32: above RECYCLE_MIN_BYTES, so every gradient of this shape is a candidate.
const SHAPE = [128, 256];
const N = 128 * 256;

/** Allocates and overwrites many tensors of SHAPE, as the next steps of a loop would. */
function churn(): void {
  for (let i = 0; i < 12; i++) full(SHAPE, 777).mul(1);
}

function snapshot(t: Tensor): Float32Array {
  return Float32Array.from(t.contiguous().storage.data as Float32Array);
}

function assertAll(t: Tensor, v: number, what: string): void {
  const d = t.contiguous().storage.data as Float32Array;
  assert.equal(t.numel(), N, what);
  for (let i = 0; i < N; i++) if (d[i] !== v) assert.fail(`${what}: element ${i} is ${d[i]}, expected ${v}`);
}

test("recycleArray/takeRecycled: exact sizes, zero-filled, and only whole, large, unshared buffers", () => {
  clearRecycled();
  const a = new Float32Array(RECYCLE_MIN_BYTES / 4).fill(5);
  recycleArray(a);
  assert.equal(recycleStats().heldBytes, RECYCLE_MIN_BYTES);
  assert.equal(takeRecycled(RECYCLE_MIN_BYTES + 4), undefined, "another size is not handed out");
  const b = takeRecycled(RECYCLE_MIN_BYTES)!;
  assert.equal(b, a.buffer);
  assert.ok(new Float32Array(b).every((x) => x === 0), "a recycled buffer comes back zero-filled");
  assert.equal(takeRecycled(RECYCLE_MIN_BYTES), undefined, "each buffer is handed out once");
  // Not pooled: a subarray (the rest of its buffer may be live), a small array, shared memory.
  recycleArray(new Float32Array(RECYCLE_MIN_BYTES / 2).subarray(1));
  recycleArray(new Float32Array(RECYCLE_MIN_BYTES / 8));
  recycleArray(new Float32Array(new SharedArrayBuffer(RECYCLE_MIN_BYTES)));
  assert.equal(recycleStats().heldBytes, 0);
  // Bounded: a few buffers per size.
  for (let i = 0; i < 10; i++) recycleArray(new Float32Array(RECYCLE_MIN_BYTES / 4));
  assert.ok(recycleStats().heldBytes <= 4 * RECYCLE_MIN_BYTES, `pool holds ${recycleStats().heldBytes} bytes`);
  clearRecycled();
});

test("consumed intermediate gradients are recycled, and tensors held from earlier steps keep their values", () => {
  clearRecycled();
  const x = randn(SHAPE, { generator: new Generator(1) }).requiresGrad_();
  const step = () => {
    const y = x.mul(2);
    const z = y.relu();
    z.mul(3).sum().backward();
    return { y, z };
  };
  const first = step();
  const y1 = snapshot(first.y), z1 = snapshot(first.z);
  const g1 = x.grad!;
  const g1Values = snapshot(g1);
  // relu's and mul's incoming gradients (3s, then 3 where x > 0) were made and consumed by this backward.
  assert.ok(recycleStats().recycled >= 2, `recycled ${recycleStats().recycled}`);
  x.grad = null;
  for (let i = 0; i < 5; i++) {
    step();
    x.grad = null;
    churn();
  }
  assert.ok(recycleStats().reused >= 2, `reused ${recycleStats().reused}`);
  assert.deepEqual(snapshot(first.y), y1, "a forward result held across steps");
  assert.deepEqual(snapshot(first.z), z1, "a forward result held across steps");
  assert.deepEqual(snapshot(g1), g1Values, "a .grad held across steps");
  const xs = x.storage.data as Float32Array;
  for (let i = 0; i < N; i++) if (g1Values[i] !== (xs[i] > 0 ? 6 : 0)) assert.fail(`x.grad[${i}] = ${g1Values[i]}`);
  clearRecycled();
});

test("a gradient one rule hands to two nodes is recycled only after both consumed it", () => {
  clearRecycled();
  const x = randn(SHAPE, { generator: new Generator(2) }).requiresGrad_();
  for (let i = 0; i < 4; i++) {
    // add's backward gives the same 3s to both mul nodes; recycling it after the first would zero it
    // (the first mul's result takes the buffer) before the second reads it.
    x.mul(2).add(x.mul(5)).mul(3).sum().backward();
    assertAll(x.grad!, 21, `x.grad, step ${i}`);
    x.grad = null;
  }
  assert.ok(recycleStats().reused > 0);
  clearRecycled();
});

test("views of a gradient passed on (reshape, cat's slices to a node and a leaf) keep its buffer alive", () => {
  clearRecycled();
  const x = randn(SHAPE, { generator: new Generator(3) }).requiresGrad_();
  const w = randn(SHAPE, { generator: new Generator(4) }).requiresGrad_();
  for (let i = 0; i < 4; i++) {
    cat([x.mul(2), w]).reshape([2 * N]).mul(3).sum().backward();
    assertAll(x.grad!, 6, `x.grad, step ${i}`);
    assertAll(w.grad!, 3, `w.grad, step ${i}`);
    x.grad = null;
    w.grad = null;
    churn();
  }
  for (let i = 0; i < 4; i++) {
    // reshape's node receives a sum the engine made (3s + 4s) and passes a view of it on to mul's node.
    const r = x.mul(2).reshape([2, N / 2]);
    r.mul(3).add(r.mul(4)).sum().backward();
    assertAll(x.grad!, 14, `x.grad through a summed, reshaped gradient, step ${i}`);
    x.grad = null;
  }
  clearRecycled();
});

test("gradients a user can see are never recycled: hooks, retainGrad, grad()'s results, custom Functions", () => {
  clearRecycled();
  const x = randn(SHAPE, { generator: new Generator(5) }).requiresGrad_();
  const seen: Tensor[] = [];
  class Stash extends autograd.Function {
    static override forward(_ctx: autograd.FunctionCtx, t: Tensor): Tensor {
      return t.mul(1);
    }
    static override backward(_ctx: autograd.FunctionCtx, g: Tensor): Tensor {
      seen.push(g); // user code keeps the gradient it is given
      return g.mul(2);
    }
  }
  for (let i = 0; i < 3; i++) {
    const a = x.mul(1);
    a.registerHook((g) => void seen.push(g)); // a hook keeps the gradient it sees
    const b = a.mul(1);
    b.retainGrad();
    const c = (Stash.apply(b) as Tensor).mul(1);
    const d = c.mul(1);
    const [gd] = grad([d.mul(3).sum()], [d], { retainGraph: true });
    d.mul(3).sum().backward();
    churn();
    assertAll(gd!, 3, "grad()'s result");
    assertAll(b.grad!, 6, "a retained .grad");
    assertAll(x.grad!, 6, "x.grad");
    x.grad = null;
  }
  // A gradient the caller passes in is the caller's memory, consumed by mul's rule or not.
  const gy = full(SHAPE, 0.5);
  for (let i = 0; i < 3; i++) {
    x.mul(2).backward(gy);
    churn();
    assertAll(gy, 0.5, "the caller's gradient");
    assertAll(x.grad!, 1, "x.grad from the caller's gradient");
    x.grad = null;
  }
  // Per step, in grad() and again in backward: Stash sees 3s, then the hook on a sees 6s.
  assert.equal(seen.length, 12);
  seen.forEach((g, i) => assertAll(g, i % 2 === 1 ? 6 : 3, `gradient kept by user code (${i})`));
  clearRecycled();
});

test("CNN training: the step's intermediate gradients are reused, and it trains exactly as without reuse", () => {
  // The MNIST CNN's conv gradients ([64,32,7,7] flattened and [64,16,14,14]) are the recycled ones.
  const run = (recycle: boolean): { losses: number[]; reused: number } => {
    clearRecycled();
    const g = new Generator(0);
    const net = models.mnistCnn(g);
    const opt = new optim.Adam(net.parameters(), { lr: 1e-3 });
    const x = randn([64, 1, 28, 28], { generator: g });
    const y = Tensor.fromArray(Int32Array.from({ length: 64 }, (_, i) => i % 10), [64], "int32");
    const losses: number[] = [];
    for (let i = 0; i < 4; i++) {
      opt.zeroGrad();
      const loss = nn.functional.crossEntropy(net.forward(x), y);
      loss.backward();
      // The reference run empties the pool at once: every later allocation is fresh memory.
      if (!recycle) clearRecycled();
      opt.step();
      losses.push(loss.item());
    }
    return { losses, reused: recycleStats().reused };
  };
  const a = run(true);
  const b = run(false);
  assert.ok(a.reused >= 6, `reused ${a.reused} buffers in 4 steps`);
  assert.equal(b.reused, 0);
  assert.deepEqual(a.losses, b.losses, "same losses with and without recycling");
  assert.ok(a.losses[3] < a.losses[0], `the loss falls: ${a.losses.join(", ")}`);
  clearRecycled();
});

test("with createGraph nothing is recycled: the new graph saves the gradients", () => {
  clearRecycled();
  const x = full(SHAPE, 1.5).requiresGrad_();
  for (let i = 0; i < 3; i++) {
    const [gx] = grad([x.mul(x).mul(x).mul(2).sum()], [x], { createGraph: true });
    assert.equal(recycleStats().recycled, 0, "nothing recycled by a backward with createGraph");
    churn();
    gx!.mul(1).sum().backward();
    assertAll(gx!.detach(), 13.5, "first derivative 6x^2");
    assertAll(x.grad!, 18, "second derivative 12x");
    x.grad = null;
    churn();
    clearRecycled();
  }
});

test("a gradient added into an existing .grad in place is recycled, unless a leaf hook saw it", () => {
  clearRecycled();
  const w = full(SHAPE, 1).requiresGrad_();
  w.mul(2).sum().backward();
  const g = w.grad!;
  const before = recycleStats().recycled;
  // The product's gradient (3 everywhere) is made by mul's rule, handed to w alone, then added in.
  w.mul(3).sum().backward();
  assert.equal(w.grad, g);
  assert.ok(recycleStats().recycled > before, "the added gradient went back to the pool");
  churn();
  assertAll(g, 5, ".grad after two backwards");
  // A hook on the leaf may keep the gradient it is given: that one is never recycled.
  const kept: Tensor[] = [];
  w.registerHook((t) => void kept.push(t));
  w.mul(4).sum().backward();
  churn();
  assertAll(g, 9, ".grad after three backwards");
  assertAll(kept[0], 4, "the gradient the hook kept");
  clearRecycled();
});

test("training with zeroGrad(false): .grad stays the same tensor and the step reuses recycled buffers, with the losses of setToNone", () => {
  const run = (setToNone: boolean) => {
    clearRecycled();
    const g = new Generator(3);
    const model = new nn.Sequential(new nn.Linear(256, 128, { generator: g }), new nn.ReLU(), new nn.Linear(128, 10, { generator: g }));
    const opt = new optim.SGD(model.parameters(), { lr: 0.05 });
    const x = randn([64, 256], { generator: g }), y = randn([64, 10], { generator: g });
    const losses: number[] = [];
    let first: Tensor | null = null;
    for (let i = 0; i < 4; i++) {
      opt.zeroGrad(setToNone);
      const loss = nn.functional.mseLoss(model.forward(x), y);
      loss.backward();
      if (!setToNone) {
        first ??= model.parameters()[0].grad;
        assert.equal(model.parameters()[0].grad, first, "the weight's .grad stays the same tensor");
      }
      churn();
      opt.step();
      losses.push(loss.item());
    }
    return { losses, reused: recycleStats().reused };
  };
  const kept = run(false), fresh = run(true);
  assert.ok(kept.reused >= 3, `reused ${kept.reused} buffers in 4 steps`);
  assert.deepEqual(kept.losses, fresh.losses, "same losses with zeroGrad(false) and zeroGrad()");
  clearRecycled();
});

test("zeroGrad() recycles a .grad the engine made when nobody read it, never one that was read", () => {
  const run = (read: "never" | "always" | "first") => {
    clearRecycled();
    const g = new Generator(5);
    const model = new nn.Sequential(new nn.Linear(256, 128, { generator: g }), new nn.ReLU(), new nn.Linear(128, 10, { generator: g }));
    const w = model.parameters()[0];
    const opt = new optim.SGD(model.parameters(), { lr: 0.05 });
    const x = randn([64, 256], { generator: g }), y = randn([64, 10], { generator: g });
    const losses: number[] = [];
    const held: [Tensor, Float32Array][] = [];
    for (let i = 0; i < 5; i++) {
      opt.zeroGrad();
      const loss = nn.functional.mseLoss(model.forward(x), y);
      loss.backward();
      if (read === "always" || (read === "first" && i === 0)) {
        const gw = w.grad!;
        held.push([gw, snapshot(gw)]);
      }
      opt.step();
      losses.push(loss.item());
      churn();
    }
    opt.zeroGrad();
    churn();
    // Every .grad a user took is as it was, whatever was recycled since.
    for (const [t, v] of held) assert.deepEqual(snapshot(t), v, "a .grad that was read keeps its values");
    return { losses, recycled: recycleStats().recycled, reused: recycleStats().reused };
  };
  const never = run("never"), always = run("always"), first = run("first");
  assert.deepEqual(never.losses, always.losses, "the same losses whether the grads were recycled or not");
  assert.deepEqual(first.losses, always.losses);
  // [128, 256] weight gradient: 128 KiB, recycled at each of the 5 zeroGrad calls that drop one
  // (the first finds none) and reused by the next backward.
  assert.ok(never.reused >= 4, `reused ${never.reused}`);
  assert.ok(never.recycled >= always.recycled + 5, `recycled ${never.recycled} unread vs ${always.recycled} read`);
  assert.ok(first.recycled >= always.recycled + 4, "only the .grad that was read is kept");
  clearRecycled();
});

test("a .grad is reachable only through .grad: not spread, not an own key; a hooked or user-set .grad is never recycled", () => {
  clearRecycled();
  const w = full(SHAPE, 1).requiresGrad_();
  w.mul(2).sum().backward();
  assert.ok(!Object.keys(w).includes("grad"));
  assert.equal(({ ...w } as { grad?: unknown }).grad, undefined);
  const opt = new optim.SGD([w], { lr: 0 });
  opt.zeroGrad();
  assert.equal(recycleStats().recycled, 1, "the unread gradient went back to the pool");
  // A hook on the leaf sees the summed gradient: .grad is then a copy the engine made, but the hook
  // may hold the gradient; neither is recycled by zeroGrad unless nothing saw .grad.
  const kept: Tensor[] = [];
  const h = w.registerHook((t) => void kept.push(t));
  w.mul(3).sum().backward();
  opt.zeroGrad();
  churn();
  assertAll(kept[0], 3, "the gradient the hook kept");
  h.remove();
  // A .grad the user set is theirs.
  const mine = full(SHAPE, 7);
  w.grad = mine;
  opt.zeroGrad();
  churn();
  assertAll(mine, 7, "a .grad the user set");
  clearRecycled();
});

test("model.zeroGrad() recycles an unread .grad as opt.zeroGrad() does, model.zeroGrad(false) zeroes it in place, and clipGradNorm_ leaves it unread", () => {
  const run = (clear: "opt" | "model" | "modelInPlace", clip: boolean) => {
    clearRecycled();
    const g = new Generator(7);
    const model = new nn.Sequential(new nn.Linear(256, 128, { generator: g }), new nn.ReLU(), new nn.Linear(128, 10, { generator: g }));
    const opt = new optim.SGD(model.parameters(), { lr: 0.05 });
    const x = randn([64, 256], { generator: g }), y = randn([64, 10], { generator: g });
    const losses: number[] = [];
    for (let i = 0; i < 4; i++) {
      if (clear === "opt") opt.zeroGrad();
      else model.zeroGrad(clear === "model");
      const loss = nn.functional.mseLoss(model.forward(x), y);
      loss.backward();
      if (clip) nn.utils.clipGradNorm_(model.parameters(), 1e9);
      opt.step();
      losses.push(loss.item());
      churn();
    }
    const w = model.parameters()[0];
    const gw = w.grad!;
    model.zeroGrad(false);
    assert.equal(w.grad, gw, "zeroGrad(false) keeps the same .grad tensor");
    assert.ok(snapshot(gw).every((v) => v === 0), "and zeroes it");
    return { losses, recycled: recycleStats().recycled };
  };
  const viaOpt = run("opt", false), viaModel = run("model", false), clipped = run("model", true), inPlace = run("modelInPlace", false);
  assert.deepEqual(viaModel.losses, viaOpt.losses);
  assert.deepEqual(inPlace.losses, viaOpt.losses);
  // The [128, 256] weight gradient is recycled at the 3 later zeroGrad calls, by the model as by the optimizer.
  assert.ok(viaModel.recycled >= viaOpt.recycled && viaModel.recycled >= 3, `model ${viaModel.recycled} vs optimizer ${viaOpt.recycled}`);
  assert.ok(clipped.recycled >= viaModel.recycled, `clipGradNorm_ leaves the gradients unread: ${clipped.recycled} vs ${viaModel.recycled}`);
  clearRecycled();
});
