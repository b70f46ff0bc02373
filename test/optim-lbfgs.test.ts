// LBFGS against PyTorch 1.13 (test/fixtures/optim.json "lbfgs", made by scripts/fixtures/optim.py): every
// outer step's loss, parameters and evaluation counters, with fixed steps and with the strong-Wolfe line
// search, on a convex regression and on Rosenbrock's function; its state dict both ways; bad calls.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tensor, optim, Tensor } from "../src/index.js";
import { fixtures, problemParams, problemLoss, assertClose, flat, type LbfgsCase } from "./optim-helpers.js";

interface Problem {
  params: Tensor[];
  loss: () => Tensor;
}

function rosenbrock(x: Tensor): Tensor {
  const a = x.narrow(0, 0, 1);
  const b = x.narrow(0, 1, 1);
  return a.neg().add(1).square().add(b.sub(a.square()).square().mul(100)).sum();
}

function makeProblem(c: LbfgsCase, at?: number[][]): Problem {
  if (c.problem === "regression") {
    const { W, b } = problemParams();
    if (at) {
      const W1 = tensor(at[0], { dtype: "float64" }).reshape(W.shape).requiresGrad_();
      const b1 = tensor(at[1], { dtype: "float64", requiresGrad: true });
      return { params: [W1, b1], loss: () => problemLoss(W1, b1) };
    }
    return { params: [W, b], loss: () => problemLoss(W, b) };
  }
  const x = tensor(at ? at[0] : c.start ?? [-1.5, 2.0], { dtype: "float64", requiresGrad: true });
  return { params: [x], loss: () => rosenbrock(x) };
}

function runCase(c: LbfgsCase, steps: number, prob = makeProblem(c), opt = new optim.LBFGS(prob.params, c.options)) {
  let calls = 0;
  const closure = () => {
    opt.zeroGrad();
    const l = prob.loss();
    l.backward();
    calls++;
    return l;
  };
  const out = [];
  for (let s = 0; s < steps; s++) {
    const loss = opt.step(closure);
    const st = opt.state.get(prob.params[0])!;
    out.push({ loss: loss.item(), params: prob.params.map((p) => Array.from(p.data())), funcEvals: st.funcEvals, nIter: st.nIter, closureCalls: calls });
  }
  return { out, opt, prob };
}

/**
 * Relative tolerance on parameters: the two libraries' gradients differ in the last bits (summation
 * order), and dozens of quasi-Newton iterations on Rosenbrock's valley amplify that to ~1e-8; the
 * counters below must still agree exactly, so every trial step was the same.
 */
const RTOL = 1e-7;

