// Every optimizer's parameter trajectory over 5 steps against PyTorch 1.13 (test/fixtures/optim.json,
// made by scripts/fixtures/optim.py), in float64, through both the fused kernels and the tensor-op path.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tensor, noGrad, optim, backend, type Tensor } from "../src/index.js";
import { fixtures, problemParams, problemLoss, makeOptimizer, assertClose, flat } from "./optim-helpers.js";

function paramsFor(c: (typeof fixtures.optimizers)[number], W: Tensor, b: Tensor) {
  if (!c.groups) return [W, b];
  const byName = { W, b };
  return c.groups.map((g) => ({ ...g, params: g.params.map((n) => byName[n]) }));
}

/**
 * Strided copies of the fixture's parameters: W a transposed view, b every other element of a
 * longer vector. Both are leaves that are not contiguous, so no update of them can be fused.
 */
function stridedParams(): { W: Tensor; b: Tensor } {
  const P = fixtures.problem;
  const W = tensor(P.W0, { dtype: "float64" }).t().contiguous().t().requiresGrad_();
  const b = tensor(P.B0.flatMap((v) => [v, 0]), { dtype: "float64" }).slice(0, 0, undefined, 2).requiresGrad_();
  assert.ok(!W.isContiguous() && !b.isContiguous() && W.isLeaf && b.isLeaf);
  return { W, b };
}

/** Counts the fused optimizer kernels the backend runs while `f` runs. */
function countFused<T>(f: () => T): { result: T; fused: number } {
  const be = backend() as unknown as Record<string, unknown>;
  const names = ["sgdUpdate", "adamUpdate"] as const;
  let fused = 0;
  const saved = names.map((n) => Object.getOwnPropertyDescriptor(be, n));
  for (const n of names) {
    const kernel = be[n] as (...a: unknown[]) => void;
    be[n] = (...a: unknown[]) => {
      fused++;
      kernel.apply(be, a);
    };
  }
  try {
    return { result: f(), fused };
  } finally {
    names.forEach((n, k) => (saved[k] ? Object.defineProperty(be, n, saved[k]!) : delete be[n]));
  }
}

/**
 * Runs a case for `steps` steps. `strided` uses non-contiguous parameters and hands the optimizer
 * gradients that are non-contiguous views (same values), which sends every update through the
 * tensor-op fallback instead of the fused kernels (a strided gradient alone would not: `maximize`
 * negates it into a fresh contiguous tensor). Returns how many fused kernel calls ran.
 */
function run(c: (typeof fixtures.optimizers)[number], strided: boolean, dtype: "float32" | "float64" = "float64") {
  const { W, b } = strided ? stridedParams() : problemParams(dtype);
  const opt = makeOptimizer(c.optimizer, paramsFor(c, W, b), c.options);
  const out: { loss: number; W: number[]; b: number[] }[] = [];
  const { fused } = countFused(() => {
    for (let s = 0; s < c.trajectory.length; s++) {
      opt.zeroGrad();
      const loss = problemLoss(W, b);
      loss.backward();
      if (strided) {
        W.grad = W.grad!.t().contiguous().t();
        assert.equal(W.grad.isContiguous(), false);
        b.grad = b.grad!.unsqueeze(1).expand([2, 2]).select(1, 0);
      }
      opt.step();
      out.push({ loss: loss.item(), W: Array.from(W.data()), b: Array.from(b.data()) });
    }
  });
  return Object.assign(out, { fused });
}

/** The optimizers that have a fused kernel (the others always use tensor ops). */
const FUSED = new Set(["SGD", "Adam", "AdamW"]);

for (const c of fixtures.optimizers) {
  for (const strided of [false, true]) {
    test(`${c.optimizer} trajectory matches PyTorch: ${c.name}${strided ? " (strided params and grads: tensor-op path)" : ""}`, () => {
      const got = run(c, strided);
      c.trajectory.forEach((want, s) => {
        assertClose([got[s].loss], [want.loss], 1e-6, 1e-12, `${c.name} step ${s + 1} loss`);
        assertClose(got[s].W, flat(want.W), 1e-6, 1e-12, `${c.name} step ${s + 1} W`);
        assertClose(got[s].b, flat(want.b), 1e-6, 1e-12, `${c.name} step ${s + 1} b`);
      });
      // The parameters moved: a test that passes with no update would be worthless.
      assert.notDeepEqual(got[0].W, flat(fixtures.problem.W0));
      // The path the title names is the path that ran: every update fused (one call per parameter
      // per step) on contiguous tensors, none on strided ones.
      const expectFused = !strided && FUSED.has(c.optimizer) ? fixtures.problem.steps * 2 : 0;
      assert.equal(got.fused, expectFused, `${c.name}: fused kernel calls`);
    });
  }
}

