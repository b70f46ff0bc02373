// Each scheduler's lr sequence over 30 steps against PyTorch 1.13 (test/fixtures/optim.json), plus
// OneCycleLR's momentum cycling, state-dict round trips and option errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { zeros, optim, tensor } from "../src/index.js";
import { fixtures, assertClose, type SchedulerCase } from "./optim-helpers.js";

type AnyOptim = optim.Optimizer<optim.BaseOptions>;
type AnySched = optim.LRScheduler | optim.ReduceLROnPlateau | optim.SequentialLR | optim.ChainedScheduler;

/** The fixture's lambdas by name (scripts/fixtures/optim.py writes the same functions in Python). */
const LAMBDAS: Record<string, optim.LrLambda> = {
  "0.95^e": (e) => 0.95 ** e,
  warmup5: (e) => Math.min(1, (e + 1) / 5),
  "0.95": () => 0.95,
};

function makeOptimizer(c: SchedulerCase): AnyOptim {
  const W = zeros([3], { dtype: "float64", requiresGrad: true });
  switch (c.optimizer) {
    case "SGD": return new optim.SGD([W], c.optimizerOptions as { lr: number }) as unknown as AnyOptim;
    case "SGD-two-groups":
      return new optim.SGD([{ params: [W] }, { params: [zeros([2], { requiresGrad: true })], lr: 0.5 }], c.optimizerOptions) as unknown as AnyOptim;
    case "SGD-two-groups-momentum":
      return new optim.SGD([{ params: [W] }, { params: [zeros([2], { requiresGrad: true })], lr: 0.5 }], c.optimizerOptions as { lr: number }) as unknown as AnyOptim;
    case "Adam": return new optim.Adam([W], c.optimizerOptions) as unknown as AnyOptim;
  }
}

function makeScheduler(c: Pick<SchedulerCase, "scheduler" | "options">, opt: AnyOptim): AnySched {
  const o = c.options as never;
  const nested = () => (c.options.schedulers as [string, Record<string, unknown>][]).map(([scheduler, options]) => makeScheduler({ scheduler, options }, opt) as optim.LRScheduler);
  const lambdas = () => {
    const l = c.options.lrLambda as string | string[];
    return typeof l === "string" ? LAMBDAS[l] : l.map((n) => LAMBDAS[n]);
  };
  switch (c.scheduler) {
    case "LambdaLR": return new optim.LambdaLR(opt, { lrLambda: lambdas() });
    case "MultiplicativeLR": return new optim.MultiplicativeLR(opt, { lrLambda: lambdas() });
    case "ConstantLR": return new optim.ConstantLR(opt, o);
    case "SequentialLR": return new optim.SequentialLR(opt, { schedulers: nested(), milestones: c.options.milestones as number[] });
    case "ChainedScheduler": return new optim.ChainedScheduler(nested());
    case "StepLR": return new optim.StepLR(opt, o);
    case "MultiStepLR": return new optim.MultiStepLR(opt, o);
    case "ExponentialLR": return new optim.ExponentialLR(opt, o);
    case "CosineAnnealingLR": return new optim.CosineAnnealingLR(opt, o);
    case "LinearLR": return new optim.LinearLR(opt, o);
    case "OneCycleLR": return new optim.OneCycleLR(opt, o);
    case "ReduceLROnPlateau": return new optim.ReduceLROnPlateau(opt, o);
    case "PolynomialLR": return new optim.PolynomialLR(opt, o);
    case "CyclicLR": return new optim.CyclicLR(opt, o);
    case "CosineAnnealingWarmRestarts": return new optim.CosineAnnealingWarmRestarts(opt, o);
    default: throw new Error(`unknown scheduler ${c.scheduler}`);
  }
}

function momentumOf(g: optim.ParamGroup): number | null {
  if (Array.isArray(g.betas)) return g.betas[0] as number;
  return typeof g.momentum === "number" ? g.momentum : null;
}

