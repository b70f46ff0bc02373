// Tests written for mutants of src/optim that survived `npm run mutate -- src/optim` (session 9):
// inputs the other optimizer fixtures never give (an infinite parameter on Adam's tensor-op path)
// and LBFGS's tolerances at exact ties. Expected values are PyTorch 1.13's, from
// scripts/fixtures/mutation_optim.py (test/fixtures/mutation-optim.json).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { tensor, optim, type Tensor } from "../src/index.js";
import { cubicInterpolate, strongWolfe } from "../src/optim/line-search.js";

interface ScriptedLbfgs {
  calls: [number, number][];
  x0: number;
  options: { lr: number; toleranceChange: number; maxIter: number; maxEval: number };
  expected: { x: number; nIter: number; funcEvals: number; closureCalls: number; historyPairs: number; HDiag: number };
}
interface ScriptedWolfe {
  t: number;
  toleranceChange?: number;
  calls: [number, number][];
  expected: { loss: number; grad: number; t: number; evals: number };
}
const F = JSON.parse(readFileSync(new URL("./fixtures/mutation-optim.json", import.meta.url), "utf8")) as {
  adamInfWeightDecay0: { p: (number | "inf")[][] };
  lbfgsGtdTie: ScriptedLbfgs;
  lbfgsLossTie: ScriptedLbfgs;
  lbfgsCurvatureTie: ScriptedLbfgs;
  wolfeScripted: Record<string, ScriptedWolfe>;
  cubicD2Zero: { args: [number, number, number, number, number, number]; result: number };
  chainedCosineExp: number[];
  cosineResumed3: number[];
  oneCycleAdamBetas: number[][];
  oneCycleNoMomentum: { momentum: number[]; lrs: number[] };
  defaultsNoOptions: Record<"LinearLR" | "ConstantLR" | "PolynomialLR", number[]>;
};

test("Adam's tensor-op path with weightDecay 0 leaves an infinite parameter infinite, as PyTorch", () => {
  // A transposed gradient is not fusable, so the step runs op by op; adding 0·p would turn inf into NaN.
  const p = tensor([[Infinity, 1], [-2, 0.5]], { requiresGrad: true });
  p.grad = tensor([[0.5, -1], [2, 0.25]]).t();
  const opt = new optim.Adam([p], { lr: 0.01 });
  opt.step();
  opt.step();
  const want = F.adamInfWeightDecay0.p.flat().map((v) => (v === "inf" ? Infinity : v));
  assert.deepEqual(Array.from(p.data()), want);
});

/** LBFGS on one float64 parameter whose closure returns the scripted loss and gradient of call k. */
function runScripted(c: ScriptedLbfgs) {
  const x = tensor([c.x0], { dtype: "float64", requiresGrad: true });
  const opt = new optim.LBFGS([x], c.options);
  let closureCalls = 0;
  opt.step(() => {
    const [loss, grad] = c.calls[closureCalls++];
    x.grad = tensor([grad], { dtype: "float64" });
    return loss;
  });
  const st = opt.state.get(x)!;
  return {
    x: x.item(),
    nIter: st.nIter,
    funcEvals: st.funcEvals,
    closureCalls,
    historyPairs: (st.oldDirs as Tensor[]).length,
    HDiag: st.HDiag as number,
  };
}

test("LBFGS: a directional derivative exactly at -toleranceChange is still a descent direction, as PyTorch", () => {
  // g = -0.5, d = 0.5: gtd = -0.25 = -toleranceChange. PyTorch's test is strict (gtd > -tol stops).
  assert.deepEqual(runScripted(F.lbfgsGtdTie), F.lbfgsGtdTie.expected);
});

test("LBFGS: a loss change exactly at toleranceChange does not stop, as PyTorch", () => {
  // Loss 1 -> 0.75 with toleranceChange 0.25: |Δ| < tol is false at the tie, so a second iteration runs.
  assert.deepEqual(runScripted(F.lbfgsLossTie), F.lbfgsLossTie.expected);
});

