// Schedulers' argument errors and base-class behaviour that the PyTorch lr sequences of
// optim-lr-scheduler.test.ts do not reach (docs/testing.md, mutation testing): every constructor
// check names the scheduler and the option, state dicts ignore unknown keys, step(epoch) without a
// closed form, and resuming from lastEpoch.
import { test } from "node:test";
import assert from "node:assert/strict";
import { optim, zeros } from "../src/index.js";

type AnyOptim = optim.Optimizer<optim.BaseOptions>;
const opt = (lr = 0.1): AnyOptim => new optim.SGD([zeros([1], { requiresGrad: true })], { lr, momentum: 0.9 }) as unknown as AnyOptim;

test("the scheduler base class checks its subclass's call, the optimizer and lastEpoch", () => {
  class Halving extends optim.LRScheduler {
    constructor(o: AnyOptim, kind: unknown = "Halving", lastEpoch?: number) {
      super(kind as string, o, lastEpoch);
      this.initialStep();
    }
    protected computeLr(): number[] {
      return this.lastEpoch === 0 ? this.groups.map((g) => g.lr) : this.groups.map((g) => g.lr / 2);
    }
  }
  assert.throws(() => new Halving(opt(), 3), /^Error: LRScheduler: the subclass name \(first argument of super\) must be a string like "MyScheduler", got number 3$/);
  assert.throws(() => new Halving({} as never), /^Error: Halving: the first argument must be an optimizer \(e\.g\. new SGD\(\.\.\.\)\), got \[object Object\]$/);
  assert.throws(() => new Halving(opt(), "Halving", 1.5), /^Error: Halving: lastEpoch must be an integer >= -1, got 1\.5$/);
  assert.throws(() => new Halving(opt(), "Halving", -2), /^Error: Halving: lastEpoch must be an integer >= -1, got -2$/);
  assert.throws(() => new Halving(opt(), "Halving", 4), /^Error: Halving: param group 0 has no initialLr, needed to resume at lastEpoch 4; load the optimizer's stateDict first/);
  const o = opt(1);
  const h = new Halving(o);
  assert.deepEqual([h.lastEpoch, h.stepCount, h.getLastLr()], [0, 1, [1]]);
  h.step();
  h.step();
  assert.deepEqual([h.lastEpoch, h.stepCount, h.getLastLr(), o.paramGroups[0].lr], [2, 3, [0.25], 0.25]);
  // getLastLr is a copy.
  h.getLastLr()[0] = 9;
  assert.deepEqual(h.getLastLr(), [0.25]);
  // Without a closed form, step(epoch) sets the epoch and applies the recursive rule once.
  h.step(10);
  assert.deepEqual([h.lastEpoch, h.getLastLr()], [10, [0.125]]);
  // A second scheduler on the same optimizer keeps the first one's initialLr, and can resume.
  o.paramGroups[0].lr = 0.5;
  const resumed = new Halving(o, "Halving", 3);
  assert.deepEqual([resumed.baseLrs, resumed.lastEpoch, resumed.getLastLr()], [[1], 4, [0.25]]);
});

test("scheduler state dicts: unknown keys and the optimizer are ignored; a non-object is an error", () => {
  const o = opt(1);
  const s = new optim.StepLR(o, { stepSize: 2, gamma: 0.5 });
  s.step();
  const sd = s.stateDict();
  assert.equal("kind" in sd, false);
  assert.equal("optimizer" in sd, false);
  const t = new optim.StepLR(opt(1), { stepSize: 5 });
  t.loadStateDict({ ...sd, verbose: true, optimizer: "nope", kind: "Other", _get_lr_called_within_step: false });
  assert.deepEqual([t.stepSize, t.gamma, t.lastEpoch, t.stepCount], [2, 0.5, 1, 2]);
  assert.equal("verbose" in t, false);
  assert.notEqual((t as unknown as { optimizer: unknown }).optimizer, "nope");
  // The loaded lists are copies.
  (sd.base_lrs as number[])[0] = 7;
  assert.deepEqual(t.baseLrs, [1]);
  assert.throws(() => t.loadStateDict(null as never), /^Error: StepLR\.loadStateDict: expected an object as returned by stateDict\(\), got null$/);
  assert.throws(() => t.loadStateDict(3 as never), /^Error: StepLR\.loadStateDict: expected an object as returned by stateDict\(\), got 3$/);
  const seq = new optim.SequentialLR(o, { schedulers: [new optim.ConstantLR(o, { factor: 0.5, totalIters: 1 }), new optim.ExponentialLR(o, { gamma: 0.9 })], milestones: [2] });
  assert.throws(() => seq.loadStateDict(null as never), /^Error: SequentialLR\.loadStateDict: expected an object as returned by stateDict\(\), got null$/);
  assert.throws(() => seq.loadStateDict({ _schedulers: [{}] }), /^Error: SequentialLR\.loadStateDict: the saved state wraps 1 schedulers but this one wraps 2$/);
  assert.throws(() => seq.loadStateDict({}), /^Error: SequentialLR\.loadStateDict: the saved state wraps no schedulers but this one wraps 2$/);
});

test("every scheduler's option checks name the scheduler, the option and the value", () => {
  const cases: [() => unknown, RegExp][] = [
    [() => new optim.StepLR(opt(), { stepSize: 2.5 }), /^Error: StepLR: stepSize must be a positive integer, got 2\.5$/],
    [() => new optim.MultiStepLR(opt(), { milestones: [2, 3.5] }), /^Error: MultiStepLR: milestones must be a list of integer epochs, e\.g\. \[30, 80\], got \[2,3\.5\]$/],
    [() => new optim.MultiStepLR(opt(), { milestones: 3 as never }), /^Error: MultiStepLR: milestones must be a list of integer epochs, e\.g\. \[30, 80\], got 3$/],
    [() => new optim.ExponentialLR(opt(), {} as never), /^Error: ExponentialLR: gamma \(the decay per epoch\) is required, e\.g\. \{gamma: 0\.95\}$/],
    [() => new optim.LinearLR(opt(), { startFactor: 1.5 }), /^Error: LinearLR: startFactor must be in \(0, 1\], got 1\.5$/],
    [() => new optim.LinearLR(opt(), { endFactor: -0.1 }), /^Error: LinearLR: endFactor must be in \[0, 1\], got -0\.1$/],
    [() => new optim.LinearLR(opt(), { totalIters: 0 }), /^Error: LinearLR: totalIters must be a positive integer, got 0$/],
    [() => new optim.LinearLR(opt(), { totalIters: 1.5 }), /^Error: LinearLR: totalIters must be a positive integer, got 1\.5$/],
    [() => new optim.LambdaLR(opt(), { lrLambda: 3 as never }), /^Error: LambdaLR: lrLambda must be a function \(epoch\) => factor, or one per param group, got number$/],
    [() => new optim.LambdaLR(opt(), { lrLambda: [3 as never] }), /^Error: LambdaLR: lr lambda 0 is not a function; pass \(epoch\) => factor$/],
    [() => new optim.LambdaLR(opt(), {} as never), /^Error: LambdaLR: expected 1 lr lambdas \(one per param group\), got 0$/],
    [() => new optim.MultiplicativeLR(opt(), { lrLambda: [] }), /^Error: MultiplicativeLR: expected 1 lr lambdas \(one per param group\), got 0$/],
    [() => new optim.ConstantLR(opt(), { factor: -0.5 }), /^Error: ConstantLR: factor must be in \[0, 1\], got -0\.5$/],
    [() => new optim.ConstantLR(opt(), { totalIters: -1 }), /^Error: ConstantLR: totalIters must be an integer >= 0, got -1$/],
    [() => new optim.PolynomialLR(opt(), { totalIters: 2.5 }), /^Error: PolynomialLR: totalIters must be an integer >= 1 \(epochs until the lr reaches 0\), got 2\.5$/],
    [() => new optim.PolynomialLR(opt(), { power: NaN }), /^Error: PolynomialLR: power must be a finite number \(1 is linear decay\), got NaN$/],
    [() => new optim.PolynomialLR(opt(), { power: "2" as never }), /^Error: PolynomialLR: power must be a finite number \(1 is linear decay\), got 2$/],
    [() => new optim.CosineAnnealingLR(opt(), { tMax: -1 }), /^Error: CosineAnnealingLR: tMax \(epochs of the half period\) must be > 0, got -1$/],
    [() => new optim.SequentialLR(opt(), { schedulers: [], milestones: [] }), /^Error: SequentialLR: schedulers must be a non-empty list of schedulers$/],
    [() => new optim.ChainedScheduler([]), /^Error: ChainedScheduler: schedulers must be a non-empty list of schedulers$/],
    [() => new optim.ChainedScheduler(null as never), /^Error: ChainedScheduler: schedulers must be a non-empty list of schedulers$/],
    [() => { const o = opt(); return new optim.SequentialLR(o, { schedulers: [new optim.ReduceLROnPlateau(o) as never], milestones: [] }); }, /^Error: SequentialLR: entry 0 is not an epoch-based scheduler \(ReduceLROnPlateau cannot be combined\)$/],
    [() => new optim.ReduceLROnPlateau(opt(), { thresholdMode: "pct" as never }), /^Error: ReduceLROnPlateau: thresholdMode must be "rel" or "abs", got pct$/],
    [() => new optim.ReduceLROnPlateau(opt(), { factor: 1.5 }), /^Error: ReduceLROnPlateau: factor must be < 1 \(it multiplies the lr\), got 1\.5$/],
    [() => new optim.OneCycleLR(opt(), {} as never), /^Error: OneCycleLR: maxLr \(the peak learning rate\) is required, e\.g\. \{maxLr: 0\.1, totalSteps: 1000\}$/],
    [() => new optim.OneCycleLR(opt(), { maxLr: 1, totalSteps: 0 }), /^Error: OneCycleLR: totalSteps must be a positive integer, got 0$/],
    [() => new optim.OneCycleLR(opt(), { maxLr: 1, epochs: 0, stepsPerEpoch: 3 }), /^Error: OneCycleLR: epochs must be a positive integer, got 0$/],
    [() => new optim.OneCycleLR(opt(), { maxLr: 1, epochs: 2, stepsPerEpoch: 1.5 }), /^Error: OneCycleLR: stepsPerEpoch must be a positive integer, got 1\.5$/],
    [() => new optim.OneCycleLR(opt(), { maxLr: 1, epochs: 2 }), /^Error: OneCycleLR: stepsPerEpoch must be a positive integer, got undefined$/],
    [() => new optim.OneCycleLR(opt(), { maxLr: 1, stepsPerEpoch: 2 }), /^Error: OneCycleLR: epochs must be a positive integer, got undefined$/],
    [() => new optim.OneCycleLR(opt(), { maxLr: 1, totalSteps: 5, pctStart: -0.1 }), /^Error: OneCycleLR: pctStart must be in \[0, 1\], got -0\.1$/],
    [() => new optim.OneCycleLR(opt(), { maxLr: 1, totalSteps: 5, annealStrategy: "step" as never }), /^Error: OneCycleLR: annealStrategy must be "cos" or "linear", got step$/],
    [() => new optim.CyclicLR(opt(), { baseLr: 0.1, maxLr: 1, stepSizeDown: 0 }), /^Error: CyclicLR: stepSizeDown must be a number > 0 \(steps from maxLr back to baseLr\), got 0$/],
    [() => new optim.CyclicLR(opt(), { baseLr: 0.1, maxLr: 1, stepSizeUp: "2" as never }), /^Error: CyclicLR: stepSizeUp must be a number > 0 \(steps from baseLr to maxLr\), got 2$/],
    [() => new optim.CyclicLR(opt(), { baseLr: 0.1, maxLr: 1, scaleFn: 2 as never }), /^Error: CyclicLR: scaleFn must be a function of the cycle number or step, got number$/],
    [() => new optim.CyclicLR(opt(), { baseLr: 0.1, maxLr: 1, scaleFn: () => 1, scaleMode: "epochs" as never }), /^Error: CyclicLR: scaleMode must be "cycle" or "iterations", got epochs$/],
    [() => new optim.CyclicLR(opt(), { baseLr: 0.1 } as never), /^Error: CyclicLR: baseLr and maxLr \(the bounds of the cycle\) are required/],
    [() => new optim.CosineAnnealingWarmRestarts(opt(), { t0: 0 }), /^Error: CosineAnnealingWarmRestarts: t0 \(epochs until the first restart\) must be a positive integer, got 0$/],
    [() => new optim.CosineAnnealingWarmRestarts(opt(), { t0: 2, tMult: 1.5 }), /^Error: CosineAnnealingWarmRestarts: tMult must be an integer >= 1 \(1 keeps every period t0 long\), got 1\.5$/],
    [() => new optim.CosineAnnealingWarmRestarts(opt(), { t0: 2 }).step(Infinity), /^Error: CosineAnnealingWarmRestarts\.step: epoch must be a finite number >= 0, got Infinity$/],
    [() => new optim.CosineAnnealingWarmRestarts(opt(), { t0: 2 }).step("1" as never), /^Error: CosineAnnealingWarmRestarts\.step: epoch must be a finite number >= 0, got 1$/],
  ];
  for (const [make, re] of cases) assert.throws(make, re);
  // The boundaries that are allowed.
  for (const ok of [
    () => new optim.LinearLR(opt(), { startFactor: 1, endFactor: 0, totalIters: 1 }),
    () => new optim.ConstantLR(opt(), { factor: 0, totalIters: 0 }),
    () => new optim.ConstantLR(opt(), { factor: 1 }),
    () => new optim.PolynomialLR(opt(), { totalIters: 1, power: 0 }),
    () => new optim.StepLR(opt(), { stepSize: 1 }),
    () => new optim.OneCycleLR(opt(), { maxLr: 1, totalSteps: 1, pctStart: 0 }),
    () => new optim.OneCycleLR(opt(), { maxLr: 1, epochs: 1, stepsPerEpoch: 1, pctStart: 1, annealStrategy: "linear" }),
    () => new optim.CosineAnnealingWarmRestarts(opt(), { t0: 1, tMult: 1 }).step(0),
    () => new optim.ReduceLROnPlateau(opt(), { factor: 0, thresholdMode: "abs", mode: "max" }),
    () => new optim.MultiStepLR(opt(), { milestones: [] }),
  ]) assert.doesNotThrow(ok);
});

test("resuming with lastEpoch: OneCycleLR, CyclicLR and CosineAnnealingWarmRestarts continue the same sequence", () => {
  const run = (make: (o: AnyOptim, lastEpoch?: number) => optim.LRScheduler, momentum: boolean | number[]): void => {
    const o = opt(0.1);
    const s = make(o);
    for (let i = 0; i < 7; i++) s.step();
    const lrs: number[] = [];
    const moms: unknown[] = [];
    const o2 = opt(0.1);
    // The resumed run starts from the first run's optimizer state (its groups hold initialLr, maxLr, ... and the current lr).
    o2.loadStateDict(o.stateDict());
    // As PyTorch: the constructor's own step takes the resumed scheduler to epoch 8, where the first one's next step goes.
    const r = make(o2, 7);
    for (let i = 0; i < 5; i++) {
      s.step();
      if (i > 0) r.step();
      lrs.push(s.getLastLr()[0], r.getLastLr()[0]);
      moms.push(o.paramGroups[0].momentum, o2.paramGroups[0].momentum);
    }
    for (let i = 0; i < lrs.length; i += 2) {
      assert.ok(Math.abs(lrs[i] - lrs[i + 1]) < 1e-15, `${s.constructor.name} step ${i / 2}: ${lrs[i]} vs ${lrs[i + 1]}`);
      if (momentum === true) assert.equal(moms[i], moms[i + 1]);
      if (Array.isArray(momentum)) assert.ok(Math.abs((moms[i + 1] as number) - momentum[i / 2]) < 1e-15, `resumed momentum ${moms[i + 1]}`);
    }
  };
  // Resuming keeps the groups' saved initialLr, maxLr, minLr and momentum bounds (as PyTorch): other values passed then are unused.
  const resumed = (lastEpoch?: number) => (lastEpoch === undefined ? {} : { maxLr: 5, divFactor: 2, maxMomentum: 0.99, baseMomentum: 0.5 });
  run((o, lastEpoch) => new optim.OneCycleLR(o, { maxLr: 1, totalSteps: 20, lastEpoch, ...resumed(lastEpoch) }), true);
  run((o, lastEpoch) => new optim.OneCycleLR(o, { maxLr: 1, totalSteps: 20, lastEpoch, cycleMomentum: false }), false);
  // CyclicLR takes its base momentum from the groups' current momentum, also when resuming, so the
  // resumed momentum differs; PyTorch 1.13 does the same and gives these values (SGD lr 0.1 momentum
  // 0.9, CyclicLR(base_lr=0.01, max_lr=0.1, step_size_up=3), 7 steps, state dict loaded, last_epoch=7).
  run((o, lastEpoch) => new optim.CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 3, lastEpoch }), [0.8777777777777778, 0.8666666666666666, 0.8777777777777778, 0.8888888888888888, 0.9]);
  run((o, lastEpoch) => new optim.CosineAnnealingWarmRestarts(o, { t0: 3, tMult: 2, lastEpoch }), false);
});

