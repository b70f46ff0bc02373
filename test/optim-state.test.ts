// Optimizer state dicts (PyTorch's layout, JSON round trips, loading PyTorch's own), option and
// parameter validation, param groups, and gradient clipping.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tensor, zeros, noGrad, optim, Tensor } from "../src/index.js";
import { fixtures, problemParams, problemLoss, makeOptimizer, assertClose, flat, type OptimizerCase } from "./optim-helpers.js";

function paramsFor(c: OptimizerCase, W: Tensor, b: Tensor) {
  if (!c.groups) return [W, b];
  const byName = { W, b };
  return c.groups.map((g) => ({ ...g, params: g.params.map((n) => byName[n]) }));
}

function train(opt: optim.Optimizer<optim.BaseOptions>, W: Tensor, b: Tensor, steps: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    problemLoss(W, b).backward();
    opt.step();
    out.push([...W.data(), ...b.data()]);
  }
  return out;
}

for (const c of fixtures.optimizers) {
  test(`${c.optimizer} stateDict has PyTorch's layout and values after ${c.savedAfter} steps: ${c.name}`, () => {
    const { W, b } = problemParams();
    const opt = makeOptimizer(c.optimizer, paramsFor(c, W, b), c.options);
    train(opt, W, b, c.savedAfter);
    const mine = opt.stateDict();
    const theirs = optim.deserializeOptimizerState(c.stateDict);
    assert.equal(mine.param_groups.length, theirs.param_groups.length);
    mine.param_groups.forEach((g, i) => {
      const t = theirs.param_groups[i] as Record<string, unknown>;
      assert.deepEqual(g.params, t.params);
      for (const [key, value] of Object.entries(g)) {
        assert.ok(key in t, `group ${i}: key ${key} is not one of PyTorch's (${Object.keys(t).join(", ")})`);
        assert.deepEqual(value, t[key], `group ${i}: ${key}`);
      }
    });
    assert.deepEqual(Object.keys(mine.state).sort(), Object.keys(theirs.state).sort());
    for (const [id, entry] of Object.entries(theirs.state)) {
      const m = mine.state[Number(id)];
      assert.deepEqual(Object.keys(m).sort(), Object.keys(entry).sort(), `state keys of parameter ${id}`);
      for (const [key, value] of Object.entries(entry)) {
        if (key === "step") assert.equal(m[key], value instanceof Tensor ? value.item() : value);
        else if (value === null) assert.equal(m[key], null);
        // Scalars PyTorch keeps as 0-d tensors (NAdam's mu_product) are numbers here.
        else if (typeof m[key] === "number") assertClose([m[key] as number], [(value as Tensor).item()], 1e-12, 0, `${c.name} state ${id}.${key}`);
        else assertClose((m[key] as Tensor).data(), (value as Tensor).data(), 1e-6, 1e-12, `${c.name} state ${id}.${key}`);
      }
    }
  });

  test(`${c.optimizer} loads PyTorch's state dict and continues PyTorch's trajectory: ${c.name}`, () => {
    const at = c.trajectory[c.savedAfter - 1];
    const W = tensor(at.W, { dtype: "float64", requiresGrad: true });
    const b = tensor(at.b, { dtype: "float64", requiresGrad: true });
    const opt = makeOptimizer(c.optimizer, paramsFor(c, W, b), c.options);
    opt.loadStateDict(optim.deserializeOptimizerState(JSON.parse(JSON.stringify(c.stateDict))));
    const rest = train(opt, W, b, c.trajectory.length - c.savedAfter);
    rest.forEach((got, i) => {
      const want = c.trajectory[c.savedAfter + i];
      assertClose(got, [...flat(want.W), ...want.b], 1e-6, 1e-12, `${c.name} step ${c.savedAfter + i + 1}`);
    });
  });

  test(`${c.optimizer} stateDict -> JSON -> loadStateDict resumes the identical trajectory: ${c.name}`, () => {
    const ref = problemParams();
    const refOpt = makeOptimizer(c.optimizer, paramsFor(c, ref.W, ref.b), c.options);
    const uninterrupted = train(refOpt, ref.W, ref.b, 5);

    const a = problemParams();
    const optA = makeOptimizer(c.optimizer, paramsFor(c, a.W, a.b), c.options);
    train(optA, a.W, a.b, 2);
    const saved = optA.stateDict();
    const json = JSON.stringify({ opt: optim.serializeOptimizerState(saved), W: a.W.tolist(), b: a.b.tolist() });
    // stateDict is a snapshot: training on must not change what was saved.
    const snapshot = JSON.stringify(optim.serializeOptimizerState(saved));
    train(optA, a.W, a.b, 1);
    assert.equal(JSON.stringify(optim.serializeOptimizerState(saved)), snapshot);

    const parsed = JSON.parse(json) as { opt: unknown; W: number[][]; b: number[] };
    const W = tensor(parsed.W, { dtype: "float64", requiresGrad: true });
    const b = tensor(parsed.b, { dtype: "float64", requiresGrad: true });
    // Built with other options: loadStateDict restores the saved groups' options.
    const optB = makeOptimizer(c.optimizer, paramsFor(c, W, b), { lr: 123 });
    optB.loadStateDict(optim.deserializeOptimizerState(parsed.opt));
    const resumed = train(optB, W, b, 3);
    resumed.forEach((got, i) => assert.deepEqual(got, uninterrupted[2 + i], `step ${3 + i}`));
  });
}

