// The Optimizer base class (src/optim/optimizer.ts) beyond the PyTorch trajectories: the argument
// errors of the constructor, addParamGroup and loadStateDict that no test reached, zeroGrad in
// place, step's closure, state dicts as independent copies, and the JSON encoding of tensors.
// Written for the mutants a hand review of the file found untested (docs/testing.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import { noGrad, optim, tensor, zeros, Tensor, isGradEnabled } from "../src/index.js";
import { toCamel, toSnake, bufferLike, fusable } from "../src/optim/optimizer.js";

const p = (n = 2): Tensor => zeros([n], { requiresGrad: true });

test("constructor and addParamGroup: every malformed argument is an error naming the optimizer and the fix", () => {
  class Plain extends optim.Optimizer {
    constructor(params: optim.Params, kind: unknown = "Plain", defaults: unknown = { lr: 0.1 }) {
      super(kind as string, params, defaults as optim.BaseOptions);
    }
    protected checkGroup(): void {}
    protected updateGroup(): void {}
  }
  assert.throws(() => new Plain([p()], 5), /^Error: Optimizer: the subclass name \(first argument of super\) must be a string like "MyOptimizer", got number 5$/);
  class Defaults extends optim.Optimizer {
    constructor(d: unknown) {
      super("Defaults", [p()], d as optim.BaseOptions);
    }
    protected checkGroup(): void {}
    protected updateGroup(): void {}
  }
  assert.throws(() => new Defaults(null), /^Error: Optimizer "Defaults": options must be an object like \{ lr: 0\.01 \}, got null$/);
  assert.throws(() => new Defaults(undefined), /^Error: Optimizer "Defaults": defaults \(third argument of super\) must be an object of default hyperparameters like \{ lr: 0\.01 \}, got undefined$/);
  assert.throws(() => new Defaults({}), /^Error: Defaults: param group 0 has no lr and there is no default/);
  assert.throws(() => new Plain(null as never), /^Error: Plain: params must be an iterable of tensors \(e\.g\. model\.parameters\(\)\) or of param groups \{params, lr, \.\.\.\}, got null$/);
  assert.throws(() => new Plain(7 as never), /^Error: Plain: params must be an iterable of tensors .*, got 7$/);
  const opt = new Plain([p()]);
  assert.throws(() => opt.addParamGroup(null as never), /^Error: Plain\.addParamGroup: a param group is an object \{params: \[\.\.\.tensors\], \.\.\.options\}, got null$/);
  assert.throws(() => opt.addParamGroup(3 as never), /^Error: Plain\.addParamGroup: a param group is an object .*, got 3$/);
  assert.throws(() => opt.addParamGroup({ lr: 1 } as never), /^Error: Plain\.addParamGroup: a param group is an object/);
  assert.throws(() => opt.addParamGroup({ params: null as never }), /^Error: Plain: a param group's params must be an iterable of tensors, got null$/);
  assert.throws(() => opt.addParamGroup({ params: 4 as never }), /^Error: Plain: a param group's params must be an iterable of tensors, got 4$/);
  assert.throws(() => opt.addParamGroup({ params: [p(), 2 as never] }), /^Error: Plain: param group 1, entry 1 is not a Tensor \(number\); optimizers take tensors$/);
  assert.throws(() => opt.addParamGroup({ params: [p(), tensor([1, 2], { dtype: "int32" })] }), /^Error: Plain: param group 1, entry 1 is int32; only floating tensors can be optimized$/);
  const w = p();
  assert.throws(() => opt.addParamGroup({ params: [w, p(), w] }), /^Error: Plain: param group 1 lists the same tensor more than once$/);
  // A JavaScript subclass without a key list takes unknown keys but still refuses snake_case spellings of known ones.
  const loose = new Plain([p()], "Plain", { lr: 0.1, weightDecay: 0 });
  loose.addParamGroup({ params: [p()], extra: 1 } as never);
  assert.equal(loose.paramGroups[1].extra, 1);
  assert.throws(() => loose.addParamGroup({ params: [p()], weight_decay: 1 } as never), /^Error: Plain: unknown option 'weight_decay'; deeptype spells it 'weightDecay'$/);
  // An undefined option falls back to the default.
  loose.addParamGroup({ params: [p()], lr: undefined });
  assert.equal(loose.paramGroups[2].lr, 0.1);
  // Groups are numbered from 0: the third group's errors say 2.
  assert.throws(() => loose.addParamGroup({ params: [p(), "x" as never] }), /param group 3, entry 1 is not a Tensor \(string\)/);
});

test("zeroGrad(false) zeros the same gradient tensors in place; zeroGrad() drops them; step returns the closure's loss", () => {
  const a = p();
  const b = p();
  const opt = new optim.SGD([a, b], { lr: 0.5 });
  const g = tensor([1, 2]);
  a.grad = g;
  const v0 = g.version;
  opt.zeroGrad(false);
  assert.equal(a.grad, g);
  assert.deepEqual(Array.from(g.data()), [0, 0]);
  assert.equal(g.version, v0 + 1, "zeroing is an in-place write");
  // A .grad that is a view writes only its own elements: contiguous at an offset, and strided.
  const big = tensor([1, 2, 3, 4]);
  a.grad = big.narrow(0, 1, 2);
  opt.zeroGrad(false);
  assert.deepEqual(Array.from(big.data()), [1, 0, 0, 4]);
  const grid = tensor([1, 2, 3, 4]);
  a.grad = grid.reshape([2, 2]).select(1, 0);
  opt.zeroGrad(false);
  assert.deepEqual(Array.from(grid.data()), [0, 2, 0, 4]);
  a.grad = g;
  assert.equal(b.grad, null, "a parameter without a gradient keeps none");
  opt.zeroGrad();
  assert.equal(a.grad, null);
  // The closure runs with recording on (even inside noGrad) and its value is returned; the update follows.
  let recording = false;
  const loss = noGrad(() =>
    opt.step(() => {
      recording = isGradEnabled();
      const l = a.sub(tensor([1, 1])).square().sum();
      l.backward();
      return l;
    }),
  );
  assert.equal(recording, true);
  assert.equal(loss.item(), 2);
  assert.deepEqual(Array.from(a.data()), [1, 1], "a - 0.5 * 2(a - 1)");
  assert.equal(opt.step(), undefined);
});

test("stateDict is a copy: changing it (or the optimizer later) leaves the other alone", () => {
  const w = p();
  const opt = new optim.Adam([w], { lr: 0.1, betas: [0.8, 0.9] });
  w.grad = tensor([1, -1]);
  opt.step();
  const sd = opt.stateDict();
  const expAvg = sd.state[0].exp_avg as Tensor;
  const before = Array.from(expAvg.data());
  (sd.param_groups[0].betas as number[])[0] = 0.1;
  noGrad(() => expAvg.fill_(7));
  assert.deepEqual(opt.paramGroups[0].betas, [0.8, 0.9]);
  assert.deepEqual(Array.from((opt.state.get(w)!.expAvg as Tensor).data()), before);
  // loadStateDict copies too: the loaded optimizer does not share the dict's tensors or arrays.
  const sd2 = opt.stateDict();
  const other = new optim.Adam([p()], { lr: 0.1 });
  other.loadStateDict(sd2);
  (sd2.param_groups[0].betas as number[])[1] = 0.5;
  noGrad(() => (sd2.state[0].exp_avg as Tensor).fill_(3));
  const q = other.paramGroups[0].params[0];
  assert.deepEqual(other.paramGroups[0].betas, [0.8, 0.9]);
  assert.deepEqual(Array.from((other.state.get(q)!.expAvg as Tensor).data()), before);
  assert.equal(other.state.get(q)!.step, 1);
});

test("loadStateDict: malformed dicts, unknown parameter ids, scalar and buffer shapes", () => {
  const w = p();
  const opt = new optim.Adam([w], { lr: 0.1 });
  w.grad = tensor([1, 1]);
  opt.step();
  const sd = opt.stateDict();
  const fresh = (): optim.Adam => new optim.Adam([p()], { lr: 0.1 });
  assert.throws(() => fresh().loadStateDict(null as never), /^Error: Adam\.loadStateDict: expected \{state: \{\.\.\.\}, param_groups: \[\.\.\.\]\} as returned by stateDict\(\)$/);
  assert.throws(() => fresh().loadStateDict({ state: null, param_groups: [] } as never), /Adam\.loadStateDict: expected \{state/);
  assert.throws(() => fresh().loadStateDict({ state: 3, param_groups: [] } as never), /Adam\.loadStateDict: expected \{state/);
  assert.throws(() => fresh().loadStateDict({ state: {}, param_groups: {} } as never), /Adam\.loadStateDict: expected \{state/);
  assert.throws(
    () => fresh().loadStateDict({ state: {}, param_groups: [{ lr: 1 }] } as never),
    /^Error: Adam\.loadStateDict: param group 0 has 1 parameter\(s\) but the saved group 0 has no params list; build the optimizer/,
  );
  assert.throws(
    () => fresh().loadStateDict({ state: { 5: sd.state[0] }, param_groups: sd.param_groups }),
    /^Error: Adam\.loadStateDict: the saved state has an entry for parameter 5, which no saved param group lists$/,
  );
  assert.throws(
    () => fresh().loadStateDict({ state: { 0: { ...sd.state[0], step: tensor([1, 2]) } }, param_groups: sd.param_groups }),
    /^Error: Adam\.loadStateDict: saved state 'step' of parameter 0 should hold one number but has shape \[2\]$/,
  );
  // step saved as a 0-d tensor (PyTorch's layout) loads as a number.
  const f = fresh();
  f.loadStateDict({ state: { 0: { ...sd.state[0], step: tensor(4) } }, param_groups: sd.param_groups });
  assert.equal(f.state.get(f.paramGroups[0].params[0])!.step, 4);
  // A buffer with the right count but another shape is refused; a 0-d buffer for a 1-element parameter is fine.
  const m = new optim.SGD([zeros([2, 3], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
  const msd = { state: { 0: { momentum_buffer: zeros([3, 2]) } }, param_groups: m.stateDict().param_groups };
  assert.throws(() => m.loadStateDict(msd), /^Error: SGD\.loadStateDict: saved state 'momentum_buffer' of parameter 0 has shape \[3,2\] but the parameter has shape \[2,3\]; the parameters differ/);
  const one = new optim.SGD([zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
  one.loadStateDict({ state: { 0: { momentum_buffer: tensor(2.5) } }, param_groups: one.stateDict().param_groups });
  const buf = one.state.get(one.paramGroups[0].params[0])!.momentumBuffer as Tensor;
  assert.deepEqual([buf.shape, Array.from(buf.data())], [[1], [2.5]]);
  // Saved ids need not start at 0 (PyTorch numbers across all groups): they map by position.
  const two = new optim.SGD([{ params: [p()] }, { params: [p()], lr: 0.2 }], { lr: 0.1, momentum: 0.9 });
  two.loadStateDict({
    state: { 8: { momentum_buffer: tensor([8, 8]) }, 3: { momentum_buffer: tensor([3, 3]) } },
    param_groups: [{ lr: 0.1, momentum: 0.9, params: [3] }, { lr: 0.3, momentum: 0.9, params: [8] }],
  });
  const [g0, g1] = two.paramGroups;
  assert.deepEqual(Array.from((two.state.get(g0.params[0])!.momentumBuffer as Tensor).data()), [3, 3]);
  assert.deepEqual(Array.from((two.state.get(g1.params[0])!.momentumBuffer as Tensor).data()), [8, 8]);
  assert.equal(g1.lr, 0.3);
});

test("serialized state: non-finite numbers as strings, tensors as {dtype, shape, data}, and the decoder's checks", () => {
  const enc = optim.serializeOptimizerState({ a: [Infinity, -Infinity, NaN, 1, "Infinity2", null, true], t: tensor([[1, -Infinity]], { dtype: "float64" }) });
  assert.deepEqual(enc, { a: ["Infinity", "-Infinity", "NaN", 1, "Infinity2", null, true], t: { dtype: "float64", shape: [1, 2], data: [1, "-Infinity"] } });
  const dec = optim.deserializeOptimizerState<{ a: unknown[]; t: Tensor }>(JSON.parse(JSON.stringify(enc)));
  assert.deepEqual(dec.a, [Infinity, -Infinity, NaN, 1, "Infinity2", null, true]);
  assert.deepEqual([dec.t.dtype, dec.t.shape, Array.from(dec.t.data())], ["float64", [1, 2], [1, -Infinity]]);
  // Only an object with exactly dtype, shape and data is a tensor.
  const notTensor = { dtype: "float32", shape: [1], data: [1], note: "x" };
  assert.deepEqual(optim.deserializeOptimizerState(notTensor), notTensor);
  const i32 = optim.deserializeOptimizerState<Tensor>({ dtype: "int32", shape: [3], data: [1, 2, 3] });
  assert.deepEqual([i32.dtype, Array.from(i32.data())], ["int32", [1, 2, 3]]);
  assert.throws(() => optim.deserializeOptimizerState({ dtype: "float32", shape: [2, 2], data: [1, 2, 3] }), /^Error: deserializeOptimizerState: a tensor of shape \[2,2\] needs 4 values but has 3$/);
  assert.throws(() => optim.deserializeOptimizerState({ dtype: "toString", shape: [1], data: [1] }), /^Error: deserializeOptimizerState: unknown dtype 'toString'$/);
});

test("helpers: snake and camel names, buffers filled with a value, when the fused kernels apply", () => {
  assert.deepEqual(["weightDecay", "HDiag", "lr", "maxExpAvgSq"].map(toSnake), ["weight_decay", "H_diag", "lr", "max_exp_avg_sq"]);
  assert.deepEqual(["weight_decay", "max_exp_avg_sq", "lr", "t_1"].map(toCamel), ["weightDecay", "maxExpAvgSq", "lr", "t1"]);
  const w = zeros([2, 2], { dtype: "float64" });
  const b = bufferLike(w, 0.25);
  assert.deepEqual([b.dtype, b.shape, Array.from(b.data())], ["float64", [2, 2], [0.25, 0.25, 0.25, 0.25]]);
  assert.deepEqual(Array.from(bufferLike(w).data()), [0, 0, 0, 0]);
  const f32 = zeros([2, 2]);
  assert.equal(fusable(f32, zeros([2, 2])), true);
  assert.equal(fusable(w, zeros([2, 2], { dtype: "float64" })), true);
  assert.equal(fusable(f32, zeros([2, 2], { dtype: "float64" })), false, "dtypes differ");
  assert.equal(fusable(f32, zeros([4])), false, "shapes differ");
  assert.equal(fusable(f32, zeros([2, 2]).t()), false, "the gradient is strided");
  assert.equal(fusable(zeros([2, 2]).t(), zeros([2, 2])), false, "the parameter is strided");
  assert.equal(fusable(zeros([2], { dtype: "float16" }), zeros([2], { dtype: "float16" })), false, "16-bit floats go through tensor ops");
});

test("RMSprop: momentum or centering switched on after the first step starts from zero buffers", () => {
  const run = (change: "momentum" | "centered"): number[] => {
    const w = tensor([1], { dtype: "float64", requiresGrad: true });
    const opt = new optim.RMSprop([w], { lr: 0.1, alpha: 0.5, eps: 0 });
    const out: number[] = [];
    for (let i = 0; i < 3; i++) {
      if (i === 1) {
        if (change === "momentum") opt.paramGroups[0].momentum = 0.5;
        else opt.paramGroups[0].centered = true;
      }
      w.grad = tensor([2], { dtype: "float64" });
      opt.step();
      out.push(w.item());
    }
    return out;
  };
  const close = (got: number[], want: number[]): void => got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-14, `${i}: ${v} vs ${want[i]}`));
  // Squared averages: 2, 3, 3.5 (alpha 0.5, gradient 2).
  const p1 = 1 - 0.1 * 2 / Math.SQRT2;
  const p2 = p1 - 0.1 * 2 / Math.sqrt(3);
  close(run("momentum"), [p1, p2, p2 - 0.1 * (0.5 * (2 / Math.sqrt(3)) + 2 / Math.sqrt(3.5))]);
  // Centered from step 2: gradient averages 1, then 1.5.
  const c2 = p1 - 0.1 * 2 / Math.sqrt(3 - 1);
  close(run("centered"), [p1, c2, c2 - 0.1 * 2 / Math.sqrt(3.5 - 1.5 ** 2)]);
});

test("every optimizer checks each added group's options and skips parameters without a gradient", () => {
  const bad: [string, (ps: Tensor[]) => optim.Optimizer<optim.BaseOptions>, Record<string, unknown>, RegExp][] = [
    ["SGD", (ps) => new optim.SGD(ps, { lr: 0.1 }) as never, { momentum: -1 }, /^Error: SGD: invalid momentum -1/],
    ["Adam", (ps) => new optim.Adam(ps) as never, { eps: -1 }, /^Error: Adam: invalid eps -1/],
    ["AdamW", (ps) => new optim.AdamW(ps) as never, { betas: [1, 0.9] }, /^Error: AdamW: invalid beta1 1/],
    ["RMSprop", (ps) => new optim.RMSprop(ps) as never, { alpha: -1 }, /^Error: RMSprop: invalid alpha -1: it must be >= 0/],
    ["Adagrad", (ps) => new optim.Adagrad(ps) as never, { lrDecay: -1 }, /^Error: Adagrad: invalid lrDecay -1/],
    ["Adadelta", (ps) => new optim.Adadelta(ps) as never, { rho: -0.5 }, /^Error: Adadelta: invalid rho -0\.5: it must lie in \[0, 1\]/],
    ["Adamax", (ps) => new optim.Adamax(ps) as never, { betas: [0.9, -1] }, /^Error: Adamax: invalid beta2 -1/],
    ["NAdam", (ps) => new optim.NAdam(ps) as never, { momentumDecay: -1 }, /^Error: NAdam: invalid momentumDecay -1/],
    ["RAdam", (ps) => new optim.RAdam(ps) as never, { weightDecay: -1 }, /^Error: RAdam: invalid weightDecay -1/],
  ];
  for (const [name, make, opts, re] of bad) {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    const opt = make([a, b]);
    assert.throws(() => opt.addParamGroup({ params: [p()], ...opts } as never), re, name);
    assert.equal(opt.paramGroups.length, 1, `${name}: the refused group was not added`);
    a.grad = tensor([0.5, -0.5]);
    opt.step();
    assert.deepEqual(Array.from(b.data()), [3, 4], `${name}: a parameter without a gradient is not moved`);
    assert.notDeepEqual(Array.from(a.data()), [1, 2], `${name}: the one with a gradient is`);
    assert.equal(opt.state.get(b)?.step ?? 0, 0, `${name}: no steps counted for it`);
  }
  // The boundaries the checks allow.
  assert.doesNotThrow(() => new optim.Adadelta([p()], { rho: 1 }));
  assert.doesNotThrow(() => new optim.Adadelta([p()], { rho: 0 }));
  assert.doesNotThrow(() => new optim.RMSprop([p()], { alpha: 0 }));
  assert.throws(() => new optim.Adadelta([p()], { rho: "0.9" as never }), /^Error: Adadelta: invalid rho 0\.9: it must lie in \[0, 1\]/);
});

test("LBFGS: each option check names the option and its value; a second group is refused after construction too", () => {
  const x = (): Tensor => tensor([1, 2], { requiresGrad: true });
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ maxEval: 0 }, /^Error: LBFGS: invalid maxEval (number |string )?0: it must be an integer >= 1 \(default maxIter·5\/4\)$/],
    [{ maxIter: 1.5 }, /^Error: LBFGS: invalid maxIter (number |string )?1\.5: it must be an integer >= 1 \(default 20\)$/],
    [{ historySize: 0 }, /^Error: LBFGS: invalid historySize (number |string )?0: it must be an integer >= 1 \(default 100\)$/],
    [{ toleranceGrad: -1 }, /^Error: LBFGS: invalid toleranceGrad (number |string )?-1: it must be a number >= 0$/],
    [{ toleranceGrad: "0" }, /^Error: LBFGS: invalid toleranceGrad (number |string )?"0": it must be a number >= 0$/],
    [{ toleranceChange: -1e-9 }, /^Error: LBFGS: invalid toleranceChange (number |string )?-1e-9: it must be a number >= 0$/],
    [{ toleranceChange: null }, /^Error: LBFGS: invalid toleranceChange (number |string )?null: it must be a number >= 0$/],
    [{ lr: "1" }, /^Error: LBFGS: invalid lr (number |string )?"1": the learning rate must be a number >= 0 \(default 1\)$/],
    [{ lineSearchFn: "wolfe" }, /^Error: LBFGS: invalid lineSearchFn (number |string )?"wolfe": only "strong_wolfe" or null are supported \(as in PyTorch\)$/],
  ];
  for (const [o, re] of cases) assert.throws(() => new optim.LBFGS([x()], o as never), re);
  for (const o of [{ maxEval: 1, maxIter: 1, historySize: 1 }, { toleranceGrad: 0, toleranceChange: 0, lr: 0 }, { lineSearchFn: null }, { lineSearchFn: "strong_wolfe" }]) {
    assert.doesNotThrow(() => new optim.LBFGS([x()], o as never));
  }
  const opt = new optim.LBFGS([x()]);
  assert.throws(() => opt.addParamGroup({ params: [x()] }), /^Error: LBFGS: per-parameter options \(param groups\) are not supported, as in PyTorch/);
  assert.equal(new optim.LBFGS([x()], { maxIter: 4, maxEval: 2 }).defaults.maxEval, 2, "an explicit maxEval wins");
});

test("mutation survivors: lr 0 and beta 0 allowed, misspelt group keys refused, loadStateDict replaces all state", () => {
  // The lower bounds are inclusive (PyTorch: `0.0 <= lr`, `0.0 <= betas[i] < 1.0`).
  assert.equal(new optim.SGD([p()], { lr: 0 }).defaults.lr, 0);
  assert.deepEqual(new optim.Adam([p()], { lr: 0, betas: [0, 0] }).defaults.betas, [0, 0]);
  assert.deepEqual(new optim.NAdam([p()], { betas: [0, 0] }).defaults.betas, [0, 0], "checkBetas, shared by Adamax, NAdam and RAdam");
  assert.throws(() => new optim.Adam([p()], { lr: -1e-12 }), /^Error: Adam: invalid lr -1e-12: the learning rate must be a number >= 0$/);
  // A group's own keys are checked against the optimizer's, as the defaults are.
  const sgd = new optim.SGD([p()], { lr: 0.1 });
  assert.throws(
    () => sgd.addParamGroup({ params: [p()], momentun: 0.9 } as never),
    /^Error: SGD: unknown option 'momentun'; did you mean 'momentum'\? \(it takes lr, momentum, dampening, nesterov, weightDecay, maximize\)$/,
  );
  assert.equal(sgd.paramGroups.length, 1);
  // Loading a dict without state for a parameter drops the state it had (PyTorch replaces the whole state).
  const w = p();
  const adam = new optim.Adam([w], { lr: 0.1 });
  w.grad = tensor([1, 1]);
  adam.step();
  assert.equal(adam.state.size, 1);
  adam.loadStateDict(new optim.Adam([p()], { lr: 0.1 }).stateDict());
  assert.equal(adam.state.size, 0);
});

test("the fused update writes through a parameter's storage offset, and reads the gradient's", () => {
  // w is a leaf viewing elements 2..3 of base's storage: the kernels must start at its offset.
  const base = tensor([1, 2, 3, 4]);
  const w = base.narrow(0, 2, 2).detach().requiresGrad_(true);
  assert.equal(w.offset, 2);
  const opt = new optim.SGD([w], { lr: 0.5 });
  w.grad = tensor([2, 4]);
  opt.step();
  assert.deepEqual([Array.from(base.data()), Array.from(w.data())], [[1, 2, 2, 2], [2, 2]]);
  w.grad = tensor([9, 9, 2, 4]).narrow(0, 2, 2);
  opt.step();
  assert.deepEqual([Array.from(base.data()), Array.from(w.data())], [[1, 2, 1, 0], [1, 0]]);
});

test("deserializeOptimizerState: only {dtype: string, shape: array, data: array} is a tensor", () => {
  for (const o of [{ dtype: 5, shape: [1], data: [1] }, { dtype: "float32", shape: 1, data: [1] }, { dtype: "float32", shape: [1], data: "1" }]) {
    assert.deepEqual(optim.deserializeOptimizerState(o), o);
  }
});

test("Adagrad creates its accumulators in the constructor, so they are in stateDict before the first step (as PyTorch)", () => {
  const w = p();
  const sd = new optim.Adagrad([w], { initialAccumulatorValue: 0.5 }).stateDict();
  // torch.optim.Adagrad([w], initial_accumulator_value=0.5).state_dict()["state"][0]: step 0, sum [0.5, 0.5].
  assert.deepEqual(Object.keys(sd.state), ["0"]);
  assert.equal(sd.state[0].step, 0);
  assert.deepEqual(Array.from((sd.state[0].sum as Tensor).data()), [0.5, 0.5]);
});