test("every scheduler refuses options that are not an object, and names the required ones when they are left out", () => {
  // Enumerated at run time, so a scheduler added later is checked too. Before: `null` was a
  // TypeError from inside the constructor, a number or a string was silently taken as no options.
  const required = new Map([
    ["StepLR", "{ stepSize: 30 }"], ["MultiStepLR", "{ milestones: [30, 80] }"], ["ExponentialLR", "{ gamma: 0.9 }"],
    ["LambdaLR", "{ lrLambda: (epoch) => 0.95 ** epoch }"], ["MultiplicativeLR", "{ lrLambda: () => 0.95 }"],
    ["CosineAnnealingLR", "{ tMax: 100 }"], ["CosineAnnealingWarmRestarts", "{ t0: 10 }"],
  ]);
  const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  let seen = 0;
  for (const [name, C] of Object.entries(optim.lrScheduler as unknown as Record<string, new (o: unknown, opts?: unknown) => unknown>)) {
    if (typeof C !== "function" || name === "LRScheduler" || name === "ChainedScheduler") continue;
    seen++;
    const like = required.get(name);
    for (const [bad, got] of [[null, "null"], [3, "3"], ["x", '"x"'], [zeros([1]), "a Tensor"]] as const) {
      assert.throws(() => new C(opt(), bad), (e: unknown) => {
        assert.ok(e instanceof Error && !(e instanceof TypeError), `${name}(${got}): ${String(e)}`);
        assert.match(e.message, new RegExp(`^${name}: options must be an object like ${like ? esc(like) : "\\{ \\w+: \\.\\.\\. \\}"}, got `), name);
        return true;
      });
    }
    if (like) assert.throws(() => new C(opt()), new RegExp(`^Error: ${name}: options are required, e\\.g\\. new ${name}\\(optimizer, ${esc(like)}\\)$`));
    else {
      // Optional options (ConstantLR, ReduceLROnPlateau, ...) build; the others name what is missing.
      try {
        new C(opt());
      } catch (e) {
        assert.ok(e instanceof Error && !(e instanceof TypeError) && e.message.startsWith(`${name}: `), `${name}(): ${String(e)}`);
      }
    }
  }
  assert.equal(seen, 14);
});