test("float32 parameters follow PyTorch's float64 trajectories to float32 precision (fused kernels on Float32Array)", () => {
  for (const c of fixtures.optimizers) {
    const got = run(c, false, "float32");
    c.trajectory.forEach((want, s) => {
      assertClose(got[s].W, flat(want.W), 1e-4, 1e-5, `${c.name} float32 step ${s + 1} W`);
      assertClose(got[s].b, flat(want.b), 1e-4, 1e-5, `${c.name} float32 step ${s + 1} b`);
    });
  }
});

test("Problem 3.6: one SGD step with lr 0.5 takes W1 from 1 to 1 - 0.5·32 = -15 and b from 1 to -3", () => {
  const W = tensor([1], { requiresGrad: true });
  const b = tensor([1], { requiresGrad: true });
  const opt = new optim.SGD([W, b], { lr: 0.5 });
  const pred = W.mul(4).add(b).relu();
  pred.sub(1).pow(2).sum().backward();
  assert.equal(W.grad!.item(), 32);
  opt.step();
  assert.equal(W.item(), -15);
  assert.equal(b.item(), -3);
});

test("Adam's first step moves every parameter by about lr, whatever the gradient's scale (bias correction)", () => {
  const lr = 0.01;
  for (const scale of [1e-4, 1e-2, 1, 100, 1e4]) {
    const p = tensor([1, -2, 3, 0.5], { dtype: "float64", requiresGrad: true });
    const before = Array.from(p.data());
    const opt = new optim.Adam([p], { lr });
    p.grad = tensor([1, -1, 0.5, -2], { dtype: "float64" }).mul(scale);
    opt.step();
    const after = Array.from(p.data());
    const signs = [1, -1, 1, -1];
    after.forEach((a, i) => {
      const delta = a - before[i];
      // m̂ = g and v̂ = g², so Δ = -lr·g/(|g| + eps): lr against the gradient's sign.
      assert.ok(Math.abs(Math.abs(delta) - lr) < lr * 1e-3, `scale ${scale}, element ${i}: |Δ| = ${Math.abs(delta)}`);
      assert.equal(Math.sign(delta), -signs[i]);
    });
  }
});

test("parameters without a gradient are left alone and get no state", () => {
  const a = tensor([1, 2], { dtype: "float64", requiresGrad: true });
  const frozen = tensor([3, 4], { dtype: "float64", requiresGrad: true });
  for (const make of [
    () => new optim.SGD([a, frozen], { lr: 0.1, momentum: 0.9 }),
    () => new optim.Adam([a, frozen], { lr: 0.1 }),
    () => new optim.AdamW([a, frozen], { lr: 0.1 }),
    () => new optim.RMSprop([a, frozen], { lr: 0.1 }),
    () => new optim.Adadelta([a, frozen]),
    () => new optim.Adamax([a, frozen], { lr: 0.1 }),
    () => new optim.NAdam([a, frozen], { lr: 0.1 }),
    () => new optim.RAdam([a, frozen], { lr: 0.1 }),
  ]) {
    const opt = make();
    a.grad = tensor([1, 1], { dtype: "float64" });
    frozen.grad = null;
    opt.step();
    assert.deepEqual(Array.from(frozen.data()), [3, 4]);
    assert.equal(opt.state.has(frozen), false);
    assert.notDeepEqual(Array.from(a.data()), [1, 2]);
  }
});

test("AdamW decays weights by lr·weightDecay even with a zero gradient; Adam with L2 does it through the moments", () => {
  const p = tensor([2, -4], { dtype: "float64", requiresGrad: true });
  const opt = new optim.AdamW([p], { lr: 0.1, weightDecay: 0.5 });
  p.grad = tensor([0, 0], { dtype: "float64" });
  opt.step();
  assertClose(p.data(), [2 * 0.95, -4 * 0.95], 1e-12, 0, "AdamW decoupled decay");
  assert.equal(opt.defaults.weightDecay, 0.5, "an explicit weightDecay overrides AdamW's default");
  assert.equal(new optim.AdamW([tensor([1], { requiresGrad: true })]).defaults.weightDecay, 1e-2);
  assert.equal(new optim.Adam([tensor([1], { requiresGrad: true })]).defaults.weightDecay, 0);
});