for (const c of fixtures.lbfgs) {
  test(`LBFGS follows PyTorch step for step: ${c.name}`, () => {
    const { out } = runCase(c, c.trajectory.length);
    c.trajectory.forEach((want, s) => {
      const got = out[s];
      assertClose([got.loss], [want.loss], RTOL, 1e-8, `${c.name} step ${s + 1} loss`);
      want.params.forEach((p, i) => assertClose(got.params[i], p, RTOL, 1e-12, `${c.name} step ${s + 1} param ${i}`));
      // Same iterations and evaluations: the line search took the same trial steps.
      assert.equal(got.funcEvals, want.funcEvals, `${c.name} step ${s + 1} func_evals`);
      assert.equal(got.nIter, want.nIter, `${c.name} step ${s + 1} n_iter`);
      assert.equal(got.closureCalls, want.closureCalls, `${c.name} step ${s + 1} closure calls`);
    });
    assert.notDeepEqual(out[0].params, c.problem === "regression" ? [flat(fixtures.problem.W0), fixtures.problem.B0] : [c.start ?? [-1.5, 2]]);
  });

  test(`LBFGS stateDict has PyTorch's keys and values after one step, and loading PyTorch's continues its trajectory: ${c.name}`, () => {
    const { opt } = runCase(c, 1);
    const mine = opt.stateDict();
    const theirs = optim.deserializeOptimizerState(JSON.parse(JSON.stringify(c.stateDict)));
    assert.deepEqual(Object.keys(mine.state), Object.keys(theirs.state));
    const m = mine.state[0];
    const t = theirs.state[0];
    assert.deepEqual(Object.keys(m).sort(), Object.keys(t).sort());
    const asNumbers = (v: unknown): number[] =>
      v instanceof Tensor ? Array.from(v.data()) : Array.isArray(v) ? v.flatMap(asNumbers) : v === null ? [NaN] : [Number(v)];
    for (const key of Object.keys(t)) {
      const a = asNumbers(m[key]);
      const b = asNumbers(t[key]);
      assert.equal(a.length, b.length, `${key}: length`);
      // Gradient differences near the optimum cancel most digits: compare against the vector's scale.
      const scale = Math.max(...b.filter((x) => !Number.isNaN(x)).map(Math.abs), 0);
      a.forEach((x, i) => assert.ok(Number.isNaN(b[i]) ? Number.isNaN(x) : Math.abs(x - b[i]) <= RTOL * scale + 1e-12, `${key}[${i}]: ${x} vs ${b[i]}`));
    }
    for (const [key, value] of Object.entries(mine.param_groups[0])) assert.deepEqual(value, (theirs.param_groups[0] as Record<string, unknown>)[key], key);

    if (c.trajectory.length < 2) return;
    const prob = makeProblem(c, c.trajectory[0].params);
    const fresh = new optim.LBFGS(prob.params, c.options);
    fresh.loadStateDict(theirs);
    const { out } = runCase(c, c.trajectory.length - 1, prob, fresh);
    out.forEach((got, i) => {
      const want = c.trajectory[i + 1];
      want.params.forEach((p, j) => assertClose(got.params[j], p, RTOL, 1e-12, `${c.name} resumed step ${i + 2} param ${j}`));
      assert.equal(got.funcEvals, want.funcEvals);
    });
  });
}

test("LBFGS stateDict -> JSON -> loadStateDict resumes the identical trajectory", () => {
  const c = fixtures.lbfgs.find((x) => x.name === "rosenbrock-strong-wolfe")!;
  const whole = runCase(c, 3).out;
  const first = runCase(c, 1);
  const json = JSON.stringify(optim.serializeOptimizerState(first.opt.stateDict()));
  const prob = makeProblem(c, first.out[0].params);
  const opt = new optim.LBFGS(prob.params, { ...c.options, lr: 123 });
  opt.loadStateDict(optim.deserializeOptimizerState(JSON.parse(json)));
  assert.equal(opt.paramGroups[0].lr, 1, "the saved group's lr is restored");
  const rest = runCase(c, 2, prob, opt).out;
  rest.forEach((got, i) => assert.deepEqual(got.params, whole[i + 1].params, `step ${i + 2}`));
});

test("LBFGS minimises Rosenbrock's function to its minimum at (1, 1) with the line search, in float32 too", () => {
  for (const dtype of ["float64", "float32"] as const) {
    const x = tensor([-1.5, 2.0], { dtype, requiresGrad: true });
    const opt = new optim.LBFGS([x], { lineSearchFn: "strong_wolfe", maxIter: 100 });
    for (let i = 0; i < 5; i++) opt.step(() => { opt.zeroGrad(); const l = rosenbrock(x); l.backward(); return l; });
    assertClose(x.data(), [1, 1], 0, dtype === "float64" ? 1e-5 : 1e-3, `${dtype} minimiser`);
  }
});

test("LBFGS returns at once, evaluating once, when the gradient is already below toleranceGrad", () => {
  const x = tensor([1, 1], { dtype: "float64", requiresGrad: true });
  const opt = new optim.LBFGS([x]);
  let calls = 0;
  const loss = opt.step(() => { calls++; opt.zeroGrad(); const l = rosenbrock(x); l.backward(); return l; });
  assert.equal(loss.item(), 0);
  assert.equal(calls, 1);
  assert.deepEqual(Array.from(x.data()), [1, 1]);
  assert.deepEqual(Object.keys(opt.stateDict().state[0]).sort(), ["func_evals", "n_iter"]);
});

test("LBFGS accepts a closure that returns a plain number", () => {
  const x = tensor([3], { dtype: "float64", requiresGrad: true });
  const opt = new optim.LBFGS([x], { lineSearchFn: "strong_wolfe" });
  const first = opt.step(() => { opt.zeroGrad(); const l = x.sub(1).square().sum(); l.backward(); return l.item(); });
  assert.equal(first, 4);
  assertClose(x.data(), [1], 0, 1e-9, "minimiser of (x-1)²");
});