test("ReduceLROnPlateau: cooldown, inCooldown and an explicit epoch follow PyTorch 1.13", () => {
  const o = opt(1);
  const s = new optim.ReduceLROnPlateau(o, { patience: 0, factor: 0.5, cooldown: 2 });
  const seen: unknown[] = [];
  for (const m of [1, 2, 3, 4, 5, 0.5, 6]) {
    s.step(m);
    seen.push([s.getLastLr()[0], s.inCooldown, s.cooldownCounter, s.lastEpoch]);
  }
  // torch.optim.lr_scheduler.ReduceLROnPlateau(SGD lr 1, patience=0, factor=0.5, cooldown=2), same metrics:
  // lr, in_cooldown, cooldown_counter, last_epoch after each step.
  assert.deepEqual(seen, [
    [1, false, 0, 1], [0.5, true, 2, 2], [0.5, true, 1, 3], [0.5, false, 0, 4],
    [0.25, true, 2, 5], [0.25, true, 1, 6], [0.25, false, 0, 7],
  ]);
  s.step(7, 20);
  assert.deepEqual([s.lastEpoch, s.getLastLr()], [20, [0.125]]);
});

test("ReduceLROnPlateau restored from plain JSON (best and mode_worse saved as null) starts comparing afresh", () => {
  // Before: mode_worse came back as null too, so the first metric after loading was compared with
  // null (5 < 0 is false) and counted as a bad epoch: with patience 0 the lr halved at once.
  for (const mode of ["min", "max"] as const) {
    const fresh = (): optim.ReduceLROnPlateau => new optim.ReduceLROnPlateau(opt(1), { mode, patience: 0, factor: 0.5 });
    const saved = JSON.parse(JSON.stringify(fresh().stateDict())) as Record<string, unknown>;
    assert.deepEqual([saved.best, saved.mode_worse], [null, null]);
    const s = fresh();
    s.loadStateDict(saved);
    assert.equal(s.modeWorse, mode === "min" ? Infinity : -Infinity);
    const metric = 5;
    s.step(metric);
    assert.deepEqual([s.best, s.numBadEpochs, s.getLastLr()], [metric, 0, [1]], mode);
    s.step(metric);
    assert.deepEqual(s.getLastLr(), [0.5], `${mode}: no improvement then reduces`);
  }
});