test("Problem 4.3: heavy L2 (weightDecay 1) collapses the weights of a regression towards 0", () => {
  // y = X·w* with w* = [3, -2, 1.5, 4] and small features (x ~ 0.3), so the data term is weak next to
  // λ = 1: full-batch SGD with and without decay.
  const X = tensor([
    [1, 0.5, -1, 2], [0.3, -1.2, 0.8, 0.1], [-0.7, 0.4, 1.5, -0.2], [1.1, 1.3, -0.4, 0.9],
    [-1.5, 0.2, 0.6, -1.1], [0.9, -0.8, -1.3, 0.4], [0.2, 1.7, 0.3, -0.6], [-0.4, -0.9, 1.1, 1.4],
  ], { dtype: "float64" }).mul(0.3);
  const wStar = tensor([[3], [-2], [1.5], [4]], { dtype: "float64" });
  const y = X.matmul(wStar);
  const train = (weightDecay: number) => {
    const w = tensor([[0.1], [0.1], [0.1], [0.1]], { dtype: "float64", requiresGrad: true });
    const opt = new optim.SGD([w], { lr: 1, weightDecay });
    for (let i = 0; i < 300; i++) {
      opt.zeroGrad();
      X.matmul(w).sub(y).pow(2).mean().backward();
      opt.step();
    }
    return { norm: noGrad(() => w.norm().item()), maxAbs: noGrad(() => w.abs().max().item()) };
  };
  const free = train(0);
  const decayed = train(1);
  const target = noGrad(() => wStar.norm().item());
  assert.ok(Math.abs(free.norm - target) < 0.05 * target, `without decay the fit recovers |w*| = ${target}: got ${free.norm}`);
  assert.ok(decayed.norm < 0.25 * free.norm, `weightDecay 1 shrinks |w| far below the unregularized ${free.norm}: got ${decayed.norm}`);
  assert.ok(decayed.maxAbs < 1, `every weight ends close to 0 (max |w_i| = ${decayed.maxAbs}) although w* reaches 4`);
});

test("zeroGrad sets gradients to null by default, or zeroes them in place", () => {
  const p = tensor([1, 2], { requiresGrad: true });
  const opt = new optim.SGD([p], { lr: 0.1 });
  p.sum().backward();
  opt.zeroGrad();
  assert.equal(p.grad, null);
  p.sum().backward();
  const g = p.grad!;
  opt.zeroGrad(false);
  assert.equal(p.grad, g);
  assert.deepEqual(Array.from(g.data()), [0, 0]);
});

test("step(closure) evaluates the loss with gradients on and returns it", () => {
  const p = tensor([3], { dtype: "float64", requiresGrad: true });
  const opt = new optim.SGD([p], { lr: 0.25 });
  const loss = noGrad(() =>
    opt.step(() => {
      opt.zeroGrad();
      const l = p.square().sum();
      l.backward();
      return l;
    }),
  );
  assert.equal(loss.item(), 9);
  assert.equal(p.item(), 3 - 0.25 * 6);
});

/** A float64 leaf holding `values`: contiguous, or every other element of a longer vector (strided). */
function leaf(values: number[], strided: boolean): Tensor {
  const t = strided ? tensor(values.flatMap((v) => [v, 0]), { dtype: "float64" }).slice(0, 0, undefined, 2) : tensor(values, { dtype: "float64" });
  assert.equal(t.isContiguous(), !strided);
  return t.requiresGrad_();
}

/** `steps` steps of `opt` on loss Σ c_t·w, so the gradient at step t is exactly c_t. */
function linearSteps(opt: optim.Optimizer<optim.BaseOptions>, w: Tensor, grads: number[][]): number {
  return countFused(() => {
    for (const c of grads) {
      opt.zeroGrad();
      w.mul(tensor(c, { dtype: "float64" })).sum().backward();
      opt.step();
    }
  }).fused;
}