test("LBFGS rejects bad calls, naming the problem and the fix", () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const y = tensor([1, 2], { requiresGrad: true });
  assert.throws(() => new optim.LBFGS([x]).step(), /LBFGS\.step: LBFGS needs a closure that re-evaluates the model, got undefined; call opt\.step\(\(\) =>/);
  assert.throws(() => new optim.LBFGS([{ params: [x] }, { params: [y] }]), /LBFGS: per-parameter options \(param groups\) are not supported/);
  assert.throws(() => new optim.LBFGS([x], { lineSearchFn: "backtracking" as "strong_wolfe" }), /LBFGS: invalid lineSearchFn "backtracking"|LBFGS: invalid lineSearchFn .*backtracking.*only "strong_wolfe" or null/);
  assert.throws(() => new optim.LBFGS([x], { maxIter: 0 }), /LBFGS: invalid maxIter .*0.*integer >= 1/);
  assert.throws(() => new optim.LBFGS([x], { historySize: 2.5 }), /LBFGS: invalid historySize .*2\.5/);
  assert.throws(() => new optim.LBFGS([x], { lr: -1 }), /LBFGS: invalid lr .*-1/);
  const opt = new optim.LBFGS([x]);
  assert.throws(() => opt.step(() => { opt.zeroGrad(); const l = x.square(); l.sum().backward(); return l; }), /LBFGS\.step: the closure must return the loss \(one number\), got a tensor of shape \[2\]; reduce it/);
  assert.throws(() => opt.step(() => undefined), /LBFGS\.step: the closure must return the loss \(a Tensor or a number\), got undefined/);
  assert.equal(new optim.LBFGS([y], { maxIter: 8 }).defaults.maxEval, 10, "maxEval defaults to floor(maxIter·5/4), as PyTorch");
});

// Survivors of `npm run mutate -- src/optim/lbfgs.ts` (2026-12-06): the optimizer's name in the base
// class's errors, the one group's own options checked like the defaults, the shape named in full
// (a 2-d shape shows the separator), and the guard on the unused per-group update.
test("LBFGS names itself in the base class's errors and checks the options of its one group", () => {
  const x = tensor([1, 2], { requiresGrad: true });
  assert.throws(() => new optim.LBFGS([x], { lrr: 1 } as never), /^Error: LBFGS: unknown option 'lrr'; did you mean 'lr'\?/);
  assert.throws(() => new optim.LBFGS([{ params: [x], lr: -1 }]), /^Error: LBFGS: invalid lr number -1: the learning rate must be a number >= 0/);
  const z = tensor([[1, 2], [3, 4]], { requiresGrad: true });
  const opt = new optim.LBFGS([z]);
  assert.throws(() => opt.step(() => { opt.zeroGrad(); const l = z.square(); l.sum().backward(); return l; }), /got a tensor of shape \[2,2\]; reduce it/);
  assert.throws(() => (opt as unknown as { updateGroup(): void }).updateGroup(), /^Error: LBFGS: updateGroup is not used; step\(closure\) runs the whole iteration/);
});

test("LBFGS leaves a parameter without a gradient alone (its slice of the flat gradient is zero), as PyTorch", () => {
  const x = tensor([-1.5, 2.0], { dtype: "float64", requiresGrad: true });
  const unused = tensor([3, 4], { dtype: "float64", requiresGrad: true });
  const opt = new optim.LBFGS([x, unused], { lineSearchFn: "strong_wolfe", maxIter: 50 });
  const alone = tensor([-1.5, 2.0], { dtype: "float64", requiresGrad: true });
  const ref = new optim.LBFGS([alone], { lineSearchFn: "strong_wolfe", maxIter: 50 });
  const closureFor = (o: optim.LBFGS, p: Tensor) => () => {
    o.zeroGrad();
    const l = rosenbrock(p);
    l.backward();
    return l;
  };
  opt.step(closureFor(opt, x));
  ref.step(closureFor(ref, alone));
  assert.deepEqual(Array.from(unused.data()), [3, 4]);
  assert.equal(unused.grad, null);
  assert.deepEqual(Array.from(x.data()), Array.from(alone.data()), "the same steps as without the unused parameter");
});