test("SequentialLR.loadStateDict restores the milestones and the last lrs (as PyTorch 1.13's state dict does)", () => {
  const make = (milestone: number): optim.SequentialLR => {
    const o = opt(1);
    return new optim.SequentialLR(o, { schedulers: [new optim.ConstantLR(o, { factor: 0.5, totalIters: 10 }), new optim.ExponentialLR(o, { gamma: 0.5 })], milestones: [milestone] });
  };
  const a = make(2);
  a.step();
  const saved = JSON.parse(JSON.stringify(a.stateDict())) as Record<string, unknown>;
  const b = make(4);
  b.loadStateDict({ ...saved, _last_lr: [0.375] });
  assert.deepEqual([b.milestones, b.lastEpoch, b.getLastLr()], [[2], 1, [0.375]]);
  const lrs: number[] = [];
  for (let i = 0; i < 4; i++) {
    b.step();
    lrs.push(b.getLastLr()[0]);
  }
  // PyTorch: the same schedulers, milestones=[4], load_state_dict of the milestones=[2] run, 4 steps.
  assert.deepEqual(lrs, [1, 0.5, 0.25, 0.125]);
});

test("CosineAnnealingLR resumed at lastEpoch 4 starts from the closed form, then recurses (PyTorch 1.13's values)", () => {
  const o = opt(1);
  o.paramGroups[0].initialLr = 1;
  o.paramGroups[0].lr = 0.3;
  const s = new optim.CosineAnnealingLR(o, { tMax: 10, etaMin: 0.1, lastEpoch: 4 });
  const lrs = [o.paramGroups[0].lr];
  for (let i = 0; i < 3; i++) {
    s.step();
    lrs.push(o.paramGroups[0].lr);
  }
  // torch: initial_lr 1, lr 0.3, CosineAnnealingLR(T_max=10, eta_min=0.1, last_epoch=4), 3 steps.
  assert.deepEqual(lrs, [0.55, 0.41094235253127376, 0.2854966364683872, 0.18594235253127372]);
  assert.deepEqual([s.lastEpoch, s.stepCount], [8, 4]);
});