test("SGD with momentum 0 ignores dampening and keeps no momentum buffer, fused and strided (as PyTorch)", () => {
  const c = [1, -2, 0.5];
  for (const strided of [false, true]) {
    const w = leaf([1, 2, 3], strided);
    const opt = new optim.SGD([w], { lr: 0.1, dampening: 0.5 });
    const fused = linearSteps(opt, w, [c, c, c]);
    assert.equal(fused, strided ? 0 : 3);
    Array.from(w.data()).forEach((v, i) => assert.ok(Math.abs(v - ([1, 2, 3][i] - 0.3 * c[i])) < 1e-14, `strided ${strided}: w[${i}] = ${v}`));
    assert.equal(opt.stateDict().state[0].momentum_buffer, null);
  }
});

test("AMSGrad keeps the largest second moment once gradients shrink, fused and strided (Adam and AdamW)", () => {
  // Gradients 10 then 0.1: v falls after step 1, so max(v̂, v) is no longer the current v. With
  // gradients of constant size (as in the fixtures) v only grows and AMSGrad equals Adam. The
  // reference is the update rule of docs/optim.md; PyTorch 1.13 ends at the same values
  // (Adam [0.7685213514960466, -0.7701972059410969], AdamW [0.7359063289938157, -0.737589563944643]).
  const grads = [[10, -10], [0.1, -0.1], [0.1, 0.1], [0.1, -0.1]];
  const [lr, b1, b2, eps, wd] = [0.1, 0.9, 0.5, 1e-8, 0.1]; // β2 0.5: v halves each step once g shrinks
  const reference = (decoupled: boolean, amsgrad: boolean): number[] =>
    [1, -1].map((p0, i) => {
      let [p, m, v, vmax] = [p0, 0, 0, 0];
      grads.forEach((gs, s) => {
        const t = s + 1;
        let g = gs[i];
        if (decoupled) p *= 1 - lr * wd;
        else g += wd * p;
        m = b1 * m + (1 - b1) * g;
        v = b2 * v + (1 - b2) * g * g;
        vmax = Math.max(vmax, v);
        p -= (lr / (1 - b1 ** t)) * (m / (Math.sqrt(amsgrad ? vmax : v) / Math.sqrt(1 - b2 ** t) + eps));
      });
      return p;
    });
  for (const [Opt, decoupled] of [[optim.Adam, false], [optim.AdamW, true]] as const) {
    const want = reference(decoupled, true);
    const plain = reference(decoupled, false);
    assert.ok(Math.abs(want[0] - plain[0]) > 1e-3, "the case separates AMSGrad from Adam");
    for (const strided of [false, true]) {
      const w = leaf([1, -1], strided);
      const opt = new Opt([w], { lr, betas: [b1, b2], weightDecay: wd, amsgrad: true });
      assert.equal(linearSteps(opt, w, grads), strided ? 0 : grads.length);
      Array.from(w.data()).forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-12, `${decoupled ? "AdamW" : "Adam"} strided ${strided}: w[${i}] = ${v}, want ${want[i]}`));
    }
  }
});

test("a contiguous parameter given a strided gradient by hand is updated by the gradient's values, not its storage order", () => {
  // Autograd hands leaves contiguous gradients; a gradient assigned by hand can be a view. The
  // fused kernels read storage in order, so such a gradient must take the tensor-op path.
  const g = tensor([[1, -2], [3, 0.5]], { dtype: "float64" }).t();
  assert.ok(!g.isContiguous());
  const makers: [string, (w: Tensor) => optim.Optimizer<optim.BaseOptions>][] = [
    ["SGD", (w) => new optim.SGD([w], { lr: 0.1, momentum: 0.9 })],
    ["Adam", (w) => new optim.Adam([w], { lr: 0.1 })],
    ["AdamW", (w) => new optim.AdamW([w], { lr: 0.1, amsgrad: true })],
  ];
  for (const [name, make] of makers) {
    const run = (grad: Tensor): number[] => {
      const w = tensor([[1, 2], [3, 4]], { dtype: "float64", requiresGrad: true });
      const opt = make(w);
      for (let s = 0; s < 2; s++) {
        w.grad = grad;
        opt.step();
      }
      return Array.from(w.data());
    };
    assert.deepEqual(run(g), run(g.contiguous()), name);
  }
});