/** Runs steps [from, to) of a case on (opt, sched), recording lrs and momentums after each. */
function advance(c: SchedulerCase, opt: AnyOptim, sched: AnySched, from: number, to: number) {
  const lrs: number[][] = [];
  const moms: (number | null)[][] = [];
  const W = opt.paramGroups[0].params[0];
  for (let i = from; i < to; i++) {
    opt.zeroGrad();
    W.sum().backward();
    opt.step();
    if (sched instanceof optim.ReduceLROnPlateau) sched.step(c.metrics![i]);
    else if (c.epochs && c.epochs[i] !== null) (sched as optim.LRScheduler).step(c.epochs[i]!);
    else sched.step();
    lrs.push(sched.getLastLr());
    moms.push(opt.paramGroups.map(momentumOf));
  }
  return { lrs, moms };
}

function check(c: SchedulerCase, lrs: number[][], moms: (number | null)[][], offset: number) {
  lrs.forEach((l, i) => assertClose(l, c.lrs[offset + i], 1e-10, 1e-15, `${c.name} lr after step ${offset + i}`));
  if (c.scheduler === "OneCycleLR" || c.scheduler === "CyclicLR") {
    moms.forEach((m, i) => assertClose(m as number[], c.momentums[offset + i] as number[], 1e-10, 1e-15, `${c.name} momentum after step ${offset + i}`));
  }
}

for (const c of fixtures.schedulers) {
  test(`${c.scheduler} lr sequence matches PyTorch over 30 steps: ${c.name}`, () => {
    const opt = makeOptimizer(c);
    const sched = makeScheduler(c, opt);
    check(c, [sched.getLastLr()], [opt.paramGroups.map(momentumOf)], 0);
    const { lrs, moms } = advance(c, opt, sched, 0, 30);
    check(c, lrs, moms, 1);
    // The computed sequence is not constant (a scheduler that does nothing could not match a
    // constant fixture by accident, and the fixture itself is checked to move too).
    assert.ok(new Set(lrs.map((l) => l[0])).size > 1, `${c.name}: the lr moves`);
    assert.ok(new Set(c.lrs.map((l) => l[0])).size > 1, `${c.name}: the fixture's lr moves`);
  });

  test(`${c.scheduler} stateDict round trip (through JSON) resumes the same sequence: ${c.name}`, () => {
    const opt = makeOptimizer(c);
    const sched = makeScheduler(c, opt);
    advance(c, opt, sched, 0, 12);
    const json = JSON.stringify({
      opt: optim.serializeOptimizerState(opt.stateDict()),
      sched: optim.serializeOptimizerState(sched.stateDict()),
    });
    const opt2 = makeOptimizer(c);
    const sched2 = makeScheduler(c, opt2);
    const saved = JSON.parse(json) as { opt: unknown; sched: unknown };
    opt2.loadStateDict(optim.deserializeOptimizerState(saved.opt));
    sched2.loadStateDict(optim.deserializeOptimizerState<Record<string, unknown>>(saved.sched));
    const { lrs, moms } = advance(c, opt2, sched2, 12, 30);
    check(c, lrs, moms, 13);
  });
}

test("composite schedulers check their parts", () => {
  const opt = () => new optim.SGD([zeros([1], { requiresGrad: true })], { lr: 0.1 }) as unknown as AnyOptim;
  const a = opt();
  const b = opt();
  const sa = new optim.ExponentialLR(a, { gamma: 0.9 });
  const sb = new optim.ExponentialLR(b, { gamma: 0.9 });
  assert.throws(() => new optim.SequentialLR(a, { schedulers: [sa, sb], milestones: [3] }), /SequentialLR: scheduler 1 drives a different optimizer/);
  assert.throws(() => new optim.SequentialLR(a, { schedulers: [sa], milestones: [3] }), /SequentialLR: expected 0 milestone\(s\) for 1 schedulers/);
  assert.throws(() => new optim.ChainedScheduler([sa, sb]), /ChainedScheduler: scheduler 1 drives a different optimizer/);
  assert.throws(() => new optim.LambdaLR(a, { lrLambda: [() => 1, () => 1] }), /LambdaLR: expected 1 lr lambdas \(one per param group\), got 2/);
  assert.throws(() => new optim.ConstantLR(a, { factor: 2 }), /ConstantLR: factor must be in \[0, 1\]/);
  const lam = new optim.LambdaLR(a, { lrLambda: (e) => 1 / (e + 1) });
  assert.equal("lr_lambdas" in lam.stateDict(), false, "functions are not state");
  // PyTorch saves lr_lambdas as [None]: loading that keeps this scheduler's functions.
  lam.loadStateDict({ ...lam.stateDict(), lr_lambdas: [null], last_epoch: 3 });
  lam.step();
  assert.ok(Math.abs(lam.getLastLr()[0] - 0.1 / 5) < 1e-15, `lr after resuming at epoch 3: ${lam.getLastLr()[0]}`);
});