test("LBFGS loads PyTorch's 0-d tensors (H_diag, each ro and al) as numbers, its vectors as float64", () => {
  const c = fixtures.lbfgs.find((x) => x.name === "rosenbrock-strong-wolfe")!;
  const prob = makeProblem(c);
  const opt = new optim.LBFGS(prob.params, c.options);
  opt.loadStateDict(optim.deserializeOptimizerState(JSON.parse(JSON.stringify(c.stateDict))));
  const s = opt.state.get(prob.params[0])!;
  const saved = c.stateDict.state[0] as Record<string, { data: number[] }[] & { data: number[] }>;
  assert.equal(s.HDiag, saved.H_diag.data[0]);
  assert.deepEqual(s.ro, saved.ro.map((r) => r.data[0]));
  // al is PyTorch's [None] * historySize, filled as far as the history went.
  assert.deepEqual(s.al, saved.al.map((r) => (r === null ? null : r.data[0])));
  assert.ok((s.al as unknown[]).some((a) => typeof a === "number"));
  const d = s.d as Tensor;
  assert.deepEqual([d.dtype, d.shape, Array.from(d.data())], ["float64", [2], saved.d.data]);
  // A history saved in float32 comes back in float64 (the history's dtype), not float32.
  const sd = opt.stateDict();
  opt.loadStateDict({ ...sd, state: { 0: { ...sd.state[0], d: tensor([[0.5], [0.25]]) } } });
  const d32 = opt.state.get(prob.params[0])!.d as Tensor;
  assert.deepEqual([d32.dtype, d32.shape, Array.from(d32.data())], ["float64", [2], [0.5, 0.25]]);
});

test("LBFGS stops at toleranceGrad (inclusive), after an iteration that reaches it, at maxEval and at a step of exactly toleranceChange, as PyTorch", () => {
  // PyTorch 1.13's values: scripts/fixtures/lbfgs_stops.py. f(x) = x²/2 from x = 4: the gradient is
  // x, and the first step (t = min(1, 1/|g|)·lr = 0.25) lands exactly on x = 3.
  const cases: [Partial<optim.LBFGSOptions>, { x: number; nIter: number; funcEvals: number; closureCalls: number }][] = [
    [{ toleranceGrad: 4 }, { x: 4, nIter: 0, funcEvals: 1, closureCalls: 1 }],
    [{ toleranceGrad: 3 }, { x: 3, nIter: 1, funcEvals: 2, closureCalls: 2 }],
    [{ toleranceGrad: 3, lineSearchFn: "strong_wolfe" }, { x: 3, nIter: 1, funcEvals: 2, closureCalls: 2 }],
    [{ toleranceGrad: 1e-7, maxEval: 2 }, { x: 3, nIter: 1, funcEvals: 2, closureCalls: 2 }],
    [{ toleranceGrad: 1e-7, maxEval: 2, lineSearchFn: "strong_wolfe" }, { x: 3, nIter: 1, funcEvals: 2, closureCalls: 2 }],
    [{ toleranceGrad: 2.9 }, { x: 0, nIter: 2, funcEvals: 3, closureCalls: 3 }],
    // The step d·t = -4·0.25 is exactly toleranceChange: "lack of progress" is inclusive.
    [{ toleranceGrad: 1e-7, toleranceChange: 1 }, { x: 3, nIter: 1, funcEvals: 2, closureCalls: 2 }],
  ];
  for (const [options, want] of cases) {
    const x = tensor([4], { dtype: "float64", requiresGrad: true });
    const opt = new optim.LBFGS([x], { lr: 1, ...options });
    let closureCalls = 0;
    opt.step(() => {
      opt.zeroGrad();
      const l = x.square().sum().mul(0.5);
      l.backward();
      closureCalls++;
      return l;
    });
    const st = opt.state.get(x)!;
    assert.deepEqual({ x: x.item(), nIter: st.nIter, funcEvals: st.funcEvals, closureCalls }, want, JSON.stringify(options));
  }
});