test("LBFGS: a curvature pair with y·s exactly 1e-10 is not kept, as PyTorch", () => {
  // s = 5e-11 (the step), y = 2: y·s is the double 1e-10, and PyTorch keeps a pair only when y·s > 1e-10.
  assert.deepEqual(runScripted(F.lbfgsCurvatureTie), F.lbfgsCurvatureTie.expected);
});

test("strongWolfe decides each comparison at its exact tie as PyTorch's _strong_wolfe does", () => {
  // A scripted objective: call k returns (f_k, [g_k]) whatever the step; d = [1], f = 1, g = [-1].
  // Each case puts one comparison at equality (the Armijo bound, the previous loss, the curvature
  // bound, the zoom's tolerance, the low end's loss); the script says which.
  const names = Object.keys(F.wolfeScripted);
  assert.deepEqual(names, ["bracketArmijoTie", "bracketPrevTie", "bracketCurvatureTie", "zoomToleranceTie", "zoomArmijoTie", "zoomLowTie", "zoomCurvatureTie"]);
  for (const name of names) {
    const c = F.wolfeScripted[name];
    let k = 0;
    const obj = (): [number, Float64Array] => {
      const [f, g] = c.calls[k++];
      return [f, Float64Array.of(g)];
    };
    const r = strongWolfe(obj, c.t, Float64Array.of(1), 1, Float64Array.of(-1), -1, 1e-4, 0.9, c.toleranceChange ?? 1e-9, 25);
    assert.deepEqual({ loss: r.loss, grad: r.grad[0], t: r.t, evals: r.evals }, c.expected, name);
  }
});

test("cubicInterpolate: a cubic with d2² exactly 0 still has its minimiser, not the interval's middle", () => {
  assert.equal(cubicInterpolate(...F.cubicD2Zero.args), F.cubicD2Zero.result);
  assert.equal(F.cubicD2Zero.result, 1 - 2 / 3);
});

// Schedulers. One SGD(lr 0.1) parameter; lrs after construction and after each step.
const sgd = (momentum = 0) => new optim.SGD([tensor([0, 0], { requiresGrad: true })], { lr: 0.1, momentum });
function lrsOf(opt: optim.SGD, sched: { step(): void }, steps: number): number[] {
  const seq = [opt.paramGroups[0].lr];
  for (let k = 0; k < steps; k++) {
    opt.step();
    sched.step();
    seq.push(opt.paramGroups[0].lr);
  }
  return seq;
}
const assertLrs = (got: number[], want: number[], what: string) => {
  assert.equal(got.length, want.length, what);
  got.forEach((v, k) => assert.ok(Math.abs(v - want[k]) <= 1e-12 * Math.abs(want[k]) + 1e-15, `${what} step ${k}: ${v} vs PyTorch ${want[k]}`));
};

test("CosineAnnealingLR chained with ExponentialLR follows the decayed lr (its recursive form), as PyTorch", () => {
  const o = sgd();
  const chained = new optim.ChainedScheduler([new optim.CosineAnnealingLR(o, { tMax: 10, etaMin: 0.001 }), new optim.ExponentialLR(o, { gamma: 0.9 })]);
  assertLrs(lrsOf(o, chained, 25), F.chainedCosineExp, "chained");
});

test("CosineAnnealingLR resumed at lastEpoch 3 starts from the closed form at epoch 4, as PyTorch", () => {
  const o = sgd();
  o.paramGroups[0].initialLr = 0.1;
  assertLrs(lrsOf(o, new optim.CosineAnnealingLR(o, { tMax: 10, etaMin: 0.01, lastEpoch: 3 }), 4), F.cosineResumed3, "resumed");
});

test("OneCycleLR on Adam cycles beta1 only: betas stay a pair with beta2 untouched, as PyTorch", () => {
  const o = new optim.Adam([tensor([0, 0], { requiresGrad: true })], { lr: 0.001, betas: [0.9, 0.99] });
  const sched = new optim.OneCycleLR(o, { maxLr: 0.01, totalSteps: 10 });
  const betas = [[...(o.paramGroups[0].betas as number[])]];
  for (let k = 0; k < 3; k++) {
    o.step();
    sched.step();
    betas.push([...(o.paramGroups[0].betas as number[])]);
  }
  assert.equal(betas.length, F.oneCycleAdamBetas.length);
  betas.forEach((b, k) => {
    assert.equal(b.length, 2, `step ${k}: betas ${b}`);
    assertLrs(b, F.oneCycleAdamBetas[k], `betas at step ${k}`);
  });
});