test("composite schedulers: SequentialLR's step counts and lastEpoch, ChainedScheduler's saved lrs, ReduceLROnPlateau's eps edge (PyTorch 1.13)", () => {
  const parts = (o: AnyOptim): optim.LRScheduler[] => [new optim.ConstantLR(o, { factor: 0.5, totalIters: 10 }), new optim.ExponentialLR(o, { gamma: 0.5 })];
  const o1 = opt(1);
  const seq = new optim.SequentialLR(o1, { schedulers: parts(o1), milestones: [2] });
  // torch: [s._step_count for s in seq._schedulers] == [1, 1], last_epoch [0, -1].
  assert.deepEqual([seq.schedulers.map((s) => s.stepCount), seq.schedulers.map((s) => s.lastEpoch)], [[1, 1], [0, -1]]);
  // Resumed at last_epoch=4 with milestones=[6]: last_epoch 5, then the second scheduler starts at epoch 6.
  const o2 = opt(1);
  const resumed = new optim.SequentialLR(o2, { schedulers: parts(o2), milestones: [6], lastEpoch: 4 });
  const lrs = [resumed.lastEpoch, o2.paramGroups[0].lr];
  for (let i = 0; i < 3; i++) {
    resumed.step();
    lrs.push(o2.paramGroups[0].lr);
  }
  assert.deepEqual([lrs, resumed.lastEpoch], [[5, 0.5, 1, 0.5, 0.25], 8]);
  const o3 = opt(1);
  const chained = new optim.ChainedScheduler([new optim.ConstantLR(o3, { factor: 0.5, totalIters: 2 }), new optim.ExponentialLR(o3, { gamma: 0.9 })]);
  chained.step();
  assert.deepEqual(chained.stateDict()._last_lr, [0.45]);
  // A reduction of exactly eps is skipped (PyTorch: `if old_lr - new_lr > eps`).
  const o4 = opt(1);
  const plateau = new optim.ReduceLROnPlateau(o4, { patience: 0, factor: 0.5, eps: 0.5 });
  plateau.step(1);
  plateau.step(2);
  assert.equal(o4.paramGroups[0].lr, 1);
});