test("StepLR.step(epoch) uses the closed form, as PyTorch", () => {
  const opt = new optim.SGD([zeros([1], { requiresGrad: true })], { lr: 1 });
  const sched = new optim.StepLR(opt, { stepSize: 3, gamma: 0.5 });
  sched.step(7);
  assert.deepEqual(sched.getLastLr(), [0.25]);
  const cos = new optim.CosineAnnealingLR(new optim.SGD([zeros([1], { requiresGrad: true })], { lr: 1 }), { tMax: 4 });
  cos.step(2);
  assertClose(cos.getLastLr(), [0.5], 1e-12, 0, "cosine at tMax/2");
});

test("scheduler stateDict uses PyTorch's field names", () => {
  const opt = new optim.SGD([zeros([1], { requiresGrad: true })], { lr: 0.1 });
  const sd = new optim.CosineAnnealingLR(opt, { tMax: 10 }).stateDict();
  assert.deepEqual(Object.keys(sd).sort(), ["T_max", "_last_lr", "_step_count", "base_lrs", "eta_min", "last_epoch"]);
  assert.equal(sd.last_epoch, 0);
  assert.deepEqual(sd.base_lrs, [0.1]);
  assert.equal(opt.paramGroups[0].initialLr, 0.1);
});

test("schedulers reject bad options with the option's name", () => {
  const opt = () => new optim.SGD([zeros([1], { requiresGrad: true })], { lr: 0.1 }) as unknown as AnyOptim;
  assert.throws(() => new optim.StepLR(opt(), { stepSize: 0 }), /StepLR: stepSize must be a positive integer/);
  assert.throws(() => new optim.LinearLR(opt(), { startFactor: 0 }), /LinearLR: startFactor must be in \(0, 1\]/);
  assert.throws(() => new optim.LinearLR(opt(), { endFactor: 1.5 }), /LinearLR: endFactor/);
  assert.throws(() => new optim.CosineAnnealingLR(opt(), { tMax: 0 }), /CosineAnnealingLR: tMax/);
  assert.throws(() => new optim.OneCycleLR(opt(), { maxLr: 1 }), /OneCycleLR: give either totalSteps or both epochs and stepsPerEpoch/);
  assert.throws(() => new optim.OneCycleLR(opt(), { maxLr: 1, totalSteps: 10, pctStart: 1.5 }), /pctStart must be in \[0, 1\]/);
  assert.throws(() => new optim.OneCycleLR(opt(), { maxLr: [1, 2], totalSteps: 10 }), /expected 1 values for maxLr/);
  const adagrad = new optim.Adagrad([zeros([1], { requiresGrad: true })]) as unknown as AnyOptim;
  assert.throws(() => new optim.OneCycleLR(adagrad, { maxLr: 1, totalSteps: 10 }), /cycleMomentum needs an optimizer with momentum or betas/);
  assert.doesNotThrow(() => new optim.OneCycleLR(adagrad, { maxLr: 1, totalSteps: 10, cycleMomentum: false }));
  assert.throws(() => new optim.ReduceLROnPlateau(opt(), { factor: 1 }), /ReduceLROnPlateau: factor must be < 1/);
  assert.throws(() => new optim.ReduceLROnPlateau(opt(), { mode: "up" as "min" }), /mode must be "min" or "max"/);
  assert.throws(() => new optim.StepLR(opt(), { stepSize: 2, lastEpoch: 5 }), /param group 0 has no initialLr/);
  assert.throws(() => new optim.PolynomialLR(opt(), { totalIters: 0 }), /PolynomialLR: totalIters must be an integer >= 1/);
  assert.throws(() => new optim.CosineAnnealingWarmRestarts(opt(), { t0: 2.5 }), /CosineAnnealingWarmRestarts: t0 \(epochs until the first restart\) must be a positive integer, got 2\.5/);
  assert.throws(() => new optim.CosineAnnealingWarmRestarts(opt(), { t0: 2, tMult: 0 }), /CosineAnnealingWarmRestarts: tMult must be an integer >= 1/);
  assert.throws(() => new optim.CosineAnnealingWarmRestarts(opt(), { t0: 2 }).step(-1), /CosineAnnealingWarmRestarts\.step: epoch must be a finite number >= 0, got -1/);
  assert.throws(() => new optim.CyclicLR(opt(), { maxLr: 1 } as optim.CyclicLROptions), /CyclicLR: baseLr and maxLr \(the bounds of the cycle\) are required/);
  assert.throws(() => new optim.CyclicLR(opt(), { baseLr: 0.1, maxLr: [1, 2] }), /CyclicLR: expected 1 values for maxLr/);
  assert.throws(() => new optim.CyclicLR(opt(), { baseLr: 0.1, maxLr: 1, mode: "sine" as "triangular" }), /CyclicLR: mode must be "triangular", "triangular2" or "exp_range" \(or give a scaleFn\), got sine/);
  assert.throws(() => new optim.CyclicLR(opt(), { baseLr: 0.1, maxLr: 1, stepSizeUp: 0 }), /CyclicLR: stepSizeUp must be a number > 0/);
  const adam = new optim.Adam([zeros([1], { requiresGrad: true })]) as unknown as AnyOptim;
  assert.throws(() => new optim.CyclicLR(adam, { baseLr: 0.1, maxLr: 1 }), /CyclicLR: cycleMomentum needs an optimizer with a momentum option .*; pass cycleMomentum: false/);
  assert.doesNotThrow(() => new optim.CyclicLR(adam, { baseLr: 0.1, maxLr: 1, cycleMomentum: false }));
  const one = new optim.OneCycleLR(opt(), { maxLr: 1, totalSteps: 3 });
  one.step(); one.step(); one.step();
  assert.throws(() => one.step(), /OneCycleLR: tried to step 4 times but totalSteps is 3/);
});