test("OneCycleLR with cycleMomentum false leaves SGD's momentum alone, as PyTorch", () => {
  const o = sgd(0.9);
  const sched = new optim.OneCycleLR(o, { maxLr: 1, totalSteps: 10, cycleMomentum: false });
  const mom = [o.paramGroups[0].momentum];
  const seq = [o.paramGroups[0].lr];
  for (let k = 0; k < 3; k++) {
    o.step();
    sched.step();
    mom.push(o.paramGroups[0].momentum);
    seq.push(o.paramGroups[0].lr);
  }
  assert.deepEqual(mom, F.oneCycleNoMomentum.momentum);
  assertLrs(seq, F.oneCycleNoMomentum.lrs, "lrs");
});

test("LinearLR, ConstantLR and PolynomialLR need no options object (PyTorch's defaults)", () => {
  for (const name of ["LinearLR", "ConstantLR", "PolynomialLR"] as const) {
    const o = sgd();
    const sched = new (optim[name] as unknown as new (opt: optim.SGD) => { step(): void })(o);
    assertLrs(lrsOf(o, sched, 6), F.defaultsNoOptions[name], name);
  }
});

test("CosineAnnealingWarmRestarts.step refuses an epoch that is negative, NaN or not a number", () => {
  const s = new optim.CosineAnnealingWarmRestarts(sgd(), { t0: 5 });
  for (const bad of [-1, NaN, Infinity, "2"]) {
    assert.throws(() => s.step(bad as number), /^Error: CosineAnnealingWarmRestarts\.step: epoch must be a finite number >= 0, got /, String(bad));
  }
});

test("CyclicLR without options names the two it cannot do without", () => {
  // checkedLastEpoch lets undefined options through for schedulers that do not pass an example of
  // required options; CyclicLR's own check then says which options are missing.
  const Cyclic = optim.CyclicLR as unknown as new (opt: optim.SGD) => unknown;
  assert.throws(() => new Cyclic(sgd(0.9)), /^Error: CyclicLR: baseLr and maxLr \(the bounds of the cycle\) are required, e\.g\. new CyclicLR\(opt, \{baseLr: 1e-3, maxLr: 0\.1\}\)$/);
});

test("CyclicLR's option checks: stepSizeDown must be a number; with a scaleFn, mode and the momentum bounds are not read (as PyTorch)", () => {
  const base = { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 };
  assert.throws(() => new optim.CyclicLR(sgd(0.9), { ...base, stepSizeDown: "3" as unknown as number }), /^Error: CyclicLR: stepSizeDown must be a number > 0 \(steps from maxLr back to baseLr\), got 3$/);
  // PyTorch 1.13 checks mode only when scale_fn is None.
  const custom = new optim.CyclicLR(sgd(0.9), { ...base, scaleFn: () => 0.5, mode: "other" as never });
  const o = custom.optimizer as optim.SGD;
  assertLrs(lrsOf(o, custom, 4), [0.01, 0.0325, 0.055, 0.0325, 0.01], "scaleFn 0.5");
  // Without cycleMomentum the momentum bounds are not used, so not checked: one value too many is fine.
  assert.doesNotThrow(() => new optim.CyclicLR(sgd(), { ...base, cycleMomentum: false, maxMomentum: [0.9, 0.95], baseMomentum: [0.8, 0.85] }));
});

test("addParamGroup refuses a group that shares only some of its tensors with an earlier group, as PyTorch", () => {
  const [a, b, c] = [0, 1, 2].map(() => tensor([0], { requiresGrad: true }));
  const opt = new optim.SGD([a, b], { lr: 0.1 });
  assert.throws(() => opt.addParamGroup({ params: [b, c] }), /^Error: SGD: some parameters of the new group 1 already belong to param group 0; a tensor may be in only one group$/);
});