test("MultiStepLR keeps its milestones sorted numerically, repeats kept", () => {
  assert.deepEqual(new optim.MultiStepLR(opt(), { milestones: [20, 5, 100, 12, 5] }).milestones, [5, 5, 12, 20, 100]);
});

test("each scheduler names itself in the base class's errors (its kind, not only its own checks)", () => {
  // Survivors of `npm run mutate -- src/optim/lr-scheduler-step.ts` (2026-12-06): the kind passed to
  // the base class could be "" and no test noticed.
  const made: [string, { loadStateDict(s: unknown): void }][] = [
    ["StepLR", new optim.StepLR(opt(), { stepSize: 3 })],
    ["MultiStepLR", new optim.MultiStepLR(opt(), { milestones: [2] })],
    ["ExponentialLR", new optim.ExponentialLR(opt(), { gamma: 0.9 })],
    ["LinearLR", new optim.LinearLR(opt())],
    ["LambdaLR", new optim.LambdaLR(opt(), { lrLambda: () => 1 })],
    ["MultiplicativeLR", new optim.MultiplicativeLR(opt(), { lrLambda: () => 0.9 })],
    ["ConstantLR", new optim.ConstantLR(opt())],
    ["PolynomialLR", new optim.PolynomialLR(opt())],
  ];
  for (const [name, s] of made) {
    assert.throws(() => s.loadStateDict(null), new RegExp(`^Error: ${name}\\.loadStateDict: expected an object as returned by stateDict\\(\\), got null$`), name);
  }
});