test("loadStateDict names what does not match: group count, group size, buffer shape", () => {
  const p = () => zeros([2], { requiresGrad: true });
  const a = new optim.Adam([{ params: [p(), p()] }, { params: [p()], lr: 0.1 }]);
  for (const q of a.paramGroups.flatMap((g) => g.params)) q.grad = tensor([1, 1]);
  a.step();
  const sd = a.stateDict();
  assert.throws(() => new optim.Adam([p(), p(), p()]).loadStateDict(sd), /Adam\.loadStateDict: the saved state has 2 param group\(s\) but this optimizer has 1/);
  assert.throws(
    () => new optim.Adam([{ params: [p()] }, { params: [p(), p()] }]).loadStateDict(sd),
    /Adam\.loadStateDict: param group 0 has 1 parameter\(s\) but the saved group 0 has 2/,
  );
  const wrongShape = new optim.Adam([{ params: [p(), zeros([3], { requiresGrad: true })] }, { params: [p()] }]);
  assert.throws(() => wrongShape.loadStateDict(sd), /saved state 'exp_avg' of parameter 1 has shape \[2\] but the parameter has shape \[3\]/);
  assert.throws(() => wrongShape.loadStateDict({} as optim.OptimizerStateDict), /expected \{state: \{\.\.\.\}, param_groups/);
  // A successful load restores per-group options too.
  const ok = new optim.Adam([{ params: [p(), p()] }, { params: [p()] }]);
  ok.loadStateDict(sd);
  assert.equal(ok.paramGroups[1].lr, 0.1);
  assert.equal(ok.state.size, 3);
});

test("loadStateDict converts saved buffers to each parameter's dtype", () => {
  const p64 = zeros([2], { dtype: "float64", requiresGrad: true });
  const src = new optim.SGD([p64], { lr: 0.1, momentum: 0.9 });
  p64.grad = tensor([1, 2], { dtype: "float64" });
  src.step();
  const p32 = zeros([2], { requiresGrad: true });
  const dst = new optim.SGD([p32], { lr: 0.1, momentum: 0.9 });
  dst.loadStateDict(src.stateDict());
  const buf = dst.state.get(p32)!.momentumBuffer as Tensor;
  assert.equal(buf.dtype, "float32");
  assert.deepEqual(Array.from(buf.data()), [1, 2]);
});

test("serializeOptimizerState keeps non-finite numbers through JSON", () => {
  const sd = { state: { 0: { v: tensor([1, Infinity, NaN], { dtype: "float64" }) } }, param_groups: [{ lr: -Infinity, params: [0] }] };
  const back = optim.deserializeOptimizerState<typeof sd>(JSON.parse(JSON.stringify(optim.serializeOptimizerState(sd))));
  const v = back.state[0].v;
  assert.equal(v.dtype, "float64");
  assert.deepEqual(Array.from(v.data()), [1, Infinity, NaN]);
  assert.equal(back.param_groups[0].lr, -Infinity);
});

test("optimizers reject bad options as PyTorch does, naming the optimizer and option", () => {
  const ps = () => [zeros([2], { requiresGrad: true })];
  assert.throws(() => new optim.SGD(ps(), { lr: -0.1 }), /SGD: invalid lr -0\.1/);
  assert.throws(() => new optim.SGD(ps(), { lr: 0.1, nesterov: true }), /SGD: nesterov momentum requires momentum > 0 and dampening 0/);
  assert.throws(() => new optim.SGD(ps(), { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }), /SGD: nesterov/);
  assert.throws(() => new optim.SGD(ps(), { lr: 0.1, momentum: -1 }), /SGD: invalid momentum -1/);
  assert.throws(() => new optim.SGD(ps(), { lr: 0.1, weightDecay: -1 }), /SGD: invalid weightDecay -1/);
  assert.throws(() => new optim.SGD(ps(), {} as { lr: number }), /SGD: param group 0 has no lr and there is no default/);
  assert.throws(() => new optim.Adam(ps(), { betas: [1, 0.999] }), /Adam: invalid beta1 1: betas must lie in \[0, 1\)/);
  assert.throws(() => new optim.Adam(ps(), { betas: [0.9, -0.1] }), /Adam: invalid beta2 -0\.1/);
  assert.throws(() => new optim.AdamW(ps(), { lr: -1 }), /AdamW: invalid lr -1/);
  assert.throws(() => new optim.Adam(ps(), { eps: -1 }), /Adam: invalid eps -1/);
  assert.throws(() => new optim.RMSprop(ps(), { alpha: -0.5 }), /RMSprop: invalid alpha -0\.5/);
  assert.throws(() => new optim.RMSprop(ps(), { momentum: -0.5 }), /RMSprop: invalid momentum/);
  assert.throws(() => new optim.Adagrad(ps(), { lrDecay: -1 }), /Adagrad: invalid lrDecay -1/);
  assert.throws(() => new optim.Adagrad(ps(), { initialAccumulatorValue: -1 }), /Adagrad: invalid initialAccumulatorValue/);
  assert.throws(() => new optim.Adadelta(ps(), { rho: 1.5 }), /Adadelta: invalid rho 1\.5: it must lie in \[0, 1\]/);
  assert.throws(() => new optim.Adadelta(ps(), { eps: -1 }), /Adadelta: invalid eps -1/);
  assert.throws(() => new optim.Adamax(ps(), { betas: [0.9, 1] }), /Adamax: invalid beta2 1: betas must lie in \[0, 1\)/);
  assert.throws(() => new optim.Adamax(ps(), { weightDecay: -1 }), /Adamax: invalid weightDecay -1/);
  assert.throws(() => new optim.NAdam(ps(), { momentumDecay: -1 }), /NAdam: invalid momentumDecay -1/);
  assert.throws(() => new optim.NAdam(ps(), { betas: [0.9] as unknown as [number, number] }), /NAdam: betas must be a pair of numbers \[beta1, beta2\], got an array of length 1/);
  assert.throws(() => new optim.RAdam(ps(), { lr: -1 }), /RAdam: invalid lr -1/);
  assert.throws(() => new optim.RAdam([{ params: ps(), betas: [-0.1, 0.9] }]), /RAdam: invalid beta1 -0\.1/);
  assert.throws(() => new optim.NAdam(ps(), { momentum_decay: 1 } as object), /NAdam: unknown option 'momentum_decay'; deeptype spells it 'momentumDecay'/);
  // PyTorch's spelling would silently do nothing in plain JavaScript: it is an error.
  assert.throws(() => new optim.SGD(ps(), { lr: 0.1, weight_decay: 1e-4 } as { lr: number }), /SGD: unknown option 'weight_decay'; deeptype spells it 'weightDecay'/);
  assert.throws(() => new optim.Adam([{ params: ps(), weight_decay: 1e-4 } as { params: Tensor[] }]), /Adam: unknown option 'weight_decay'/);
  // Per-group options are validated too.
  assert.throws(() => new optim.Adam([{ params: ps(), lr: -1 }]), /Adam: invalid lr -1/);
  assert.throws(() => new optim.SGD([{ params: ps(), lr: -1 }]), /SGD: invalid lr -1/);
  assert.throws(() => new optim.SGD([{ params: ps(), momentum: -1 }], { lr: 0.1 }), /SGD: invalid momentum -1/);
  assert.throws(() => new optim.SGD([{ params: ps(), nesterov: true }], { lr: 0.1 }), /SGD: nesterov momentum requires momentum > 0/);
  assert.throws(() => new optim.AdamW([{ params: ps(), eps: -1 }]), /AdamW: invalid eps -1/);
  const later = new optim.SGD(ps(), { lr: 0.1 });
  assert.throws(() => later.addParamGroup({ params: ps(), weightDecay: -1 }), /SGD: invalid weightDecay -1/);
  assert.throws(() => new optim.Adam(ps(), { betas: 0.9 as unknown as [number, number] }), /^Error: Adam: betas must be a pair of numbers \[beta1, beta2\], got number 0\.9$/);
  assert.throws(() => new optim.Adam(ps(), { betas: [0.9, 0.99, 0.9] as unknown as [number, number] }), /Adam: betas must be a pair of numbers \[beta1, beta2\], got an array of length 3/);
  assert.throws(() => new optim.Adam(ps(), { weightDecay: -1 }), /Adam: invalid weightDecay -1: it must be >= 0/);
  // 0 is a valid beta (PyTorch accepts betas (0, 0)): the bounds are [0, 1).
  assert.doesNotThrow(() => new optim.Adam(ps(), { betas: [0, 0] }));
  // An array-like is not an array (the update destructures betas as an array).
  assert.throws(() => new optim.Adam(ps(), { betas: { 0: 0.9, 1: 0.99, length: 2 } as unknown as [number, number] }), /Adam: betas must be a pair/);
  assert.throws(() => new optim.Adam(ps(), { betas: [-0.1, 0.9] }), /Adam: invalid beta1 -0\.1: betas must lie in \[0, 1\)/);
  assert.throws(() => new optim.AdamW(ps(), { betas: [0.9, 1] }), /AdamW: invalid beta2 1: betas must lie in \[0, 1\)/);
  // So are the defaults, even where every group overrides them (PyTorch 1.13 raises "Invalid
  // learning rate: -1" and "Invalid beta parameter at index 0: 1.5" for these).
  assert.throws(() => new optim.SGD([{ params: ps(), lr: 0.1 }], { lr: -1 }), /SGD: invalid lr -1/);
  assert.throws(() => new optim.Adam([{ params: ps(), lr: 0.1 }], { lr: -1 }), /Adam: invalid lr -1/);
  assert.throws(() => new optim.AdamW([{ params: ps(), betas: [0.9, 0.99] }], { betas: [1.5, 0.9] }), /AdamW: invalid beta1 1\.5/);
});

test("optimizers reject bad parameters with the fix", () => {
  const w = zeros([2], { requiresGrad: true });
  assert.throws(() => new optim.SGD(w as unknown as Tensor[], { lr: 0.1 }), /SGD: params must be an iterable of tensors or of param groups, got a single Tensor; wrap it/);
  assert.throws(() => new optim.Adam([]), /Adam: got an empty parameter list/);
  assert.throws(() => new optim.Adam([w.mul(2)]), /Adam: param group 0, entry 0 is not a leaf tensor/);
  assert.throws(() => new optim.Adam([zeros([2], { dtype: "int32" })]), /only floating tensors can be optimized/);
  assert.throws(() => new optim.Adam([w, w]), /lists the same tensor more than once/);
  const opt = new optim.Adam([w]);
  assert.throws(() => opt.addParamGroup({ params: [w] }), /already belong to param group 0/);
  assert.throws(() => opt.addParamGroup({ params: w as unknown as Tensor[] }), /got a single Tensor; write \{params: \[w\]\}/);
});

test("param groups: options merge with the defaults; addParamGroup; generators of parameters work", () => {
  const a = zeros([2], { requiresGrad: true });
  const b = zeros([2], { requiresGrad: true });
  const c = zeros([2], { requiresGrad: true });
  function* gen() {
    yield a;
  }
  const opt = new optim.SGD([{ params: gen() }, { params: [b], lr: 0.5, nesterov: true, momentum: 0.9 }], { lr: 0.1, momentum: 0.3 });
  assert.deepEqual(opt.paramGroups.map((g) => [g.lr, g.momentum, g.nesterov, g.params.length]), [[0.1, 0.3, false, 1], [0.5, 0.9, true, 1]]);
  opt.addParamGroup({ params: [c], weightDecay: 0.01 });
  assert.deepEqual([opt.paramGroups[2].lr, opt.paramGroups[2].momentum, opt.paramGroups[2].weightDecay], [0.1, 0.3, 0.01]);
  for (const p of [a, b, c]) p.grad = tensor([1, -1]);
  opt.step();
  // Plain SGD first step: buffer = grad, so p = -lr·g (Nesterov: -lr·(g + m·g)).
  assertClose(a.data(), [-0.1, 0.1], 1e-6, 0, "group 0");
  assertClose(b.data(), [-0.5 * 1.9, 0.5 * 1.9], 1e-6, 0, "group 1 (nesterov)");
  assertClose(c.data(), [-0.1, 0.1], 1e-6, 0, "added group");
});

test("a scheduler changes the lr the optimizer uses on its next step", () => {
  const p = zeros([1], { dtype: "float64", requiresGrad: true });
  const opt = new optim.SGD([p], { lr: 1 });
  const sched = new optim.StepLR(opt, { stepSize: 1, gamma: 0.5 });
  const moves: number[] = [];
  for (let i = 0; i < 3; i++) {
    const before = p.item();
    p.grad = tensor([1], { dtype: "float64" });
    opt.step();
    sched.step();
    moves.push(before - p.item());
  }
  assert.deepEqual(moves, [1, 0.5, 0.25]);
});

test("clipGradNorm_ scales all gradients together to maxNorm and returns the total norm", () => {
  const a = zeros([2], { dtype: "float64", requiresGrad: true });
  const b = zeros([1], { dtype: "float64", requiresGrad: true });
  const frozen = zeros([1], { requiresGrad: true });
  a.grad = tensor([3, 4], { dtype: "float64" });
  b.grad = tensor([12], { dtype: "float64" });
  const total = optim.clipGradNorm_([a, b, frozen], 1);
  assert.equal(total.item(), 13);
  const k = 1 / (13 + 1e-6);
  assertClose([...a.grad.data(), ...b.grad.data()], [3 * k, 4 * k, 12 * k], 1e-12, 0, "clipped");
  // Below the limit nothing changes (the factor is capped at 1).
  a.grad = tensor([0.3, 0.4], { dtype: "float64" });
  assert.ok(Math.abs(optim.clipGradNorm_(a, 1).item() - 0.5) < 1e-12);
  assert.deepEqual(Array.from(a.grad.data()), [0.3, 0.4]);
  // Other norms: max-abs and 1-norm.
  a.grad = tensor([3, -4], { dtype: "float64" });
  b.grad = tensor([2], { dtype: "float64" });
  assert.equal(optim.clipGradNorm_([a, b], 100, Infinity).item(), 4);
  assert.equal(optim.clipGradNorm_([a, b], 100, 1).item(), 9);
  assertClose(Array.from(optim.clipGradNorm_([a, b], 1, 1).data()), [9], 1e-12, 0, "1-norm");
  assertClose(a.grad.data(), [3 / (9 + 1e-6), -4 / (9 + 1e-6)], 1e-12, 0, "1-norm clip");
  assert.equal(optim.clipGradNorm_([frozen], 1).item(), 0);
  b.grad = tensor([Infinity], { dtype: "float64" });
  assert.throws(() => optim.clipGradNorm_([a, b], 1, 2, true), /clipGradNorm_: the total norm of order 2 of the gradients is Infinity/);
  assert.throws(() => optim.clipGradNorm_([a], -1), /maxNorm must be a number >= 0/);
});

test("clipGradValue_ clamps every gradient element into [-v, v]", () => {
  const a = zeros([4], { requiresGrad: true });
  a.grad = tensor([-3, -0.5, 0.25, 7]);
  optim.clipGradValue_([a], 1);
  assert.deepEqual(Array.from(a.grad.data()), [-1, -0.5, 0.25, 1]);
  assert.throws(() => optim.clipGradValue_([a], -1), /clipGradValue_: clipValue must be a number >= 0/);
});

test("optimizer updates record no graph and leave parameters as leaves", () => {
  for (const make of [
    (p: Tensor) => new optim.SGD([p], { lr: 0.1, momentum: 0.9 }),
    (p: Tensor) => new optim.Adam([p]),
    (p: Tensor) => new optim.RMSprop([p], { centered: true, momentum: 0.5 }),
    (p: Tensor) => new optim.Adagrad([p]),
  ]) {
    const p = tensor([1, 2, 3], { requiresGrad: true });
    const opt = make(p);
    p.square().sum().backward();
    const v = p.version;
    opt.step();
    assert.equal(p.isLeaf, true);
    assert.equal(p.requiresGrad, true);
    assert.ok(p.version > v, "the in-place update bumps the version counter");
    assert.equal(noGrad(() => p.sub(tensor([1, 2, 3])).abs().sum().item()) > 0, true);
  }
});

test("a user-defined optimizer: subclass Optimizer with checkGroup and updateGroup", () => {
  interface SignOptions extends optim.BaseOptions {
    lr: number;
  }
  class SignSGD extends optim.Optimizer<SignOptions> {
    constructor(params: optim.Params<SignOptions>, options: Partial<SignOptions> = {}) {
      super("SignSGD", params, { lr: 0.01, ...options });
    }
    protected checkGroup(g: optim.ParamGroup<SignOptions>): void {
      if (g.lr < 0) throw new Error(`SignSGD: invalid lr ${g.lr}`);
    }
    protected updateGroup(g: optim.ParamGroup<SignOptions>): void {
      for (const p of g.params) {
        if (!p.grad) continue;
        const s = this.stateOf(p);
        s.step = ((s.step as number | undefined) ?? 0) + 1;
        p.sub_(p.grad.sign().mul(g.lr));
      }
    }
  }
  const p = tensor([1, -1, 0.5], { dtype: "float64", requiresGrad: true });
  const opt = new SignSGD([p], { lr: 0.25 });
  p.grad = tensor([3, -0.1, 0], { dtype: "float64" });
  opt.step();
  assert.deepEqual(Array.from(p.data()), [0.75, -0.75, 0.5]);
  assert.throws(() => new SignSGD([p], { lr: -1 }), /SignSGD: invalid lr -1/);
  assert.deepEqual(opt.stateDict().state, { 0: { step: 1 } });
  const sched = new optim.StepLR(opt, { stepSize: 1, gamma: 0.5 });
  sched.step();
  assert.equal(opt.paramGroups[0].lr, 0.125);
});

test("Adam/AdamW: an empty saved state entry starts that parameter afresh, as PyTorch's `len(state) == 0`", () => {
  for (const Opt of [optim.Adam, optim.AdamW]) {
    const run = (load: boolean): number[] => {
      const w = tensor([1, -2, 3], { dtype: "float64", requiresGrad: true });
      const opt = new Opt([w], { lr: 0.1 });
      if (load) opt.loadStateDict({ state: { 0: {} }, param_groups: opt.stateDict().param_groups });
      for (let s = 0; s < 2; s++) {
        opt.zeroGrad();
        w.mul(w).mul(tensor([1, 2, 3], { dtype: "float64" })).sum().backward();
        opt.step();
      }
      return Array.from(w.data());
    };
    assert.deepEqual(run(true), run(false));
    assert.notDeepEqual(run(false), [1, -2, 3]);
  }
});

test("AdamW's errors name AdamW, the checks of the Optimizer base class included", () => {
  assert.throws(() => new optim.AdamW([]), /^Error: AdamW: got an empty parameter list/);
  assert.throws(() => new optim.Adam([]), /^Error: Adam: got an empty parameter list/);
  assert.throws(() => new optim.SGD([], { lr: 0.1 }), /^Error: SGD: got an empty parameter list/);
});

test("clipGradNorm_ and clipGradValue_ reject a parameter that is not a Tensor, naming its position", () => {
  const w = zeros([2], { requiresGrad: true });
  assert.throws(() => optim.clipGradNorm_([w, 5 as unknown as Tensor], 1), /^Error: clipGradNorm_: parameter 1 is not a Tensor; pass a tensor or an iterable of tensors/);
  assert.throws(() => optim.clipGradValue_([{} as unknown as Tensor], 1), /^Error: clipGradValue_: parameter 0 is not a Tensor/);
});

test("clipGradNorm_ checks maxNorm and normType, and raises on a non-finite norm only when asked", () => {
  const w = zeros([2], { dtype: "float64", requiresGrad: true });
  w.grad = tensor([3, 4], { dtype: "float64" });
  for (const bad of [NaN, -1, "1" as unknown as number]) {
    assert.throws(() => optim.clipGradNorm_([w], bad), /^Error: clipGradNorm_: maxNorm must be a number >= 0, got /);
  }
  for (const bad of [0, -2, NaN]) assert.throws(() => optim.clipGradNorm_([w], 1, bad), /^Error: clipGradNorm_: normType must be positive or Infinity/);
  // maxNorm 0 is allowed (PyTorch too): every gradient becomes 0.
  assert.equal(optim.clipGradNorm_([w], 0).item(), 5);
  assert.deepEqual(Array.from(w.grad!.data()), [0, 0]);
  w.grad = tensor([Infinity, 1], { dtype: "float64" });
  assert.equal(optim.clipGradNorm_([w], 1).item(), Infinity, "errorIfNonfinite defaults to false, as PyTorch");
  w.grad = tensor([Infinity, 1], { dtype: "float64" });
  assert.throws(() => optim.clipGradNorm_([w], 1, 2, true), /clipGradNorm_/);
});

test("clipGradNorm_ with a general p, its result's dtype, NaN norms, and clipGradValue_ on one tensor", () => {
  const a = zeros([2], { dtype: "float64", requiresGrad: true });
  const b = zeros([1], { dtype: "float64", requiresGrad: true });
  a.grad = tensor([1, -2], { dtype: "float64" });
  b.grad = tensor([2], { dtype: "float64" });
  // The 3-norm of [1, -2, 2] is 17^(1/3); the gradients are scaled by 1 / (17^(1/3) + 1e-6).
  const total = optim.clipGradNorm_([a, b], 1, 3);
  const t3 = Math.cbrt(17);
  assert.ok(Math.abs(total.item() - t3) < 1e-12, `3-norm ${total.item()}`);
  assert.equal(total.dtype, "float64", "the total norm has the gradients' dtype");
  assertClose([...a.grad.data(), ...b.grad.data()], [1, -2, 2].map((v) => v / (t3 + 1e-6)), 1e-12, 0, "3-norm clip");
  const f = zeros([1], { requiresGrad: true });
  f.grad = tensor([0.5]);
  assert.equal(optim.clipGradNorm_(f, 1).dtype, "float32");
  // A NaN total counts as non-finite.
  a.grad = tensor([NaN, 1], { dtype: "float64" });
  assert.throws(() => optim.clipGradNorm_([a], 1, 2, true), /^Error: clipGradNorm_: the total norm of order 2 of the gradients is NaN, so they cannot be clipped; pass errorIfNonfinite = false/);
  // clipGradValue_ takes one tensor as well, skips parameters without a gradient and refuses NaN.
  const c = zeros([3], { requiresGrad: true });
  c.grad = tensor([-2, 0.5, 2]);
  optim.clipGradValue_(c, 0.75);
  assert.deepEqual(Array.from(c.grad.data()), [-0.75, 0.5, 0.75]);
  optim.clipGradValue_([c, zeros([1], { requiresGrad: true })], 0.5);
  assert.deepEqual(Array.from(c.grad.data()), [-0.5, 0.5, 0.5]);
  assert.throws(() => optim.clipGradValue_([c], NaN), /^Error: clipGradValue_: clipValue must be a number >= 0, got NaN$/);
  optim.clipGradValue_([c], 0);
  assert.deepEqual(Array.from(c.grad.data()), [-0, 0, 0]);
});

test("Adagrad, Adadelta, NAdam, RAdam, RMSprop and Adamax name themselves in their errors, and weightDecay 0 adds nothing (an infinite parameter stays infinite, as PyTorch 1.13 gives)", () => {
  // PyTorch 1.13: p = tensor([inf, 1.]), grad [0.5, 0.5], each optimizer at its defaults, one step: p[0] stays inf
  // (its `if weight_decay != 0` skips the add; inf * 0 would make the gradient NaN).
  for (const [name, make, want] of [
    ["Adagrad", (ps: Tensor[]) => new optim.Adagrad(ps, { lr: 0.1 }), 0.8999999761581421],
    ["Adadelta", (ps: Tensor[]) => new optim.Adadelta(ps, { lr: 1 }), 0.9968377947807312],
    ["NAdam", (ps: Tensor[]) => new optim.NAdam(ps), 0.9979009628295898],
    ["RAdam", (ps: Tensor[]) => new optim.RAdam(ps), 0.9994999766349792],
    ["RMSprop", (ps: Tensor[]) => new optim.RMSprop(ps), 0.9000000357627869],
    ["Adamax", (ps: Tensor[]) => new optim.Adamax(ps), 0.9980000257492065],
  ] as const) {
    const w = tensor([Infinity, 1], { requiresGrad: true });
    const opt = make([w]);
    w.grad = tensor([0.5, 0.5]);
    opt.step();
    const [inf, one] = w.tolist() as number[];
    assert.equal(inf, Infinity, `${name}: an infinite parameter became ${inf}`);
    assert.ok(Math.abs(one - want) <= 1e-7, `${name}: the finite parameter became ${one}, PyTorch gives ${want}`);
    assert.throws(() => opt.addParamGroup({ params: [zeros([1], { requiresGrad: true })], lrr: 0.1 } as never), new RegExp(`^Error: ${name}: `));
  }
});