test("ReduceLROnPlateau accepts a one-element tensor metric", () => {
  const opt = new optim.SGD([zeros([1], { requiresGrad: true })], { lr: 1 });
  const sched = new optim.ReduceLROnPlateau(opt, { patience: 0, factor: 0.5 });
  sched.step(tensor(1));
  sched.step(tensor(2));
  assert.deepEqual(sched.getLastLr(), [0.5]);
});

test("CyclicLR with a custom scaleFn scales the amplitude by the cycle number or by the step", () => {
  const opt = () => new optim.SGD([zeros([1], { requiresGrad: true })], { lr: 0.1 }) as unknown as AnyOptim;
  const byCycle = new optim.CyclicLR(opt(), { baseLr: 0, maxLr: 1, stepSizeUp: 2, cycleMomentum: false, scaleFn: (c) => 1 / c });
  const lrs = [byCycle.getLastLr()[0]];
  for (let i = 0; i < 6; i++) { byCycle.step(); lrs.push(byCycle.getLastLr()[0]); }
  assertClose(lrs, [0, 0.5, 1, 0.5, 0, 0.25, 0.5], 1e-12, 1e-15, "scaleFn 1/cycle");
  const bySteps = new optim.CyclicLR(opt(), { baseLr: 0, maxLr: 1, stepSizeUp: 2, cycleMomentum: false, scaleFn: (s) => 0.5 ** s, scaleMode: "iterations" });
  bySteps.step();
  assertClose(bySteps.getLastLr(), [0.5 * 0.5], 1e-12, 0, "scaleFn of the step");
  assert.equal("scale_fn" in byCycle.stateDict(), false, "functions are not state");
});

test("CosineAnnealingWarmRestarts stateDict uses PyTorch's T_0/T_i/T_mult/T_cur names", () => {
  const opt = new optim.SGD([zeros([1], { requiresGrad: true })], { lr: 0.1 });
  const sched = new optim.CosineAnnealingWarmRestarts(opt, { t0: 3, tMult: 2 });
  sched.step(4.5);
  const sd = sched.stateDict();
  assert.deepEqual(Object.keys(sd).sort(), ["T_0", "T_cur", "T_i", "T_mult", "_last_lr", "_step_count", "base_lrs", "eta_min", "last_epoch"]);
  assert.equal(sd.T_i, 6);
  assert.equal(sd.T_cur, 1.5);
  assert.equal(sd.last_epoch, 4);
});