test("ReduceLROnPlateau's thresholds as PyTorch: rel and abs, min and max, a metric exactly at the bar is no improvement", () => {
  // PyTorch 1.13's lrs: scripts/fixtures/plateau_thresholds.py (patience 0, factor 0.5, threshold
  // 0.5: from best 10 the bar is 5 for rel/min, 9.5 for abs/min, 15 for rel/max, 10.5 for abs/max).
  // Survivors of `npm run mutate -- src/optim/lr-scheduler-composite.ts` (2026-12-06).
  const metrics = { min: [10, 9.5, 5, 4.9, 2.4, 2.4], max: [10, 10.5, 15, 15.1, 30.3, 30.3] };
  const want: Record<string, number[]> = {
    "min-rel": [1.0, 0.5, 0.25, 0.25, 0.25, 0.125],
    "min-abs": [1.0, 0.5, 0.5, 0.25, 0.25, 0.125],
    "max-rel": [1.0, 0.5, 0.25, 0.25, 0.25, 0.125],
    "max-abs": [1.0, 0.5, 0.5, 0.25, 0.25, 0.125],
  };
  for (const mode of ["min", "max"] as const) {
    for (const thresholdMode of ["rel", "abs"] as const) {
      const o = opt(1);
      const s = new optim.ReduceLROnPlateau(o, { mode, factor: 0.5, patience: 0, threshold: 0.5, thresholdMode });
      const lrs = metrics[mode].map((m) => (s.step(m), o.paramGroups[0].lr));
      assert.deepEqual(lrs, want[`${mode}-${thresholdMode}`], `${mode}-${thresholdMode}`);
    }
  }
});

test("composite schedulers' state dicts: saved milestones, missing keys kept, every error names its scheduler", () => {
  // Survivors of `npm run mutate -- src/optim/lr-scheduler-composite.ts` (2026-12-06).
  const o = opt(1);
  const seq = new optim.SequentialLR(o, { schedulers: [new optim.ConstantLR(o, { factor: 0.5, totalIters: 1 }), new optim.ExponentialLR(o, { gamma: 0.9 })], milestones: [2] });
  seq.step();
  const sd = seq.stateDict();
  assert.deepEqual(sd._milestones, [2], "PyTorch's state dict keeps the milestones");
  assert.deepEqual(sd._last_lr, [1], "and the last lrs (ConstantLR's factor 0.5 has ended after one epoch)");
  // A state without _milestones or _last_lr keeps this scheduler's own.
  const lastLr = seq.getLastLr();
  seq.loadStateDict({ _schedulers: sd._schedulers, last_epoch: sd.last_epoch });
  assert.deepEqual([seq.milestones, seq.getLastLr()], [[2], lastLr]);
  assert.throws(() => seq.loadStateDict(3 as never), /^Error: SequentialLR\.loadStateDict: expected an object as returned by stateDict\(\), got 3$/);
  const chained = new optim.ChainedScheduler([new optim.ExponentialLR(o, { gamma: 0.9 })]);
  assert.throws(() => chained.loadStateDict(null as never), /^Error: ChainedScheduler\.loadStateDict: expected an object as returned by stateDict\(\), got null$/);
  const plateau = new optim.ReduceLROnPlateau(o);
  assert.throws(() => plateau.loadStateDict(null as never), /^Error: ReduceLROnPlateau\.loadStateDict: expected an object as returned by stateDict\(\), got null$/);
  assert.throws(() => new optim.ReduceLROnPlateau(o, { minLr: [0, 0] }), /^Error: ReduceLROnPlateau: expected 1 values for minLr \(one per param group\), got 2$/);
});

test("cyclic schedulers name themselves and the per-group option in their errors", () => {
  // Survivors of `npm run mutate -- src/optim/lr-scheduler-cyclic.ts` (2026-12-06): each of these
  // strings could be "" and no test noticed.
  assert.throws(() => new optim.CosineAnnealingLR(opt(), { tMax: 10 }).loadStateDict(null as never), /^Error: CosineAnnealingLR\.loadStateDict: expected an object/);
  assert.throws(() => new optim.OneCycleLR(opt(), { maxLr: 1, totalSteps: 10 }).loadStateDict(null as never), /^Error: OneCycleLR\.loadStateDict: expected an object/);
  const perGroup: [() => unknown, string, string][] = [
    [() => new optim.OneCycleLR(opt(), { maxLr: 1, totalSteps: 10, maxMomentum: [0.9, 0.9] }), "OneCycleLR", "maxMomentum"],
    [() => new optim.OneCycleLR(opt(), { maxLr: 1, totalSteps: 10, baseMomentum: [0.8, 0.8] }), "OneCycleLR", "baseMomentum"],
    [() => new optim.CyclicLR(opt(), { baseLr: [0.1, 0.1], maxLr: 1 }), "CyclicLR", "baseLr"],
    [() => new optim.CyclicLR(opt(), { baseLr: 0.1, maxLr: 1, baseMomentum: [0.8, 0.8] }), "CyclicLR", "baseMomentum"],
    [() => new optim.CyclicLR(opt(), { baseLr: 0.1, maxLr: 1, maxMomentum: [0.9, 0.9] }), "CyclicLR", "maxMomentum"],
  ];
  for (const [make, kind, name] of perGroup) {
    assert.throws(make, new RegExp(`^Error: ${kind}: expected 1 values for ${name} \\(one per param group\\), got 2$`), `${kind} ${name}`);
  }
});

test("CosineAnnealingLR follows PyTorch over several cycles (its recursive form's special epochs recur)", () => {
  // PyTorch 1.13's lrs: scripts/fixtures/cosine_restarts.py. Survivor of `npm run mutate --
  // src/optim/lr-scheduler-cyclic.ts` (2026-12-06): the period 2·tMax written as 2/tMax.
  const want = [0.05500000000000001, 0.01, 0.055, 0.1, 0.055000000000000014, 0.01, 0.055, 0.10000000000000003, 0.05500000000000004];
  const o = opt(0.1);
  const s = new optim.CosineAnnealingLR(o, { tMax: 2, etaMin: 0.01 });
  const got = want.map(() => (s.step(), o.paramGroups[0].lr));
  got.forEach((lr, i) => assert.ok(Math.abs(lr - want[i]) <= 1e-15, `step ${i + 1}: ${lr} vs ${want[i]}`));
});
